import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { V1Container, V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import { kubeProxyView, readKubeProxy } from '../../src/analysis/stop/kube-proxy.js';
import { preStopOf, sleepIn } from '../../src/analysis/stop/prestop.js';
import { analyseStopStatic } from '../../src/analysis/stop/static.js';
import { buildTimeline } from '../../src/analysis/stop/timeline.js';
import type { TraceEvent } from '../../src/analysis/stop/timeline.js';
import { stopVerdict } from '../../src/analysis/stop/verdict.js';
import { fixture } from '../helpers/cli.js';
import { loadInputs } from './load.js';

const T0 = Date.parse('2026-11-21T18:00:00.123Z');
const POD = { namespace: 'shop', name: 'web-7d9f8b6c5-x2kqp', uid: '6f1c2a9e-4b7d-4c1e-9a53-2d8e0f7b1c11' };
const events = (name: string) => readFileSync(fixture('stop', name), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TraceEvent);

describe('stop: preStop durations', () => {
  it('reads obvious sleeps in exec hooks, bare or through a shell', () => {
    assert.deepEqual(sleepIn(['sleep', '20']), { seconds: 20, alone: true });
    assert.deepEqual(sleepIn(['/bin/sh', '-c', 'sleep 15']), { seconds: 15, alone: true });
    assert.deepEqual(sleepIn(['/bin/sleep', '2m']), { seconds: 120, alone: true });
    assert.deepEqual(sleepIn(['sh', '-c', 'sleep 5 && nginx -s quit']), { seconds: 5, alone: false });
    assert.equal(sleepIn(['/usr/local/bin/drain', '--wait']), undefined);
    assert.equal(sleepIn(['sh', '-c', 'nosleep 5']), undefined);
  });

  it('knows the sleep action exactly and httpGet not at all', () => {
    const c = (lifecycle: V1Container['lifecycle']): V1Container => ({ name: 'web', lifecycle });
    assert.deepEqual(preStopOf(c({ preStop: { sleep: { seconds: 7 } } })), { kind: 'sleep', seconds: 7, atLeast: false, detail: 'sleep action 7s' });
    const http = preStopOf(c({ preStop: { httpGet: { path: '/drain', port: 8080 } } }));
    assert.equal(http?.kind, 'httpGet');
    assert.equal(http?.seconds, null);
    assert.equal(preStopOf(c(undefined)), null);
  });
});

describe('stop: static view', () => {
  it('finds the Service, the pod endpoint in its slice and the stop order of native sidecars', async () => {
    const i = await loadInputs('stop', 'web-with-sidecars.json');
    const s = analyseStopStatic(i.pods![0] as V1Pod, i.services as V1Service[], i.endpointslices as V1EndpointSlice[]);
    assert.deepEqual(s.services, [{ name: 'web', publishNotReadyAddresses: false }]);
    assert.deepEqual(s.endpoints, [{ slice: 'web-8xk2p', service: 'web', ready: true, serving: true, terminating: false }]);
    assert.equal(s.preStopSeconds, 15);
    assert.equal(s.gracePeriodSeconds, 30);
    // Sidecars stop after the app, in reverse order of definition: log-shipper (defined last) first.
    assert.deepEqual(s.containers.map((c) => [c.name, c.role, c.stopOrder]), [
      ['web', 'app', 1],
      ['log-shipper', 'native-sidecar', 2],
      ['istio-proxy', 'native-sidecar', 3],
    ]);
  });
});

describe('stop: kube-proxy metrics', () => {
  const before = readKubeProxy(readFileSync(fixture('stop', 'kube-proxy-before.txt'), 'utf8'));
  const after = readKubeProxy(readFileSync(fixture('stop', 'kube-proxy-after.txt'), 'utf8'));

  it('reads the sync gauges in milliseconds', () => {
    assert.equal(Math.round(after.lastSyncAt!), T0 + 310);
    assert.equal(Math.round(after.lastQueuedAt!), T0 + 305);
    assert.equal(after.programming?.count, 141);
  });

  it('takes the first sync after the endpoint left the slices and the latency of the changes in between', () => {
    const v = kubeProxyView('node-a', before, after, T0 + 31);
    assert.equal(Math.round(v.syncedAt!), T0 + 310);
    assert.equal(v.behind, false);
    assert.equal(v.programming?.count, 1);
    assert.ok(v.programming!.p99Seconds! > 0.25 && v.programming!.p99Seconds! <= 0.5); // the one new observation is in (0.25, 0.5]
  });

  it('does not take a sync from before the change', () => {
    assert.equal(kubeProxyView('node-a', before, before, T0 + 31).syncedAt, null);
  });
});

describe('stop: verdict', () => {
  const twoReplicas = buildTimeline({ pod: POD, events: events('trace-two-replicas.jsonl'), deletion: { sentAt: T0, answeredAt: T0 + 12 } });

  it('finds no window when the preStop sleep outlasts the endpoint lag', () => {
    const v = stopVerdict({ timeline: twoReplicas, preStopSeconds: 2, preStopUnknown: false, gracePeriodSeconds: 30, kubeProxy: { views: [{ node: 'node-a', syncedAt: T0 + 310, behind: false, programming: null }] }, ended: 'gone' });
    assert.equal(v.exposureMs, 0);
    assert.equal(v.unroutedAtMs, 310);
    assert.equal(v.controlPlaneOnly, false);
    assert.deepEqual(v.advice, []);
    assert.equal(twoReplicas.lastEndpoint, false);
  });

  it('measures the window without a preStop and says which sleep closes it', () => {
    const v = stopVerdict({ timeline: twoReplicas, preStopSeconds: null, preStopUnknown: false, gracePeriodSeconds: 30, kubeProxy: { views: [{ node: 'node-a', syncedAt: T0 + 310, behind: false, programming: null }] }, ended: 'gone' });
    assert.equal(v.exposureMs, 310);
    assert.match(v.summary, /for 310 ms after its app got SIGTERM/);
    assert.match(v.advice[0]!, /preStop\.sleep\.seconds: 1 /);
  });

  it('gives the control-plane part only when kube-proxy cannot be read, and advises replicas for a lone one', () => {
    const single = buildTimeline({ pod: POD, events: events('trace-one-replica.jsonl'), deletion: { sentAt: T0, answeredAt: T0 + 12 } });
    const v = stopVerdict({ timeline: single, preStopSeconds: null, preStopUnknown: false, gracePeriodSeconds: 4, kubeProxy: { unavailable: 'not reachable' }, ended: 'gone' });
    assert.equal(v.controlPlaneOnly, true);
    assert.equal(v.exposureMs, 3462);
    assert.match(v.summary, /left the EndpointSlices at \+3462 ms/);
    // The lone replica was routed as the terminating fallback: more replicas, not a longer sleep.
    assert.equal(single.lastEndpoint, true);
    assert.equal(v.advice.length, 1);
    assert.match(v.advice[0]!, /last serving endpoint of its Service/);
  });

  it('adds an allowance for kube-proxy to the advised sleep when it cannot be read', () => {
    const v = stopVerdict({ timeline: twoReplicas, preStopSeconds: null, preStopUnknown: false, gracePeriodSeconds: 4, kubeProxy: { unavailable: 'not reachable' }, ended: 'gone' });
    assert.equal(v.controlPlaneOnly, true);
    assert.equal(v.exposureMs, 31);
    assert.match(v.advice[0]!, /sleep\.seconds: 2 .*1000 ms for kube-proxy, not measured/);
    assert.match(v.advice[1]!, /from 4 to at least 7/);
  });

  it('calls a tie at the control plane a risk when kube-proxy is not measured, and safe once SIGTERM waits for the allowance', () => {
    // The endpoint left the slices 31 ms after the deletion; with no preStop the app got SIGTERM at
    // +0 ms, and with a 1 s preStop still before kube-proxy's unmeasured sync (31 ms + 1000 ms).
    const none = stopVerdict({ timeline: twoReplicas, preStopSeconds: 1, preStopUnknown: false, gracePeriodSeconds: 30, kubeProxy: { unavailable: 'not reachable' }, ended: 'gone' });
    assert.equal(none.exposureMs, 0);
    assert.equal(none.atRisk, true);
    assert.match(none.summary, /until kube-proxy synced on its node, which was not measured/);
    const long = stopVerdict({ timeline: twoReplicas, preStopSeconds: 2, preStopUnknown: false, gracePeriodSeconds: 30, kubeProxy: { unavailable: 'not reachable' }, ended: 'gone' });
    assert.equal(long.atRisk, false);
    assert.match(long.summary, /before the app got SIGTERM \(\+2000 ms\)/);
    const measured = stopVerdict({ timeline: twoReplicas, preStopSeconds: 1, preStopUnknown: false, gracePeriodSeconds: 30, kubeProxy: { views: [{ node: 'node-a', syncedAt: T0 + 310, behind: false, programming: null }] }, ended: 'gone' });
    assert.equal(measured.atRisk, false, 'kube-proxy measured at +310 ms, SIGTERM at +1000 ms');
  });

  it('is unknown when the deletion was never seen', () => {
    const t = buildTimeline({ pod: POD, events: events('trace-two-replicas.jsonl').filter((e) => e.type === 'SYNC') });
    const v = stopVerdict({ timeline: t, preStopSeconds: null, preStopUnknown: false, gracePeriodSeconds: 30, kubeProxy: { unavailable: 'x' }, ended: 'timeout' });
    assert.equal(v.exposureMs, null);
    assert.match(v.summary, /not deleted while podscope watched \(timeout\)/);
  });
});
