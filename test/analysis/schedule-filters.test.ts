import assert from 'node:assert/strict';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { evaluate, nodeViews } from '../../src/analysis/schedule/evaluate.js';
import { podRequests } from '../../src/analysis/schedule/requests.js';
import { tolerates } from '../../src/analysis/schedule/tolerations.js';

function node(name: string, o: { labels?: Record<string, string>; taints?: V1Node['spec'] extends infer S ? (S extends { taints?: infer T } ? T : never) : never; cpu?: string; memory?: string; pods?: string; unschedulable?: boolean; extra?: Record<string, string> } = {}): V1Node {
  const alloc = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...o.extra };
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } }, spec: { taints: o.taints, unschedulable: o.unschedulable }, status: { allocatable: alloc, capacity: alloc } };
}

function pod(name: string, spec: Partial<NonNullable<V1Pod['spec']>> = {}, labels: Record<string, string> = {}, ns = 'shop'): V1Pod {
  return { metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'app', image: 'x' }], ...spec } };
}

function withRequests(p: V1Pod, requests: Record<string, string>): V1Pod {
  p.spec!.containers[0].resources = { requests };
  return p;
}

function run(p: V1Pod, nodes: V1Node[], pods: V1Pod[] = [], minor: number | null = 36) {
  return evaluate({ pod: p, nodes: nodeViews(nodes, pods, p), minor });
}

function row(ev: ReturnType<typeof run>, name: string) {
  const r = ev.nodes.find((n) => n.name === name);
  assert.ok(r, name);
  return r;
}

