// Benchmark: `podscope schedule` analysis of one pod over a large cluster (2,000 nodes, 60,000
// pods), beside a reference measured in the same run: JSON.parse of the same nodes and pods.
import { performance } from 'node:perf_hooks';
import { analyseSchedule } from '../dist/analysis/schedule/index.js';
import { report } from './lib.js';

const NODES = 2000;
const PER_NODE = 30;
const zones = ['a', 'b', 'c'];
const nodes = [];
const pods = [];
for (let i = 0; i < NODES; i++) {
  const name = `node-${i}`;
  nodes.push({
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zones[i % 3] } },
    spec: i % 50 === 0 ? { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } : {},
    status: { allocatable: { cpu: '16', memory: '64Gi', pods: '110' } },
  });
  for (let j = 0; j < PER_NODE; j++) {
    pods.push({
      metadata: { name: `p-${i}-${j}`, namespace: `ns-${j % 20}`, labels: { app: `app-${j % 7}` } },
      spec: { nodeName: name, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '250m', memory: '1Gi' } } }] },
      status: { phase: 'Running' },
    });
  }
}
const pod = {
  metadata: { name: 'web', namespace: 'ns-1', labels: { app: 'app-1' } },
  spec: {
    containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '2', memory: '4Gi' } } }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'app-1' } } }],
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'app-1' } } }] } },
  },
};
const text = JSON.stringify({ nodes, pods });

function best(fn, runs = 3) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const parse = best(() => JSON.parse(text));
const analyse = best(() => analyseSchedule({ pod, nodes, pods, events: [], now: new Date() }));
report(`schedule analysis, 1 pod over ${NODES} nodes / ${NODES * PER_NODE} pods`, analyse, 'ms', 'JSON.parse of the same objects', parse, 'informational (no DESIGN.md target)');
