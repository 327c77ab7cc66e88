import assert from 'node:assert/strict';
import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { compareEvent, eventTime, latestFailedScheduling } from '../../src/analysis/schedule/event.js';
import { evaluate, nodeViews } from '../../src/analysis/schedule/evaluate.js';
import { CHECKS } from '../../src/checks/registry.js';

const NOW = new Date('2026-11-21T18:00:00Z');
const pod: V1Pod = { metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '3' } } }] }, status: { phase: 'Pending' } };
const nodes: V1Node[] = ['a', 'b'].map((name) => ({ metadata: { name, labels: {} }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } }));
const ev = evaluate({ pod, nodes: nodeViews(nodes, [], pod), minor: 36 });

function event(message: string, at: string, extra: Partial<CoreV1Event> = {}): CoreV1Event {
  // The core/v1 view of an events.k8s.io/v1 event: first/lastTimestamp are null.
  return {
    metadata: { name: `web-0.${at}`, namespace: 'shop' },
    involvedObject: { kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'u1' },
    reason: 'FailedScheduling',
    message,
    type: 'Warning',
    firstTimestamp: null as unknown as undefined,
    lastTimestamp: null as unknown as undefined,
    eventTime: at as unknown as Date,
    ...extra,
  };
}

describe('FailedScheduling event comparison', () => {
  it('picks the latest event by series.lastObservedTime / eventTime / lastTimestamp', () => {
    const old = event('0/2 nodes are available: 2 Insufficient cpu.', '2026-11-21T17:00:00Z');
    const series = event('0/2 nodes are available: 2 Insufficient memory.', '2026-11-21T16:00:00Z', { series: { count: 4, lastObservedTime: '2026-11-21T17:59:00Z' as unknown as Date } });
    const legacy = event('x', '2026-11-21T10:00:00Z', { eventTime: undefined, lastTimestamp: '2026-11-21T17:30:00Z' as unknown as Date });
    const other = event('0/2 nodes are available: 2 Too many pods.', '2026-11-21T17:59:59Z', { involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop' } });
    assert.equal(latestFailedScheduling(pod, [old, series, legacy, other]), series);
    assert.equal(eventTime(legacy)?.toISOString(), '2026-11-21T17:30:00.000Z');
  });

  it('agrees when the counts match, whatever the version wording', () => {
    const c = compareEvent(event('0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.', '2026-11-21T17:59:00Z'), ev, NOW);
    assert.equal(c.agrees, true);
    assert.deepEqual(c.counts, { 'Insufficient cpu': 2 });
  });

  it('says plainly why it disagrees: stale event, node count, unmodelled filters, PreFilter', () => {
    const stale = compareEvent(event('0/2 nodes are available: 2 Insufficient memory.', '2026-11-21T16:00:00Z'), ev, NOW);
    assert.equal(stale.agrees, false);
    assert.match(stale.why.join(' '), /^stale event: the cluster changed since \(the event is 120 min old\): NodeResourcesFit:Insufficient cpu: event 0, podscope 2; NodeResourcesFit:Insufficient memory: event 2, podscope 0$/);
    const count = compareEvent(event('0/3 nodes are available: 3 Insufficient cpu.', '2026-11-21T17:59:00Z'), ev, NOW);
    assert.match(count.why[0], /the event saw 3 nodes, there are 2 now/);
    const vol = compareEvent(event('0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had volume node affinity conflict.', '2026-11-21T17:59:00Z'), ev, NOW);
    assert.match(vol.why.join(' '), /"node\(s\) had volume node affinity conflict", a filter podscope does not model/);
    const pvc = compareEvent(event('0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.', '2026-11-21T17:59:00Z'), ev, NOW);
    assert.match(pvc.why[0], /PreFilter rejection \("pod has unbound immediate PersistentVolumeClaims"\)/);
    const bind = compareEvent(event('running PreBind plugin "VolumeBinding": binding volumes: timed out waiting for the condition', '2026-11-21T17:59:00Z'), ev, NOW);
    assert.equal(bind.agrees, false);
    assert.equal(bind.parsed, null);
  });
});

describe('scheduling checks', () => {
  const run = (id: string, pods: V1Pod[]) => CHECKS.find((c) => c.id === id)!.run({ pods, nodes, events: [] }, NOW);

  it('SCH001 reports a Pending pod no node fits, and not a gated, bound or fitting one', () => {
    assert.equal(run('SCH001', [pod]).length, 1);
    assert.equal(run('SCH001', [{ ...pod, spec: { ...pod.spec!, schedulingGates: [{ name: 'example.com/quota' }] } }]).length, 0);
    assert.equal(run('SCH001', [{ ...pod, spec: { ...pod.spec!, nodeName: 'a' }, status: { phase: 'Running' } }]).length, 0);
    assert.equal(run('SCH001', [{ ...pod, spec: { containers: [{ name: 'c', image: 'x' }] } }]).length, 0);
  });

  it('SCH002 and SCH004 stay quiet for satisfiable pods', () => {
    assert.equal(run('SCH002', [{ ...pod, spec: { ...pod.spec!, nodeSelector: { 'kubernetes.io/os': 'linux' } } }]).length, 1, 'no node carries the label in this fixture');
    const labelled = nodes.map((n) => ({ ...n, metadata: { ...n.metadata, labels: { 'kubernetes.io/os': 'linux' } } }));
    assert.equal(CHECKS.find((c) => c.id === 'SCH002')!.run({ pods: [{ ...pod, spec: { ...pod.spec!, nodeSelector: { 'kubernetes.io/os': 'linux' } } }], nodes: labelled }, NOW).length, 0);
    assert.equal(run('SCH004', [pod]).length, 1, '3 cpu on 2-cpu nodes');
    assert.equal(run('SCH004', [{ ...pod, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1' } } }] } }]).length, 0);
  });

  it('SCH003 reports replicas with self anti-affinity outnumbering the hostnames once per workload', () => {
    const replica = (i: number): V1Pod => ({
      metadata: { name: `web-${i}`, namespace: 'shop', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d', uid: 'rs1', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }], affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } },
      status: { phase: 'Pending' },
    });
    const hostNodes = nodes.map((n) => ({ ...n, metadata: { ...n.metadata, labels: { 'kubernetes.io/hostname': n.metadata!.name! } } }));
    const check = CHECKS.find((c) => c.id === 'SCH003')!;
    const three = check.run({ pods: [0, 1, 2].map(replica), nodes: hostNodes }, NOW);
    assert.equal(three.length, 1);
    assert.match(three[0].message, /needs 3 domains for 3 replicas, the cluster has 2/);
    assert.equal(check.run({ pods: [0, 1].map(replica), nodes: hostNodes }, NOW).length, 0);
  });
});

describe('schedule command findings', () => {
  it('SCH005: a Pending pod with spec.nodeName set bypasses the scheduler; critical when the node does not exist', async () => {
    const { analyseSchedule } = await import('../../src/analysis/schedule/index.js');
    const bypass: V1Pod = { ...pod, spec: { ...pod.spec!, nodeName: 'gone-node' }, status: { phase: 'Pending' } };
    const f = analyseSchedule({ pod: bypass, nodes, pods: [], events: [], now: NOW }).result.findings.find((x) => x.checkId === 'SCH005');
    assert.equal(f?.severity, 'critical');
    assert.match(f?.message ?? '', /spec\.nodeName is set to gone-node: the scheduler never sees this pod, and that node does not exist/);
  });

  it('SCH006: preferences are hints, never failures', async () => {
    const { analyseSchedule } = await import('../../src/analysis/schedule/index.js');
    const soft: V1Pod = {
      metadata: { name: 'soft', namespace: 'shop', labels: { app: 'soft' } },
      spec: {
        containers: [{ name: 'c', image: 'x' }],
        affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['b'] }] } }] } },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'soft' } } }],
      },
    };
    const hostNodes = nodes.map((n) => ({ ...n, metadata: { ...n.metadata, labels: { 'kubernetes.io/hostname': n.metadata!.name! } } }));
    const a = analyseSchedule({ pod: soft, nodes: hostNodes, pods: [], events: [], now: NOW });
    assert.deepEqual(a.result.nodes.map((n) => n.fits), [true, true], 'a soft spread over a missing zone label blocks nothing');
    const hint = a.result.findings.find((x) => x.checkId === 'SCH006');
    assert.equal(hint?.severity, 'info');
    assert.deepEqual(hint?.evidence, ['preferred node affinity (weight 50) matches b', 'soft spread over zone (maxSkew 1, ScheduleAnyway): scoring only']);
  });
});

describe('unmodelled inputs', () => {
  it('SCH007 says when volume, DRA or another scheduler apply to the pod', async () => {
    const { analyseSchedule } = await import('../../src/analysis/schedule/index.js');
    const withPvc: V1Pod = { metadata: { name: 'db-0', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }], resourceClaims: [{ name: 'gpu', resourceClaimName: 'gpu-claim' }] } };
    const f = analyseSchedule({ pod: withPvc, nodes, pods: [], events: [], now: NOW }).result.findings.find((x) => x.checkId === 'SCH007');
    assert.deepEqual(f?.evidence, [
      'persistent volumes (data-db-0): VolumeBinding, VolumeZone, VolumeRestrictions and NodeVolumeLimits are not evaluated',
      'resource claims (gpu): DynamicResources (DRA) is not evaluated',
    ]);
    const plain = analyseSchedule({ pod: { ...withPvc, spec: { containers: [{ name: 'c', image: 'x' }] } }, nodes, pods: [], events: [], now: NOW });
    assert.equal(plain.result.findings.some((x) => x.checkId === 'SCH007'), false);
  });
});