describe('scheduler filters', () => {
  it('NodeUnschedulable rejects cordoned nodes unless the pod tolerates node.kubernetes.io/unschedulable', () => {
    const ev = run(pod('p'), [node('a', { unschedulable: true })]);
    assert.deepEqual(row(ev, 'a').reasons, ['node(s) were unschedulable']);
    const tol = run(pod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), [node('a', { unschedulable: true })]);
    assert.equal(row(tol, 'a').fits, true);
  });

  it('TaintToleration: NoSchedule and NoExecute block, PreferNoSchedule does not; wording follows the version', () => {
    const nodes = [node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }), node('soft', { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] }), node('x', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] })];
    const ev = run(pod('p'), nodes);
    assert.equal(row(ev, 'cp').failedFilter, 'TaintToleration');
    assert.equal(row(ev, 'soft').fits, true);
    assert.equal(row(ev, 'x').reasons[0], 'node(s) had untolerated taint(s)');
    assert.equal(row(run(pod('p'), nodes, [], 30), 'cp').reasons[0], 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }');
    assert.equal(row(run(pod('p'), nodes, [], 22), 'x').reasons[0], "node(s) had taint {dedicated: db}, that the pod didn't tolerate");
    assert.equal(row(run(pod('p'), nodes, [], 17), 'x').reasons[0], "node(s) had taints that the pod didn't tolerate");
    assert.match(row(ev, 'x').detail ?? '', /dedicated=db:NoExecute/);
  });

  it('toleration matching: Exists, Equal, empty key, empty effect, Gt/Lt', () => {
    const t = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    assert.equal(tolerates({ key: 'dedicated', operator: 'Exists' }, t), true);
    assert.equal(tolerates({ key: 'dedicated', value: 'gpu' }, t), true, 'operator defaults to Equal');
    assert.equal(tolerates({ key: 'dedicated', operator: 'Equal', value: 'db' }, t), false);
    assert.equal(tolerates({ operator: 'Exists' }, t), true, 'empty key with Exists tolerates everything');
    assert.equal(tolerates({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, t), false);
    assert.equal(tolerates({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, { ...t, effect: 'NoExecute' }), true);
    assert.equal(tolerates({ key: 'gen', operator: 'Gt', value: '3' }, { key: 'gen', value: '5', effect: 'NoSchedule' }), true);
    assert.equal(tolerates({ key: 'gen', operator: 'Lt', value: '3' }, { key: 'gen', value: '5', effect: 'NoSchedule' }), false);
  });

  it('NodeAffinity: nodeSelector and required terms (In, NotIn, Exists, DoesNotExist, Gt, Lt), terms ORed', () => {
    const nodes = [node('a', { labels: { disk: 'ssd', tier: '10' } }), node('b', { labels: { disk: 'hdd', tier: '2' } }), node('c')];
    assert.deepEqual(run(pod('p', { nodeSelector: { disk: 'ssd' } }), nodes).nodes.map((n) => n.fits), [true, false, false]);
    const aff = (exprs: { key: string; operator: string; values?: string[] }[][]) => pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: exprs.map((e) => ({ matchExpressions: e })) } } } });
    assert.deepEqual(run(aff([[{ key: 'tier', operator: 'Gt', values: ['3'] }]]), nodes).nodes.map((n) => n.fits), [true, false, false], 'Gt compares integers, not strings');
    assert.deepEqual(run(aff([[{ key: 'tier', operator: 'Lt', values: ['3'] }]]), nodes).nodes.map((n) => n.fits), [false, true, false]);
    assert.deepEqual(run(aff([[{ key: 'disk', operator: 'NotIn', values: ['hdd'] }]]), nodes).nodes.map((n) => n.fits), [true, false, true], 'NotIn matches nodes without the label');
    assert.deepEqual(run(aff([[{ key: 'disk', operator: 'DoesNotExist' }], [{ key: 'disk', operator: 'In', values: ['hdd'] }]]), nodes).nodes.map((n) => n.fits), [false, true, true]);
    const r = row(run(pod('p', { nodeSelector: { disk: 'nvme' } }), nodes), 'a');
    assert.equal(r.reasons[0], "node(s) didn't match Pod's node affinity/selector");
  });

  it('NodeAffinity: matchFields metadata.name pins nodes; the rest count as "didn\'t satisfy plugin(s) [NodeAffinity]"', () => {
    const p = pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }] } } } });
    const ev = run(p, [node('a'), node('b'), node('c')]);
    assert.equal(ev.summary, "1/3 nodes are available: 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  });

  it('NodePorts: a hostPort already held on the node', () => {
    const used = pod('old', { nodeName: 'a', containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] });
    const p = pod('p', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] });
    const ev = run(p, [node('a'), node('b')], [used]);
    assert.equal(row(ev, 'a').failedFilter, 'NodePorts');
    assert.equal(row(ev, 'b').fits, true);
    const udp = pod('p', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'UDP' }] }] });
    assert.equal(row(run(udp, [node('a')], [used]), 'a').fits, true, 'another protocol does not conflict');
  });

  it('NodeResourcesFit: every shortfall is a reason, with how much is missing; Succeeded pods free their requests', () => {
    const busy = withRequests(pod('db', { nodeName: 'a' }), { cpu: '3', memory: '6Gi' });
    const done = withRequests(pod('job', { nodeName: 'b' }), { cpu: '4', memory: '8Gi' });
    done.status = { phase: 'Succeeded' };
    const p = withRequests(pod('p'), { cpu: '1500m', memory: '3Gi' });
    const ev = run(p, [node('a'), node('b')], [busy, done]);
    assert.deepEqual(row(ev, 'a').reasons, ['Insufficient cpu', 'Insufficient memory']);
    assert.equal(row(ev, 'a').detail, 'requests 1500m cpu, 1 free of 4 (short by 500m); requests 3Gi memory, 2Gi free of 8Gi (short by 1Gi)');
    assert.equal(row(ev, 'b').fits, true);
    assert.equal(ev.summary, '1/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.');
  });

  it('NodeResourcesFit: Too many pods, extended resources, and requests larger than the node', () => {
    const full = [pod('x1', { nodeName: 'a' }), pod('x2', { nodeName: 'a' })];
    const ev = run(withRequests(pod('p'), { 'example.com/gpu': '1' }), [node('a', { pods: '2' }), node('b', { cpu: '1', extra: { 'example.com/gpu': '2' } })], full);
    assert.deepEqual(row(ev, 'a').reasons, ['Too many pods', 'Insufficient example.com/gpu']);
    assert.equal(row(ev, 'b').fits, true);
    const big = run(withRequests(pod('p'), { cpu: '16' }), [node('a')]);
    assert.equal(row(big, 'a').detail, 'requests 16 cpu, node allocatable is only 4');
  });

  it('pod requests: max(init) vs sum(app), native sidecars added, pod overhead on top', () => {
    const p = pod('p', {
      initContainers: [
        { name: 'migrate', image: 'x', resources: { requests: { cpu: '2', memory: '1Gi' } } },
        { name: 'proxy', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '500m', memory: '256Mi' } } },
        { name: 'late-init', image: 'x', resources: { requests: { cpu: '1', memory: '3Gi' } } },
      ],
      containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '1', memory: '1Gi' } } }],
      overhead: { cpu: '250m', memory: '120Mi' },
    });
    const r = podRequests(p);
    // cpu: max(2, 0.5+1, app 1 + sidecar 0.5) = 2, + 0.25 overhead; memory: max(1Gi, 3Gi+256Mi, 1Gi+256Mi) + 120Mi.
    assert.equal(r.get('cpu'), 2250);
    assert.equal(r.get('memory'), 3 * 1024 ** 3 + 256 * 1024 ** 2 + 120 * 1024 ** 2);
  });

  it('PodTopologySpread: skew against the global minimum, missing label, minDomains', () => {
    const nodes = [node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2' } }), node('c')];
    const existing = [pod('w1', { nodeName: 'a' }, { app: 'web' }), pod('w2', { nodeName: 'a' }, { app: 'web' })];
    const spread = (extra: object = {}) => pod('p', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra }] }, { app: 'web' });
    const ev = run(spread(), nodes, existing);
    assert.equal(row(ev, 'a').reasons[0], "node(s) didn't match pod topology spread constraints");
    assert.equal(row(ev, 'b').fits, true);
    assert.equal(row(ev, 'c').reasons[0], "node(s) didn't match pod topology spread constraints (missing required label)");
    const md = run(spread({ minDomains: 3 }), nodes, [pod('w1', { nodeName: 'b' }, { app: 'web' })]);
    assert.equal(row(md, 'b').fits, false, 'fewer domains than minDomains: the minimum counts as 0');
    const other = run(spread(), nodes, existing.map((p) => ({ ...p, metadata: { ...p.metadata, namespace: 'other' } })));
    assert.equal(row(other, 'a').fits, true, 'pods of other namespaces do not count');
  });

  it('InterPodAffinity: required affinity, anti-affinity, and existing pods\' anti-affinity', () => {
    const nodes = [node('a', { labels: { zone: 'z1' } }), node('b', { labels: { zone: 'z2' } })];
    const db = pod('db', { nodeName: 'a' }, { app: 'db' });
    const term = (app: string) => [{ topologyKey: 'zone', labelSelector: { matchLabels: { app } } }];
    const near = run(pod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('db') } } }), nodes, [db]);
    assert.deepEqual(near.nodes.map((n) => n.fits), [true, false]);
    assert.equal(row(near, 'b').reasons[0], "node(s) didn't match pod affinity rules");
    const first = run(pod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('web') } } }, { app: 'web' }), nodes, []);
    assert.deepEqual(first.nodes.map((n) => n.fits), [true, true], 'the first pod of a self-affine group may go anywhere');
    const apart = run(pod('p', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('db') } } }), nodes, [db]);
    assert.equal(row(apart, 'a').reasons[0], "node(s) didn't match pod anti-affinity rules");
    const guard = pod('guard', { nodeName: 'b', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('web') } } }, { app: 'guard' });
    const repelled = run(pod('p', {}, { app: 'web' }), nodes, [guard]);
    assert.equal(row(repelled, 'b').reasons[0], "node(s) didn't satisfy existing pods anti-affinity rules");
    assert.match(row(repelled, 'b').detail ?? '', /shop\/guard/);
  });

  it('first failing filter wins, in the default order, and the summary sorts reasons as strings', () => {
    const nodes = [node('a', { unschedulable: true, taints: [{ key: 'k', effect: 'NoSchedule' }] }), ...Array.from({ length: 10 }, (_, i) => node(`n${i}`, { cpu: '1' })), node('t1', { taints: [{ key: 'k', effect: 'NoSchedule' }] }), node('t2', { taints: [{ key: 'k', effect: 'NoSchedule' }] })];
    const ev = run(withRequests(pod('p'), { cpu: '2' }), nodes);
    assert.equal(row(ev, 'a').failedFilter, 'NodeUnschedulable');
    assert.equal(ev.summary, '0/13 nodes are available: 1 node(s) were unschedulable, 10 Insufficient cpu, 2 node(s) had untolerated taint(s).');
  });
});
