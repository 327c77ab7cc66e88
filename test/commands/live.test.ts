import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeApiServer, forbidden } from '../helpers/fake-apiserver.js';
import { runCliAsync } from '../helpers/cli.js';
import { writeKubeconfig } from '../helpers/kubeconfig.js';
import { parseValid } from '../helpers/schema.js';

const SNAP = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'examples', 'shop-snapshot');
const lines = (f: string) => readFileSync(path.join(SNAP, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
const list = (kind: string, items: unknown[]) => ({ status: 200, body: { kind, apiVersion: 'v1', metadata: { resourceVersion: '190001' }, items } });

describe('live commands against a stand-in API server', () => {
  let api: FakeApiServer;
  let kubeconfig: string;
  before(async () => {
    api = new FakeApiServer({
      '/version': { status: 200, body: { major: '1', minor: '34', gitVersion: 'v1.34.2' } },
      '/api/v1/namespaces/shop/pods': list('PodList', lines('pods.jsonl')),
      '/api/v1/namespaces/shop/events': list('EventList', lines('events.jsonl')),
      '/api/v1/namespaces/shop/services': list('ServiceList', lines('services.jsonl')),
      '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices': list('EndpointSliceList', lines('endpointslices.jsonl')),
      '/api/v1/nodes': forbidden('nodes'),
    });
    kubeconfig = writeKubeconfig(await api.start(), { namespace: 'shop', context: 'ci' });
  });
  after(() => api.stop());

  it('check: a 403 on nodes skips only the node check, the rest runs, scope is the context namespace', async () => {
    const r = await runCliAsync(['check', '--kubeconfig', kubeconfig, '--checks', 'POD001,POD002,NODE001', '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = parseValid(r.stdout);
    assert.equal(report.source.kind, 'live');
    assert.equal(report.source.context, 'ci');
    assert.equal(report.source.serverVersion, 'v1.34.2');
    assert.equal(report.scope.namespace, 'shop');
    const node = report.checks.find((c: { id: string }) => c.id === 'NODE001');
    assert.equal(node.status, 'skipped');
    assert.match(node.reason, /forbidden: list nodes cluster-wide/);
    assert.deepEqual(report.findings.map((f: { checkId: string }) => f.checkId), ['POD001', 'POD002']);
    assert.ok(api.requests.some((q) => q.startsWith('GET /api/v1/namespaces/shop/pods?limit=500')));
    assert.ok(!api.requests.some((q) => /secrets/.test(q)), 'never reads secrets');
  });

  it('snapshot records a live cluster that check --from then reads the same way', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'snapcmd-')), 'snap');
    const r = await runCliAsync(['snapshot', dir, '--kubeconfig', kubeconfig]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Snapshot written to .*: 5 pods, 2 events, 3 services, 3 endpointslices\./);
    assert.match(r.stdout, /not captured: nodes: forbidden: list nodes cluster-wide/);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.context, 'ci');
    assert.deepEqual(manifest.unavailable.map((u: { input: string; kind: string }) => `${u.input}:${u.kind}`), ['nodes:forbidden']);
    const back = await runCliAsync(['check', '--from', dir, '-o', 'json']);
    const live = await runCliAsync(['check', '--kubeconfig', kubeconfig, '-o', 'json']);
    assert.deepEqual(parseValid(back.stdout).findings, parseValid(live.stdout).findings);
  });

  it('an unreachable server is one line and exit 3', async () => {
    const dead = writeKubeconfig('https://127.0.0.1:1', { context: 'gone' });
    const r = await runCliAsync(['check', '--kubeconfig', dead, '--request-timeout', '2s']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^podscope: cannot reach the API server at https:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)\n  hint: is the cluster of context "gone" up and reachable\?\n$/);
  });
});
