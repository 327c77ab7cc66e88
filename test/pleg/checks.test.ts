import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { plegFlapping } from '../../src/checks/pleg-flapping.js';
import { plegKnownBad } from '../../src/checks/pleg-known-bad.js';
import { plegPodDensity } from '../../src/checks/pleg-pod-density.js';
import { plegRuntimeTimeouts } from '../../src/checks/pleg-runtime-timeouts.js';
import { fixture, runCli } from '../helpers/cli.js';
import { parseValid } from '../helpers/schema.js';

const now = new Date('2020-09-14T08:26:00Z');
const jsonl = <T>(f: string): T[] => readFileSync(fixture('pleg', 'snapshot-3-nodes', f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as T);
const node = (c: string): V1Node => JSON.parse(readFileSync(fixture('pleg', c, 'node.json'), 'utf8')) as V1Node;
const snap = { nodes: jsonl<V1Node>('nodes.jsonl'), events: jsonl<CoreV1Event>('events.jsonl'), pods: jsonl<V1Pod>('pods.jsonl') };
const names = (fs: { subject: { name: string } }[]) => fs.map((f) => f.subject.name);

describe('PLEG checks', () => {
  it('PLEG001 flags a Ready node that flapped, not one that is down now (NODE001 has it)', () => {
    const f = plegFlapping.run(snap, now);
    assert.deepEqual(names(f), ['worker-2']);
    assert.match(f[0].message, /NotReady 4 times/);
    assert.ok(f[0].evidence.some((e) => e.startsWith('event NodeNotReady ×4')));
  });

  it('PLEG002 flags nodes whose kubelet reports CRI timeouts, and ignores probe and pull timeouts', () => {
    const probe: CoreV1Event = {
      metadata: { name: 'p', namespace: 'shop' }, involvedObject: { kind: 'Pod', name: 'web-1' }, reason: 'Unhealthy', type: 'Warning', count: 40,
      message: 'Readiness probe failed: Get "http://10.244.3.17:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      source: { component: 'kubelet', host: 'worker-1' },
    };
    const f = plegRuntimeTimeouts.run({ ...snap, events: [...snap.events, probe] }, now);
    assert.deepEqual(names(f), ['worker-2', 'worker-3']);
    assert.match(f[0].message, /3 container-runtime calls timed out/);
  });

  it('PLEG003 flags a node at 95% of its pod capacity or past 110 pods', () => {
    const dense = node('pod-density-1.28');
    const pods = (JSON.parse(readFileSync(fixture('pleg', 'pod-density-1.28', 'pods.json'), 'utf8')) as { items: V1Pod[] }).items;
    assert.deepEqual(names(plegPodDensity.run({ nodes: [dense, ...snap.nodes], pods: [...pods, ...snap.pods] }, now)), ['worker-dense-1']);
    assert.deepEqual(plegPodDensity.run({ nodes: snap.nodes, pods: snap.pods }, now), []);
  });

  it('PLEG004 flags containerd 1.4.4, the AL2 kernels of amazon-eks-ami#1071, and kubelets before 1.14', () => {
    const nodes = ['known-bad-containerd-1.4.4', 'known-bad-kernel-amzn2', 'relist-deadlock-node-1.13', 'runtime-down-node-only'].map(node);
    const f = plegKnownBad.run({ nodes }, now);
    assert.deepEqual(names(f), ['node-pool-7fddb5656f-gg9jj', 'ip-10-32-145-43.ec2.internal', 'aks-nodepool1-36221409-2']);
    assert.ok(f.every((x) => x.evidence.some((e) => e.startsWith('https://github.com/'))), 'every entry cites its source');
  });

  it('runs inside podscope check over a snapshot', () => {
    const r = runCli(['check', '--from', fixture('pleg', 'snapshot-3-nodes'), '-o', 'json', '--checks', 'NODE001,PLEG001,PLEG002,PLEG003,PLEG004']);
    const report = parseValid(r.stdout) as { findings: { checkId: string; subject: { name: string } }[] };
    assert.deepEqual(report.findings.map((f) => `${f.checkId} ${f.subject.name}`), ['NODE001 worker-3', 'PLEG001 worker-2', 'PLEG002 worker-2', 'PLEG002 worker-3']);
  });
});
