/**
 * podscope's live source (src/source/live.ts) against the real control plane: paginated lists,
 * the scheduler's FailedScheduling events, EndpointSlices of a terminating pod, kubelet metrics
 * through the node proxy. The cluster is set up with client-node; everything asserted is what
 * podscope itself read.
 */
import { strict as assert } from 'node:assert';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { family, histogramQuantile, parsePrometheus } from '../../src/parse/prometheus.js';
import { LiveSource } from '../../src/source/live.js';
import type { Got } from '../../src/source/types.js';
import { setNodeLog } from './cluster/harness.js';
import { cluster } from './cluster/hooks.js';
import { dropNamespace, minorOf, NO_NODE_LOG_QUERY, newNamespace, pod, waitFor, waitRunning } from './helpers.js';

/** Milliseconds of a timestamp that client-node typed as Date and podscope keeps as an ISO string. */
const ms = (t: unknown): number => new Date(t as string).getTime();

/** The value of a Got, failing the test with the unavailable reason otherwise. */
function value<T>(g: Got<T>): T {
  if (!g.ok) assert.fail(`unavailable: ${g.unavailable.reason}`);
  return g.value;
}

/** Open podscope's live source on the test cluster and record every list request it sends. */
async function openSource(
  pageSize?: number,
): Promise<{ source: LiveSource; requests: Array<{ path: string; continue?: unknown; limit?: unknown }> }> {
  const source = await LiveSource.open({ kubeconfig: cluster().kubeconfig, pageSize });
  const requests: Array<{ path: string; continue?: unknown; limit?: unknown }> = [];
  const http = source.http as unknown as { getJson: (path: string, query?: Record<string, unknown>) => Promise<unknown> };
  const getJson = http.getJson.bind(source.http);
  http.getJson = (path, query) => {
    requests.push({ path, continue: query?.continue, limit: query?.limit });
    return getJson(path, query);
  };
  return { source, requests };
}

