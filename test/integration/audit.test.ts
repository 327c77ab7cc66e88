/**
 * Request budget and read-only proof, from the API server's own audit log: every command runs
 * as a user of its own against the real control plane with more than one page of pods; the log
 * shows which requests it made. Lists are constant in number (one per resource, paginated at
 * 500), no request is made per pod, pleg's per-node requests are bounded, and only
 * `stop --delete --yes` writes: exactly one delete, of the named pod, with its uid as precondition.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, DiscoveryV1Api, type V1Pod } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { runCli, runCliAsync, type CliResult } from '../helpers/cli.js';
import { auditedRun, countBy, requestKey, userKubeconfig, type AuditEvent } from './cluster/audit.js';
import { addNodes } from './cluster/harness.js';
import { nodeIP, nodeObject } from './cluster/nodes.js';
import { cluster } from './cluster/hooks.js';
import { dropNamespace, newNamespace, pod, waitFor, waitRunning } from './helpers.js';

const USER = 'podscope-audited';
const PAGE = 500;
/** More pods than one page holds; left unscheduled (no such scheduler), so they load nothing. */
const IDLE_PODS = 520;
const EXTRA_NODES = Array.from({ length: 6 }, (_, i) => `kwok-audit-${i}`);
const DEAD = 'kwok-audit-unreachable';
const READ_VERBS = new Set(['get', 'list', 'watch']);

const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));

/** Requests on resource `r` (and subresource) by verb. */
const on = (events: AuditEvent[], verb: string, resource: string, subresource?: string) =>
  events.filter((e) => e.verb === verb && e.objectRef?.resource === resource && e.objectRef.subresource === subresource);

