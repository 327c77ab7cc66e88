/**
 * Random scheduling scenarios for the oracle (test/integration/schedule-oracle.test.ts, against the
 * real kube-scheduler) and for the property test (test/analysis/schedule-property.test.ts). A world
 * is a few nodes with random labels, taints and capacities plus pods already bound to them; each
 * world then gets a series of incoming pods with random requests, selectors, affinities,
 * tolerations, host ports and spread constraints. Seeded: the same seed gives the same scenarios.
 */
import type { V1Node, V1Pod, V1Taint, V1Toleration } from '@kubernetes/client-node';

/** A seeded PRNG (mulberry32): small, fast, reproducible. */
export class Rand {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One element. */
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** Some elements (each with probability p), in order. */
  some<T>(xs: readonly T[], p: number): T[] {
    return xs.filter(() => this.chance(p));
  }
}

/** What the oracle varies per node (the shape of the harness's NodeSpec). */
export interface NodeShape {
  name: string;
  labels: Record<string, string>;
  taints: V1Taint[];
  capacity: Record<string, string>;
  unschedulable: boolean;
}

/** A world: nodes, namespaces, and pods already bound to the nodes. */
export interface World {
  id: string;
  namespaces: string[];
  nodes: NodeShape[];
  pods: V1Pod[];
}

const ZONES = ['z1', 'z2', 'z3'];
const APPS = ['a', 'b', 'c'];
const TAINTS: V1Taint[] = [
  { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
  { key: 'dedicated', value: 'db', effect: 'NoExecute' },
  { key: 'spot', value: 'true', effect: 'PreferNoSchedule' },
  { key: 'node-role.kubernetes.io/control-plane', value: '', effect: 'NoSchedule' },
  { key: 'maint', value: '', effect: 'NoSchedule' },
];

/** A random world of 3–6 nodes and 0–8 bound pods. */
export function world(r: Rand, id: string): World {
  const namespaces = [`oracle-${id}-x`, `oracle-${id}-y`];
  const nodes: NodeShape[] = [];
  const n = r.int(3, 6);
  for (let i = 0; i < n; i++) {
    const name = `oracle-${id}-n${i}`;
    const labels: Record<string, string> = {};
    if (r.chance(0.85)) labels['topology.kubernetes.io/zone'] = r.pick(ZONES);
    if (r.chance(0.5)) labels['disk'] = r.pick(['ssd', 'hdd']);
    if (r.chance(0.6)) labels['tier'] = r.pick(['1', '2', '3', '10']);
    const capacity: Record<string, string> = {
      cpu: r.pick(['1', '2', '4', '8']),
      memory: r.pick(['2Gi', '4Gi', '8Gi', '16Gi']),
      pods: r.pick(['3', '110', '110', '110']),
    };
    if (r.chance(0.25)) capacity['example.com/gpu'] = r.pick(['1', '2']);
    nodes.push({ name, labels, taints: r.chance(0.25) ? r.some(TAINTS, 0.35) : [], capacity, unschedulable: r.chance(0.05) });
  }
  const pods: V1Pod[] = [];
  const m = r.int(0, 8);
  for (let i = 0; i < m; i++) {
    const node = r.pick(nodes);
    const p = basePod(`existing-${i}`, r.pick(namespaces), { app: r.pick(APPS) });
    p.spec!.nodeName = node.name;
    // Tolerate everything, so the taint manager never evicts the world out from under a scenario.
    p.spec!.tolerations = [{ operator: 'Exists' }];
    p.spec!.containers[0].resources = { requests: { cpu: r.pick(['100m', '500m', '1']), memory: r.pick(['256Mi', '1Gi', '2Gi']) } };
    if (r.chance(0.15)) p.spec!.containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }];
    if (r.chance(0.3)) {
      p.spec!.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: r.pick(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']), labelSelector: { matchLabels: { app: r.pick(APPS) } } }] } };
    }
    pods.push(p);
  }
  return { id, namespaces, nodes, pods };
}

function basePod(name: string, namespace: string, labels: Record<string, string>): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1' }], terminationGracePeriodSeconds: 0 },
  };
}