describe('live source against the real control plane', () => {
  let ns = '';
  before(async () => {
    ns = await newNamespace(cluster().kc, 'live');
  });
  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns);
  });

  it('reports the server version', async () => {
    const { source } = await openSource();
    assert.equal((await source.info()).serverVersion, cluster().versions.kubernetes);
  });

  it('lists 1,100 pods in pages of 500 with continue tokens, and nodes in pages of 2', async () => {
    const core = cluster().kc.makeApiClient(CoreV1Api);
    const limit = pLimit(16);
    // schedulerName names no scheduler: the pods stay Pending, unscheduled and eventless.
    const names = Array.from({ length: 1100 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    await Promise.all(
      names.map((name) =>
        limit(() => core.createNamespacedPod({ namespace: ns, body: pod(name, { bulk: 'yes' }, { schedulerName: 'podscope-test-none' }) })),
      ),
    );
    const { source, requests } = await openSource();
    const pods = value(await source.list('pods', { namespace: ns, allNamespaces: false }));
    assert.deepEqual(
      pods
        .map((p) => p.metadata?.name)
        .filter((n) => n?.startsWith('bulk-'))
        .sort(),
      names,
    );
    const podPages = requests.filter((r) => r.path === `/api/v1/namespaces/${ns}/pods`);
    assert.equal(podPages.length, 3);
    assert.deepEqual(
      podPages.map((r) => r.limit),
      [500, 500, 500],
    );
    assert.equal(podPages[0]!.continue, undefined);
    assert.ok(podPages[1]!.continue && podPages[2]!.continue && podPages[1]!.continue !== podPages[2]!.continue);

    const small = await openSource(2);
    const nodes = value(await small.source.list('nodes', { allNamespaces: true }));
    assert.deepEqual(nodes.map((n) => n.metadata?.name).sort(), ['kwok-node-0', 'kwok-node-1', 'kwok-node-2']);
    assert.equal(small.requests.filter((r) => r.path === '/api/v1/nodes').length, 2);
  });

  it("reads the real scheduler's FailedScheduling event (core/v1 view: eventTime set, no firstTimestamp)", async () => {
    const core = cluster().kc.makeApiClient(CoreV1Api);
    const body = pod('too-big');
    body.spec!.containers[0]!.resources = { requests: { cpu: '100' } };
    await core.createNamespacedPod({ namespace: ns, body });
    await core.createNamespacedPod({ namespace: ns, body: pod('fits') });
    const { source } = await openSource();
    let events: Awaited<ReturnType<typeof source.list<'events'>>> | undefined;
    const failed = () =>
      events?.ok ? events.value.find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'too-big') : undefined;
    await waitFor('FailedScheduling read by podscope', async () => {
      events = await source.list('events', { namespace: ns, allNamespaces: false });
      return !!failed() && value(events).some((e) => e.reason === 'Scheduled' && e.involvedObject.name === 'fits');
    });
    const ev = failed()!;
    assert.equal(ev.reportingComponent, 'default-scheduler');
    assert.equal(ev.type, 'Warning');
    assert.ok(ev.eventTime, 'eventTime set');
    assert.equal(ev.firstTimestamp ?? null, null, 'firstTimestamp is null for events.k8s.io events');
    assert.equal(ev.source?.component ?? '', '', 'source is empty for events.k8s.io events');
    // 1.32 still names the taint; 1.36 no longer does (README, "What the real control plane taught us").
    const wording = minorOf(cluster().versions.kubernetes) <= 32
      ? /^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}, 2 Insufficient cpu\. preemption: 0\/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod\.$/
      : /^0\/3 nodes are available: 1 node\(s\) had untolerated taint\(s\), 2 Insufficient cpu\./;
    assert.match(ev.message ?? '', wording);
    const paged = await openSource(1);
    const all = value(await paged.source.list('events', { namespace: ns, allNamespaces: false }));
    assert.ok(all.length >= 2);
    assert.equal(paged.requests.filter((r) => r.path === `/api/v1/namespaces/${ns}/events`).length, all.length, 'one event a page');
  });

  it('sees the endpoint of a deleted Ready pod go terminating, between the delete request and the grace deadline', async () => {
    const kc = cluster().kc;
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'shop' }, spec: { selector: { app: 'shop' }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    await core.createNamespacedPod({ namespace: ns, body: pod('shop-0', { app: 'shop' }, { terminationGracePeriodSeconds: 8 }) });
    const running = await waitRunning(kc, ns, 'shop-0');
    const { source } = await openSource();
    const scope = { namespace: ns, allNamespaces: false };
    const endpoint = async () =>
      value(await source.list('endpointslices', scope))
        .filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'shop')
        .flatMap((s) => (s.endpoints ?? []).map((e) => ({ slice: s, e })))
        .find((x) => x.e.targetRef?.name === 'shop-0');
    await waitFor('ready endpoint', async () => (await endpoint())?.e.conditions?.ready === true);
    const ready = (await endpoint())!;
    assert.deepEqual(ready.e.addresses, [running.status!.podIP]);
    const readyAt = ms(ready.slice.metadata!.annotations!['endpoints.kubernetes.io/last-change-trigger-time']);
    assert.ok(readyAt >= ms(running.metadata!.creationTimestamp) - 1000, 'trigger time of the ready endpoint');

    await core.deleteNamespacedPod({ namespace: ns, name: 'shop-0' });
    let seen: Awaited<ReturnType<typeof endpoint>>;
    await waitFor(
      'terminating endpoint read by podscope',
      async () => (seen = await endpoint())?.e.conditions?.terminating === true,
      30_000,
      50,
    );
    const seenAt = Date.now();
    assert.deepEqual({ ...seen!.e.conditions }, { ready: false, serving: true, terminating: true });
    const terminating: V1Pod = value(await source.getPod(ns, 'shop-0'));
    const deadline = ms(terminating.metadata!.deletionTimestamp);
    const requested = deadline - (terminating.metadata!.deletionGracePeriodSeconds ?? 0) * 1000;
    assert.equal(terminating.metadata!.deletionGracePeriodSeconds, 8);
    assert.ok(seenAt >= requested && seenAt <= deadline + 1000, 'terminating seen between the request and the grace deadline');
    await waitFor('kwok deletes the pod and the endpoint goes', async () => !(await endpoint()), 30_000);
    const gone = await source.getPod(ns, 'shop-0');
    assert.equal(gone.ok ? 'present' : gone.unavailable.kind, 'not-found');
  });

  it("reads each node's kubelet PLEG and runtime metrics through the node proxy", async () => {
    const { source } = await openSource();
    for (const node of ['kwok-node-0', 'kwok-node-1']) {
      const metrics = parsePrometheus(value(await source.nodeMetrics(node)));
      assert.equal(family(metrics, 'kubelet_node_name')?.series[0]?.labels.node, node);
      const relist = family(metrics, 'kubelet_pleg_relist_duration_seconds');
      assert.equal(relist?.type, 'histogram');
      const buckets = relist!.series[0]!.buckets!;
      assert.equal(buckets.at(-1)?.le, Infinity);
      assert.equal(buckets.at(-1)?.count, relist!.series[0]!.count, '+Inf bucket equals _count');
      assert.deepEqual(histogramQuantile(0.99, buckets)?.saturated, false);
      assert.ok(histogramQuantile(0.99, buckets)!.value <= 0.005);
      const lastSeen = family(metrics, 'kubelet_pleg_last_seen_seconds')?.series[0]?.value ?? 0;
      assert.ok(Math.abs(Date.now() / 1000 - lastSeen) < 60, 'PLEG last seen within a minute');
      const ops = family(metrics, 'kubelet_runtime_operations_total')
        ?.series.map((s) => s.labels.operation_type)
        .sort();
      assert.deepEqual(ops, ['container_status', 'list_containers', 'list_podsandbox', 'podsandbox_status']);
    }
  });

  it('streams a node log query (?query=kubelet&tailLines=2) through the API server (1.32: skipped, with the reason)', async () => {
    setNodeLog(
      cluster(),
      'kwok-node-1',
      [
        'Nov 21 03:00:01 kwok-node-1 kubelet[812]: I1121 03:00:01.000000     812 kubelet.go:2400] "SyncLoop (PLEG): event for pod"',
        'Nov 21 03:04:07 kwok-node-1 kubelet[812]: E1121 03:04:07.522000     812 kubelet.go:2453] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 3m5.30015447s ago; threshold is 3m0s"',
        'Nov 21 03:04:12 kwok-node-1 kubelet[812]: I1121 03:04:12.100000     812 kubelet_node_status.go:724] "Recording event message for node" node="kwok-node-1" event="NodeNotReady"',
      ].join('\n') + '\n',
    );
    const { source } = await openSource();
    if (minorOf(cluster().versions.kubernetes) <= 32) {
      // NodeLogQuery is beta and off by default in 1.32: the kubelet ignores ?query= and serves
      // /var/log's listing; its relative links pass the API server's proxy unchanged.
      const raw = await source.http.getText('/api/v1/nodes/kwok-node-1/proxy/logs/', { query: 'kubelet', tailLines: 2 });
      assert.ok(raw.startsWith('<!doctype html>\n'), raw);
      assert.match(raw, /\n<a href="containers\/">containers\/<\/a>\n/);
      const g = await source.nodeLogs('kwok-node-1', { query: 'kubelet', tailLines: 2 });
      assert.equal(g.ok ? 'served' : g.unavailable.kind, 'unsupported');
      assert.match(g.ok ? '' : g.unavailable.reason, NO_NODE_LOG_QUERY);
      return;
    }
    const stream = value(await source.nodeLogs('kwok-node-1', { query: 'kubelet', tailLines: 2 }));
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /pleg was last seen active 3m5\.30015447s ago; threshold is 3m0s/);
    const none = await source.nodeLogs('kwok-node-0', { query: 'kubelet' });
    assert.equal(none.ok ? 'served' : none.unavailable.kind, 'unsupported', 'a kubelet without the log answers 404');
  });

  it("reports a missing node's metrics as unavailable, not as an error", async () => {
    const { source } = await openSource();
    const g = await source.nodeMetrics('no-such-node');
    assert.equal(g.ok, false);
    assert.match(g.ok ? '' : g.unavailable.reason, /no-such-node/);
  });
});
