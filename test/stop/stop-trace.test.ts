import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { DataError } from '../../src/errors.js';
import { LiveSource } from '../../src/source/live.js';
import { StopTracer } from '../../src/source/stop-trace.js';
import { FakeApi, json } from './fake-api.js';

async function tracerFor(api: FakeApi): Promise<{ tracer: StopTracer; port: string }> {
  const kc = await api.start();
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'podscope-stop-')), 'kubeconfig');
  writeFileSync(file, kc.exportConfig());
  const source = await LiveSource.open({ kubeconfig: file });
  return { tracer: StopTracer.of(source)!, port: new URL(kc.getCurrentCluster()!.server).port };
}

describe('stop tracer (source layer)', () => {
  before(() => nock.enableNetConnect('127.0.0.1'));
  after(() => nock.disableNetConnect());

  it('reads kube-proxy metrics from a URL, and says what to enable when the node port is closed', async () => {
    const api = new FakeApi((req) => {
      if (req.path === '/kube-proxy/metrics') return (_r, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('kubeproxy_sync_proxy_rules_last_timestamp_seconds 1.7952840004e+09\n');
      if (req.path === '/api/v1/nodes/node-a:10249/proxy/metrics') {
        return (_r, res) => json(res, 503, { kind: 'Status', message: 'error trying to reach service: dial tcp 10.0.1.17:10249: connect: connection refused', code: 503 });
      }
      return undefined;
    });
    try {
      const { tracer, port } = await tracerFor(api);
      const byUrl = await tracer.kubeProxyMetrics({ url: `http://127.0.0.1:${port}/kube-proxy/metrics` });
      assert.ok(byUrl.ok && byUrl.value.startsWith('kubeproxy_sync_proxy_rules_last_timestamp_seconds'));
      const byNode = await tracer.kubeProxyMetrics({ node: 'node-a' });
      assert.ok(!byNode.ok);
      assert.match(byNode.unavailable.reason, /node node-a not reachable \(503: .*connection refused\)/);
      assert.match(byNode.unavailable.fix!, /metricsBindAddress: 0\.0\.0\.0:10249/);
      // No retries on the node proxy: a closed kube-proxy port is the normal case.
      assert.equal(api.seen.filter((s) => s.path.endsWith(':10249/proxy/metrics')).length, 1);
      const missingUrl = await tracer.kubeProxyMetrics({ url: `http://127.0.0.1:${port}/nope` });
      assert.ok(!missingUrl.ok && /answered 500/.test(missingUrl.unavailable.reason));
    } finally {
      await api.stop();
    }
  });

  it('turns a 409 on DELETE (the pod was replaced) into a data error that says nothing was deleted', async () => {
    const api = new FakeApi((req) =>
      req.method === 'DELETE'
        ? (_r, res) => json(res, 409, { kind: 'Status', message: 'Operation cannot be fulfilled on Pod "web": Precondition failed: UID in precondition: 1, UID in object meta: 2', reason: 'Conflict', code: 409 })
        : undefined,
    );
    try {
      const { tracer } = await tracerFor(api);
      await assert.rejects(tracer.deletePod('shop', 'web', '1'), (err: unknown) => err instanceof DataError && /gone or was replaced/.test(err.message) && /nothing was deleted/.test(err.hint ?? ''));
      assert.equal(api.seen.filter((s) => s.method === 'DELETE').length, 1, 'a DELETE is never retried');
    } finally {
      await api.stop();
    }
  });
});