function toleration(r: Rand): V1Toleration {
  return r.pick<V1Toleration>([
    { key: 'dedicated', operator: 'Exists' },
    { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
    { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute', tolerationSeconds: 3600 },
    { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'maint', operator: 'Exists' },
    { operator: 'Exists' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ]);
}

/** A random incoming pod for a world. */
export function incoming(r: Rand, w: World, i: number): V1Pod {
  const app = r.pick(APPS);
  const p = basePod(`incoming-${i}`, r.pick(w.namespaces), { app });
  const spec = p.spec!;
  const req: Record<string, string> = {};
  if (r.chance(0.7)) req.cpu = r.pick(['100m', '250m', '500m', '1', '1500m', '6']);
  if (r.chance(0.7)) req.memory = r.pick(['128Mi', '512Mi', '1Gi', '3Gi', '12Gi']);
  if (r.chance(0.1)) req['example.com/gpu'] = '1';
  if (Object.keys(req).length) spec.containers[0].resources = { requests: req, limits: req['example.com/gpu'] ? { 'example.com/gpu': '1' } : undefined };
  if (r.chance(0.15)) {
    const always = r.chance(0.5);
    spec.initContainers = [{ name: 'init', image: 'registry.invalid/init:1', restartPolicy: always ? 'Always' : undefined, resources: { requests: { cpu: r.pick(['500m', '2', '4']), memory: r.pick(['1Gi', '4Gi']) } } }];
  }
  if (r.chance(0.25)) {
    spec.nodeSelector = r.pick<Record<string, string>>([{ 'topology.kubernetes.io/zone': r.pick(ZONES) }, { disk: 'ssd' }, { disk: 'nvme' }]);
  }
  if (r.chance(0.25)) {
    const expr = r.pick([
      { key: 'tier', operator: 'Gt', values: ['2'] },
      { key: 'tier', operator: 'Lt', values: ['3'] },
      { key: 'disk', operator: 'In', values: ['ssd'] },
      { key: 'disk', operator: 'NotIn', values: ['hdd'] },
      { key: 'disk', operator: 'DoesNotExist' },
      { key: 'topology.kubernetes.io/zone', operator: 'Exists' },
    ]);
    const terms = [{ matchExpressions: [expr] }];
    if (r.chance(0.2)) terms.push({ matchFields: [{ key: 'metadata.name', operator: 'In', values: [r.pick(w.nodes).name] }] } as never);
    spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
  }
  if (r.chance(0.5)) spec.tolerations = r.some([toleration(r), toleration(r)], 0.7);
  if (r.chance(0.12)) spec.containers[0].ports = [{ containerPort: 8080, hostPort: 8080 }];
  if (r.chance(0.4)) {
    const hard = r.chance(0.8);
    spec.topologySpreadConstraints = [
      {
        maxSkew: r.int(1, 2),
        topologyKey: r.pick(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']),
        whenUnsatisfiable: hard ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: { app } },
        // The API allows minDomains only with DoNotSchedule.
        minDomains: hard && r.chance(0.2) ? r.int(2, 4) : undefined,
        nodeAffinityPolicy: r.chance(0.2) ? 'Ignore' : undefined,
        nodeTaintsPolicy: r.chance(0.2) ? 'Honor' : undefined,
      },
    ];
  }
  if (r.chance(0.35)) {
    const key = r.pick(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    const term = { topologyKey: key, labelSelector: { matchLabels: { app: r.pick(APPS) } } };
    spec.affinity = { ...spec.affinity, ...(r.chance(0.5) ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } : { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }) };
  }
  return p;
}

/** The Node object for a shape, as a kubelet registers it (status.allocatable = capacity). */
export function nodeOf(s: NodeShape): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: s.name, labels: { 'kubernetes.io/hostname': s.name, 'kubernetes.io/os': 'linux', ...s.labels } },
    spec: { taints: s.taints.length ? s.taints : undefined, unschedulable: s.unschedulable || undefined },
    status: { capacity: s.capacity, allocatable: s.capacity, nodeInfo: { kubeletVersion: 'v1.36.3' } as never },
  };
}