describe('request budget and read-only proof (API server audit log)', function () {
  this.timeout(240_000);
  let kubeconfig = '';
  let ns = '';
  let outDir = '';
  const sizes: Record<string, number> = {};
  const report: string[] = [];

  async function podscope(args: string[]): Promise<{ r: CliResult; events: AuditEvent[] }> {
    const { result, events } = await auditedRun(cluster(), USER, () => runCliAsync(args, { env: { KUBECONFIG: kubeconfig } }));
    report.push(`${args.slice(0, 2).join(' ')}${args.includes('--delete') ? ' --delete' : ''}: ${events.length} requests ${JSON.stringify(countBy(events))}`);
    return { r: result, events };
  }

  /** How many objects of each listed resource there are now (admin view). */
  async function measureSizes(): Promise<void> {
    const kc = cluster().kc;
    const core = kc.makeApiClient(CoreV1Api);
    sizes.nodes = (await core.listNode()).items.length;
    sizes.pods = (await core.listPodForAllNamespaces()).items.length;
    sizes.events = (await core.listEventForAllNamespaces()).items.length;
    sizes.services = (await core.listServiceForAllNamespaces()).items.length;
    sizes.endpointslices = (await kc.makeApiClient(DiscoveryV1Api).listEndpointSliceForAllNamespaces()).items.length;
  }

  /** Checks common to every read-only command: verbs, lists within their pages, no named pod beyond `allowedPod`. */
  function assertReadOnlyBudget(events: AuditEvent[], allowedPod?: string): void {
    assert.ok(events.length > 0, 'the audit log shows no request of the command');
    const writes = events.filter((e) => !READ_VERBS.has(e.verb));
    assert.deepEqual(writes.map(requestKey), [], 'a read-only command wrote');
    for (const [resource, n] of Object.entries(sizes)) {
      // +1: a list may run while an event is added; one extra page at most.
      const lists = on(events, 'list', resource).length;
      assert.ok(lists <= pages(n + 50), `${lists} list calls of ${resource} for ${n} objects (at most ${pages(n + 50)} pages)`);
    }
    const namedPods = events.filter((e) => e.objectRef?.resource === 'pods' && e.objectRef.name && !e.objectRef.subresource);
    assert.ok(namedPods.every((e) => e.objectRef?.name === allowedPod), `requests per pod: ${namedPods.map((e) => e.objectRef?.name).join(', ')}`);
    assert.ok(namedPods.length <= 1, `${namedPods.length} requests for pod ${allowedPod}`);
    // No other per-object reads (events, services, slices one by one).
    const namedOther = events.filter((e) => e.objectRef?.name && !['pods', 'nodes'].includes(e.objectRef.resource ?? ''));
    assert.deepEqual(namedOther.map((e) => `${requestKey(e)} ${e.objectRef?.name}`), []);
  }

  before(async function () {
    this.timeout(300_000);
    const c = cluster();
    kubeconfig = userKubeconfig(c, USER);
    outDir = mkdtempSync(join(tmpdir(), 'podscope-audit-'));
    ns = await newNamespace(c.kc, 'audit');
    const core = c.kc.makeApiClient(CoreV1Api);
    await addNodes(c, EXTRA_NODES.map((name) => ({ name, capacity: { cpu: '4', memory: '16Gi', pods: '110' } })));
    await core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } });
    for (const name of ['web-0', 'web-1']) {
      await core.createNamespacedPod({ namespace: ns, body: pod(name, { app: 'web' }, { terminationGracePeriodSeconds: 2 }) });
    }
    // Unschedulable: the scheduler writes a FailedScheduling event for it.
    await core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name: 'big-0' }, spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1', resources: { requests: { cpu: '500' } } }] } },
    });
    const limit = pLimit(16);
    const idle = (i: number): V1Pod => ({ metadata: { name: `idle-${i}`, labels: { app: 'idle' } }, spec: { schedulerName: 'podscope-audit-nobody', containers: [{ name: 'app', image: 'registry.invalid/idle:1' }] } });
    await Promise.all(Array.from({ length: IDLE_PODS }, (_, i) => limit(() => core.createNamespacedPod({ namespace: ns, body: idle(i) }))));
    await waitRunning(c.kc, ns, 'web-0');
    await waitRunning(c.kc, ns, 'web-1');
    await waitFor('FailedScheduling of big-0', async () =>
      (await core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.name=big-0' })).items.some((e) => e.reason === 'FailedScheduling'),
    );
    await measureSizes();
    assert.ok(sizes.pods! > PAGE, `more than one page of pods (${sizes.pods})`);
  });

  after(async () => {
    process.stderr.write(`      sizes: ${JSON.stringify(sizes)}\n${report.map((l) => `      ${l}\n`).join('')}`);
    const core = cluster().kc.makeApiClient(CoreV1Api);
    for (const name of EXTRA_NODES) await core.deleteNode({ name }).catch(() => undefined);
    await dropNamespace(cluster().kc, ns);
    rmSync(outDir, { recursive: true, force: true });
  });

  it('check -A: one paginated list per resource, nothing per pod, no write', async () => {
    const { r, events } = await podscope(['check', '-A', '-o', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assertReadOnlyBudget(events);
    assert.equal(on(events, 'list', 'pods').length, pages(sizes.pods!), 'pods listed once, page by page');
    for (const e of on(events, 'list', 'pods')) assert.match(e.requestURI, /limit=500/);
    assert.ok(events.length <= Object.values(sizes).reduce((s, n) => s + pages(n + 50), 0) + 2, `${events.length} requests in all`);
  });

  it('pleg --all: constant lists plus a bounded number of kubelet requests per node', async () => {
    const { r, events } = await podscope(['pleg', '--all', '-o', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assertReadOnlyBudget(events);
    const proxy = on(events, 'get', 'nodes', 'proxy');
    const perNode = countBy(proxy, (e) => e.objectRef?.name ?? '?');
    assert.equal(Object.keys(perNode).length, sizes.nodes, `every node's kubelet asked: ${JSON.stringify(perNode)}`);
    // metrics and the kubelet log, each with at most one retry.
    assert.ok(Math.max(...Object.values(perNode)) <= 4, `per-node requests: ${JSON.stringify(perNode)}`);
    assert.equal(events.length - proxy.length <= 3 + pages(sizes.pods! + 50) + pages(sizes.events! + 50) + 2, true, `${events.length - proxy.length} requests besides the kubelets'`);
  });

  it('pleg on a node whose kubelet does not answer: the node proxy fails, and podscope does not storm it', async function () {
    // The fail-fast node proxy (issue 14 item 1, --node-timeout) is another branch's; before it lands,
    // podscope retries with backoff (10 kubelet requests for this node, measured) and this bound cannot hold.
    if (!/--node-timeout/.test(runCli(['pleg', '--help']).stdout)) this.skip();
    // An InternalIP the kubelet front refuses: the API server cannot reach that "kubelet" (503).
    const core = cluster().kc.makeApiClient(CoreV1Api);
    await core.createNode({ body: nodeObject({ name: DEAD }, nodeIP(100_000), cluster().versions.kubernetes) });
    try {
      await waitFor(`${DEAD} Ready`, async () => (await core.readNode({ name: DEAD })).status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false);
      const { r, events } = await podscope(['pleg', DEAD, '-o', 'json']);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assertReadOnlyBudget(events);
      const proxy = on(events, 'get', 'nodes', 'proxy');
      assert.ok(proxy.every((e) => e.objectRef?.name === DEAD && (e.responseStatus?.code ?? 0) >= 500), JSON.stringify(proxy.map((e) => e.responseStatus?.code)));
      // metrics and the kubelet log, each with at most one quick retry (issue 14).
      assert.ok(proxy.length >= 1 && proxy.length <= 4, `${proxy.length} kubelet requests for one unreachable node`);
      assert.equal(on(events, 'list', 'pods').length, 1);
      assert.match(decodeURIComponent(on(events, 'list', 'pods')[0]!.requestURI), new RegExp(`fieldSelector=spec\\.nodeName=${DEAD}`), 'only that node\'s pods');
    } finally {
      await core.deleteNode({ name: DEAD }).catch(() => undefined);
    }
  });

  it('inspect: the pod, and its events only (involvedObject field selector)', async () => {
    const { r, events } = await podscope(['inspect', 'web-0', '-n', ns, '-o', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assertReadOnlyBudget(events, 'web-0');
    assert.equal(on(events, 'get', 'pods').length, 1);
    const evLists = on(events, 'list', 'events');
    assert.equal(evLists.length, 1);
    assert.match(decodeURIComponent(evLists[0]!.requestURI), /fieldSelector=involvedObject\.kind=Pod,involvedObject\.name=web-0/);
    assert.ok(events.length <= 3, JSON.stringify(countBy(events)));
  });

  it('schedule: the pod, the nodes, the pods once, the pod\'s events', async () => {
    const { r, events } = await podscope(['schedule', 'big-0', '-n', ns, '-o', 'json']);
    assert.equal(r.code, 1, r.stderr); // unschedulable: a critical finding
    assertReadOnlyBudget(events, 'big-0');
    assert.equal(on(events, 'list', 'nodes').length, 1);
    assert.equal(on(events, 'list', 'pods').length, pages(sizes.pods!));
    const evLists = on(events, 'list', 'events');
    assert.equal(evLists.length, 1);
    assert.match(decodeURIComponent(evLists[0]!.requestURI), /fieldSelector=involvedObject\.kind=Pod,involvedObject\.name=big-0/);
  });

  it('snapshot -A --node-data all: one paginated list per resource, bounded per-node requests, no write', async () => {
    const { r, events } = await podscope(['snapshot', join(outDir, 'snap'), '-A', '--node-data', 'all', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assertReadOnlyBudget(events);
    for (const k of ['nodes', 'pods', 'events', 'services', 'endpointslices']) assert.equal(on(events, 'list', k).length, pages(sizes[k]!), `${k} listed once`);
    const perNode = countBy(on(events, 'get', 'nodes', 'proxy'), (e) => e.objectRef?.name ?? '?');
    assert.equal(Object.keys(perNode).length, sizes.nodes, `every node's kubelet asked: ${JSON.stringify(perNode)}`);
    assert.ok(Object.values(perNode).every((n) => n <= 4), `per-node requests: ${JSON.stringify(perNode)}`);
  });

  it('stop (static): the pod, its namespace\'s Services and EndpointSlices, no write', async () => {
    const { r, events } = await podscope(['stop', 'web-0', '-n', ns, '-o', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assertReadOnlyBudget(events, 'web-0');
    for (const k of ['services', 'endpointslices']) {
      const lists = on(events, 'list', k);
      assert.equal(lists.length, 1, k);
      assert.equal(lists[0]!.objectRef?.namespace, ns, `${k} of the pod's namespace only`);
    }
  });

  it('stop --delete --yes: exactly one delete, of the named pod, with its uid as precondition', async () => {
    const core = cluster().kc.makeApiClient(CoreV1Api);
    const uid = (await core.readNamespacedPod({ namespace: ns, name: 'web-1' })).metadata?.uid;
    const { r, events } = await podscope(['stop', 'web-1', '-n', ns, '--delete', '--yes', '-o', 'json', '--timeout', '60s']);
    assert.equal(r.code, 0, r.stderr);
    const writes = events.filter((e) => !READ_VERBS.has(e.verb));
    assert.deepEqual(writes.map((e) => `${requestKey(e)} ${e.objectRef?.namespace}/${e.objectRef?.name}`), [`delete pods ${ns}/web-1`]);
    assert.equal(writes[0]!.requestObject?.preconditions?.uid, uid, 'the delete carries the pod uid as precondition');
    assert.equal(writes[0]!.responseStatus?.code, 200);
    const named = events.filter((e) => e.objectRef?.resource === 'pods' && e.objectRef.name);
    assert.ok(named.every((e) => e.objectRef?.name === 'web-1'), 'no other pod was touched');
    assert.ok(on(events, 'list', 'pods').every((e) => /fieldSelector=metadata.name%3Dweb-1/.test(e.requestURI)), 'pod lists narrowed to web-1');
  });
});
