import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { runTrace } from '../../src/gather/trace.js';
import type { TraceDriver } from '../../src/gather/trace.js';
import type { TraceEvent } from '../../src/analysis/stop/timeline.js';
import { stopVerdict } from '../../src/analysis/stop/verdict.js';
import { got, missing } from '../../src/source/types.js';
import { fixture } from '../helpers/cli.js';

type Item = { kind: string };
const items = (JSON.parse(readFileSync(fixture('stop', 'web-behind-service.json'), 'utf8')) as { items: Item[] }).items;
const clone = <T>(x: T): T => structuredClone(x);
const POD = items.find((i) => i.kind === 'Pod') as unknown as V1Pod;
const SLICE = items.find((i) => i.kind === 'EndpointSlice') as unknown as V1EndpointSlice;

/** kube-proxy /metrics text with the two sync gauges. */
const proxyText = (lastSyncMs: number) =>
  [
    '# HELP kubeproxy_sync_proxy_rules_last_timestamp_seconds [ALPHA] The last time proxy rules were successfully synced',
    '# TYPE kubeproxy_sync_proxy_rules_last_timestamp_seconds gauge',
    `kubeproxy_sync_proxy_rules_last_timestamp_seconds ${lastSyncMs / 1000}`,
    '# HELP kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds [ALPHA] The last time a sync of proxy rules was queued',
    '# TYPE kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds gauge',
    `kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds ${lastSyncMs / 1000}`,
    '',
  ].join('\n');

/** A driver that plays a deletion: deletionTimestamp +5 ms, terminating +20 ms, kube-proxy sync +100 ms, gone +150 ms. */
function fakeDriver(opts: { proxy: boolean | 'first-only' }): TraceDriver & { deletes: number; proxyReads: number } {
  let emit: ((e: TraceEvent) => void) | undefined;
  let lastSync = Date.now() - 60_000;
  const d = {
    deletes: 0,
    proxyReads: 0,
    async watch(_p: unknown, signal: AbortSignal, on: { event: (e: TraceEvent) => void; listed?: () => void }) {
      emit = on.event;
      on.event({ resource: 'pod', type: 'SYNC', object: clone(POD), observedAt: Date.now() });
      on.event({ resource: 'endpointslice', type: 'SYNC', object: clone(SLICE), observedAt: Date.now() });
      on.listed?.();
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    },
    async deletePod(_ns: string, _name: string, uid: string) {
      d.deletes++;
      assert.equal(uid, POD.metadata?.uid);
      const sentAt = Date.now();
      const p = clone(POD);
      p.metadata!.deletionTimestamp = new Date(sentAt + 30_000).toISOString() as unknown as Date;
      p.metadata!.deletionGracePeriodSeconds = 30;
      const s = clone(SLICE);
      s.endpoints![0]!.conditions = { ready: false, serving: true, terminating: true };
      setTimeout(() => emit?.({ resource: 'pod', type: 'MODIFIED', object: p, observedAt: Date.now() }), 5);
      setTimeout(() => emit?.({ resource: 'endpointslice', type: 'MODIFIED', object: s, observedAt: Date.now() }), 20);
      setTimeout(() => (lastSync = Date.now()), 100);
      setTimeout(() => {
        emit?.({ resource: 'pod', type: 'DELETED', object: p, observedAt: Date.now() });
        const gone = clone(s);
        gone.endpoints = gone.endpoints!.slice(1);
        emit?.({ resource: 'endpointslice', type: 'MODIFIED', object: gone, observedAt: Date.now() });
      }, 150);
      return { sentAt, answeredAt: sentAt + 1, pod: p };
    },
    async kubeProxyMetrics() {
      d.proxyReads++;
      const up = opts.proxy === true || (opts.proxy === 'first-only' && d.proxyReads === 1);
      return up ? got(proxyText(lastSync)) : missing<string>({ input: 'kube-proxy-metrics', kind: 'failed', reason: 'not reachable (503)' });
    },
  };
  return d;
}

describe('stop trace runner', () => {
  it('deletes once, waits for the pod and the endpoint to go, and times kube-proxy\'s sync', async () => {
    const driver = fakeDriver({ proxy: true });
    const r = await runTrace({ driver, pod: POD, mode: 'delete', timeoutMs: 10_000, pollMs: 20 });
    assert.equal(driver.deletes, 1);
    assert.equal(r.ended, 'gone');
    assert.ok(!('unavailable' in r.kubeProxy));
    const sync = r.timeline.entries.find((e) => e.what.startsWith('kube-proxy on node-a synced'))!;
    assert.equal(sync.clock, 'recorded');
    const term = r.timeline.entries.find((e) => e.what.includes('terminating=true'))!;
    assert.ok(sync.offsetMs >= 90 && sync.offsetMs < 2000, `sync at +${sync.offsetMs}`); // timers run late on a loaded machine
    assert.ok(term.offsetMs >= 15 && term.offsetMs < sync.offsetMs);
    const v = stopVerdict({ timeline: r.timeline, preStopSeconds: null, preStopUnknown: false, gracePeriodSeconds: 30, kubeProxy: r.kubeProxy, ended: r.ended });
    assert.equal(v.controlPlaneOnly, false);
    assert.equal(v.unroutedAtMs, sync.offsetMs);
  });

  it('says kube-proxy was not measured and still finishes on the control-plane part', async () => {
    const driver = fakeDriver({ proxy: false });
    const r = await runTrace({ driver, pod: POD, mode: 'delete', timeoutMs: 10_000, pollMs: 20 });
    assert.equal(r.ended, 'gone');
    assert.deepEqual(r.kubeProxy, { unavailable: 'not reachable (503)' });
    assert.equal(driver.proxyReads, 1);
  });

  it('finishes when kube-proxy answered before the deletion but not after it', async () => {
    const driver = fakeDriver({ proxy: 'first-only' });
    const r = await runTrace({ driver, pod: POD, mode: 'delete', timeoutMs: 10_000, pollMs: 20 });
    assert.equal(r.ended, 'gone');
    assert.ok(!('unavailable' in r.kubeProxy));
    assert.equal(r.kubeProxy.views[0]?.syncedAt, null);
    const v = stopVerdict({ timeline: r.timeline, preStopSeconds: null, preStopUnknown: false, gracePeriodSeconds: 30, kubeProxy: r.kubeProxy, ended: r.ended });
    assert.equal(v.controlPlaneOnly, true);
  });

  it('never deletes in --watch mode and ends at the timeout', async () => {
    const driver = fakeDriver({ proxy: false });
    const r = await runTrace({ driver, pod: POD, mode: 'watch', timeoutMs: 150, pollMs: 20 });
    assert.equal(driver.deletes, 0);
    assert.equal(r.ended, 'timeout');
    assert.deepEqual(r.timeline.entries, []);
  });

  it('ends as interrupted when the caller aborts (Ctrl-C)', async () => {
    const driver = fakeDriver({ proxy: false });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 60);
    const r = await runTrace({ driver, pod: POD, mode: 'watch', timeoutMs: 10_000, pollMs: 20, signal: ac.signal });
    assert.equal(r.ended, 'interrupted');
  });
});
