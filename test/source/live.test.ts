import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { DataError } from '../../src/errors.js';
import { LiveSource } from '../../src/source/live.js';
import { writeKubeconfig } from '../helpers/kubeconfig.js';

const SERVER = 'https://api.test.example:6443';
const FAST = { timeoutMs: 500, retries: 2, backoffMs: 1 };

function pod(name: string) {
  return { metadata: { name, namespace: 'shop', managedFields: [{ manager: 'kubectl' }] }, spec: { containers: [] } };
}

async function open(server = SERVER, http = FAST) {
  return LiveSource.open({ kubeconfig: writeKubeconfig(server, { namespace: 'shop' }), http });
}

describe('live source (nock)', () => {
  before(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  after(() => nock.enableNetConnect());

  it('pages through a list with limit=500 and continue, and strips managedFields', async () => {
    const api = nock(SERVER)
      .get('/api/v1/namespaces/shop/pods')
      .query({ limit: '500' })
      .matchHeader('authorization', 'Bearer s3cr3t-token-never-printed')
      .reply(200, { kind: 'PodList', metadata: { continue: 'tok1' }, items: [pod('a'), pod('b')] })
      .get('/api/v1/namespaces/shop/pods')
      .query({ limit: '500', continue: 'tok1' })
      .reply(200, { kind: 'PodList', metadata: {}, items: [pod('c')] });
    const src = await open();
    assert.equal(src.defaultNamespace, 'shop');
    const res = await src.list('pods', { allNamespaces: false, namespace: 'shop' });
    assert.ok(res.ok);
    assert.deepEqual(res.value.map((p) => p.metadata?.name), ['a', 'b', 'c']);
    assert.equal(res.value[0].metadata?.managedFields, undefined);
    assert.equal(res.value[0].kind, 'Pod');
    assert.ok(api.isDone());
  });

  it('passes the label selector for pods and lists all namespaces with -A', async () => {
    const api = nock(SERVER).get('/api/v1/pods').query({ limit: '500', labelSelector: 'app=web' }).reply(200, { items: [pod('w')] });
    const res = await (await open()).list('pods', { allNamespaces: true, labelSelector: 'app=web' });
    assert.ok(res.ok && res.value.length === 1);
    assert.ok(api.isDone());
  });

  it('sends a field selector with every page of the list (events of one pod)', async () => {
    const sel = 'involvedObject.kind=Pod,involvedObject.name=web-0';
    const api = nock(SERVER)
      .get('/api/v1/namespaces/shop/events').query({ limit: '500', fieldSelector: sel }).reply(200, { metadata: { continue: 'c1' }, items: [{ metadata: { name: 'e1' } }] })
      .get('/api/v1/namespaces/shop/events').query({ limit: '500', fieldSelector: sel, continue: 'c1' }).reply(200, { metadata: {}, items: [{ metadata: { name: 'e2' } }] });
    const res = await (await open()).list('events', { namespace: 'shop', allNamespaces: false, fieldSelector: sel });
    assert.ok(res.ok && res.value.length === 2);
    assert.ok(api.isDone());
  });

  it('relists from the start once when the continue token expired (410)', async () => {
    nock(SERVER)
      .get('/api/v1/nodes').query({ limit: '500' }).reply(200, { metadata: { continue: 'old' }, items: [{ metadata: { name: 'n1' } }] })
      .get('/api/v1/nodes').query({ limit: '500', continue: 'old' }).reply(410, { kind: 'Status', reason: 'Expired', message: 'The provided continue parameter is too old' })
      .get('/api/v1/nodes').query({ limit: '500' }).reply(200, { metadata: {}, items: [{ metadata: { name: 'n1' } }, { metadata: { name: 'n2' } }] });
    const res = await (await open()).list('nodes', { allNamespaces: true });
    assert.ok(res.ok);
    assert.deepEqual(res.value.map((n) => n.metadata?.name), ['n1', 'n2']);
  });

  it('turns 403 into a typed forbidden with the fix, so only that input is skipped', async () => {
    nock(SERVER).get('/api/v1/nodes').query(true).reply(403, { kind: 'Status', reason: 'Forbidden', message: 'nodes is forbidden: User "dev" cannot list resource "nodes"' });
    const res = await (await open()).list('nodes', { allNamespaces: false, namespace: 'shop' });
    assert.ok(!res.ok);
    assert.equal(res.unavailable.kind, 'forbidden');
    assert.match(res.unavailable.reason, /list nodes cluster-wide/);
    assert.match(res.unavailable.fix ?? '', /rbac/);
  });

  it('turns 404 on an API path into unsupported, and a missing pod into not-found', async () => {
    nock(SERVER)
      .get('/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices').query(true).reply(404, { kind: 'Status', message: 'the server could not find the requested resource' })
      .get('/api/v1/namespaces/shop/pods/ghost').reply(404, { kind: 'Status', reason: 'NotFound', message: 'pods "ghost" not found' });
    const src = await open();
    const slices = await src.list('endpointslices', { allNamespaces: false, namespace: 'shop' });
    assert.ok(!slices.ok && slices.unavailable.kind === 'unsupported');
    const p = await src.getPod('shop', 'ghost');
    assert.ok(!p.ok && p.unavailable.kind === 'not-found');
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    const waits: number[] = [];
    nock(SERVER)
      .get('/api/v1/namespaces/shop/services').query(true).reply(429, { message: 'too many requests' }, { 'Retry-After': '2' })
      .get('/api/v1/namespaces/shop/services').query(true).reply(200, { items: [] });
    const src = await open(SERVER, { ...FAST, timeoutMs: 5000, sleep: async (ms: number) => void waits.push(ms) } as typeof FAST);
    const res = await src.list('services', { allNamespaces: false, namespace: 'shop' });
    assert.ok(res.ok);
    assert.deepEqual(waits, [2000]);
  });

  it('retries 500 with back-off and then fails with one clear line (exit 3)', async () => {
    nock(SERVER).get('/api/v1/namespaces/shop/events').query(true).times(3).reply(500, { kind: 'Status', message: 'etcdserver: request timed out' });
    const src = await open();
    await assert.rejects(src.list('events', { allNamespaces: false, namespace: 'shop' }), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.equal(err.exitCode, 3);
      assert.match(err.message, /API server error 500 .*etcdserver: request timed out/);
      return true;
    });
  });

  it('fails on 401 with a hint to log in again, never printing the token', async () => {
    nock(SERVER).get('/api/v1/namespaces/shop/pods').query(true).reply(401, { kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized' });
    await assert.rejects((await open()).list('pods', { allNamespaces: false, namespace: 'shop' }), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.match(err.message, /unauthorized \(401\)/);
      assert.doesNotMatch(err.message + (err.hint ?? ''), /s3cr3t/);
      return true;
    });
  });

  it('retries a truncated body and reports it when it stays truncated', async () => {
    nock(SERVER).get('/api/v1/namespaces/shop/pods').query(true).times(3).reply(200, '{"items":[{"metadata":{"na', { 'Content-Type': 'application/json' });
    await assert.rejects((await open()).list('pods', { allNamespaces: false, namespace: 'shop' }), /not complete JSON/);
  });

  it('reads node metrics as text and maps a 403 to nodes/proxy', async () => {
    nock(SERVER)
      .get('/api/v1/nodes/node-a/proxy/metrics').reply(200, 'kubelet_running_pods 12\n', { 'Content-Type': 'text/plain; version=0.0.4' })
      .get('/api/v1/nodes/node-b/proxy/metrics').reply(403, { kind: 'Status', message: 'forbidden' });
    const src = await open();
    const a = await src.nodeMetrics('node-a');
    assert.ok(a.ok && a.value.includes('kubelet_running_pods 12'));
    const b = await src.nodeMetrics('node-b');
    assert.ok(!b.ok && b.unavailable.kind === 'forbidden' && /nodes\/proxy/.test(b.unavailable.fix ?? ''));
  });

  it('builds the node log query URL by hand (query string intact) and streams the body', async () => {
    nock(SERVER)
      .get('/api/v1/nodes/node-a/proxy/logs/')
      .query({ query: 'kubelet', sinceTime: '2026-11-21T08:00:00Z' })
      .reply(200, 'I1121 08:00:01.000000 1 kubelet.go:1] hello\n', { 'Content-Type': 'text/plain' });
    const res = await (await open()).nodeLogs('node-a', { query: 'kubelet', sinceTime: new Date('2026-11-21T08:00:00.123Z') });
    assert.ok(res.ok);
    let text = '';
    for await (const c of res.value) text += String(c);
    assert.match(text, /hello/);
  });

  it('a kubelet without NodeLogQuery (1.32 default) answers with the HTML listing of /var/log: unsupported, with the reason', async () => {
    // What v1.32.13's kubelet serves for /logs/?query=... when the gate is off (http.FileServer of /var/log).
    const listing = '<!doctype html>\n<meta name="viewport" content="width=device-width">\n<pre>\n<a href="containers/">containers/</a>\n</pre>\n';
    nock(SERVER).get('/api/v1/nodes/node-a/proxy/logs/').query(true).reply(200, listing, { 'Content-Type': 'text/html; charset=utf-8' });
    const res = await (await open()).nodeLogs('node-a', { query: 'kubelet', tailLines: 10 });
    assert.ok(!res.ok);
    assert.equal(res.unavailable.kind, 'unsupported');
    assert.match(res.unavailable.reason, /node node-a does not serve node log queries: its kubelet answered with the HTML listing of \/var\/log \(NodeLogQuery off\)/);
    assert.match(res.unavailable.fix ?? '', /NodeLogQuery/);
  });
});

describe('live source (local sockets)', () => {
  it('says the server is unreachable (exit 3) when nothing listens', async () => {
    const src = await LiveSource.open({ kubeconfig: writeKubeconfig('https://127.0.0.1:1'), http: FAST });
    await assert.rejects(src.list('pods', { allNamespaces: true }), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.match(err.message, /cannot reach the API server at https:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/);
      return true;
    });
  });

  it('names a TLS failure as such', async () => {
    const server = http.createServer((_q, r) => r.end('plain http'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const src = await LiveSource.open({ kubeconfig: writeKubeconfig(`https://127.0.0.1:${port}`), http: FAST });
      await assert.rejects(src.list('pods', { allNamespaces: true }), /TLS failure talking to/);
    } finally {
      server.close();
    }
  });

  it('reuses one connection for requests one after another (no new handshake per request)', async () => {
    let connections = 0;
    const server = http.createServer((q, r) => {
      r.setHeader('content-type', 'application/json');
      if (q.url?.includes('/proxy/metrics')) r.end('kubelet_pleg_relist_duration_seconds_count 1\n');
      else r.end(JSON.stringify({ metadata: q.url?.includes('continue=') ? {} : { continue: 'p2' }, items: [{ metadata: { name: 'n' } }] }));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const src = await LiveSource.open({ kubeconfig: writeKubeconfig(`http://127.0.0.1:${port}`), http: FAST });
      assert.ok((await src.list('nodes', { allNamespaces: true })).ok);
      for (const n of ['a', 'b', 'c']) assert.ok((await src.nodeMetrics(n)).ok);
      assert.equal(connections, 1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('times out a request that gets no answer', async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const src = await LiveSource.open({ kubeconfig: writeKubeconfig(`http://127.0.0.1:${port}`), http: { timeoutMs: 150, retries: 1, backoffMs: 1 } });
      await assert.rejects(src.list('pods', { allNamespaces: true }), /did not answer GET \/api\/v1\/pods: no answer within 150ms \(--request-timeout, retries included\)/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
