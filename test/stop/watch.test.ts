import assert from 'node:assert/strict';
import nock from 'nock';
import { KubeHttp } from '../../src/source/http.js';
import { watchList } from '../../src/source/watch.js';
import type { Observed } from '../../src/source/watch.js';
import { FakeApi, json, watchLines } from './fake-api.js';
import type { Seen } from './fake-api.js';

type Obj = { metadata: { name: string; uid: string; resourceVersion: string; namespace?: string } };
const obj = (name: string, rv: string): Obj => ({ metadata: { name, uid: `uid-${name}`, resourceVersion: rv, namespace: 'shop' } });

describe('watch: list, watch, resume and relist', () => {
  before(() => nock.enableNetConnect('127.0.0.1'));
  after(() => nock.disableNetConnect());

  it('resumes from the last resourceVersion after a broken connection and a server timeout, and relists on 410 Gone (event and status)', async () => {
    let lists = 0;
    let watches = 0;
    const ac = new AbortController();
    const api = new FakeApi((req: Seen) => {
      if (req.query.get('watch') !== '1') {
        lists++;
        if (lists === 1) return (_r, res) => json(res, 200, { kind: 'PodList', metadata: { resourceVersion: '100' }, items: [obj('a', '10')] });
        if (lists === 2) return (_r, res) => json(res, 200, { kind: 'PodList', metadata: { resourceVersion: '110' }, items: [obj('a', '107')] });
        return (_r, res) => json(res, 200, { kind: 'PodList', metadata: { resourceVersion: '120' }, items: [obj('a', '107')] });
      }
      watches++;
      if (watches === 1) {
        // A new object, a bookmark, then the connection breaks.
        return (_r, res) => {
          watchLines(res, [{ type: 'ADDED', object: obj('b', '101') }, { type: 'BOOKMARK', object: { metadata: { resourceVersion: '105' } } }], false);
          setTimeout(() => res.socket?.destroy(), 20);
        };
      }
      if (watches === 2) {
        // A change, then the server ends the watch (its timeoutSeconds).
        return (_r, res) => watchLines(res, [{ type: 'MODIFIED', object: obj('a', '106') }], true);
      }
      if (watches === 3) {
        return (_r, res) =>
          watchLines(res, [{ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too old resource version: 106 (108)', reason: 'Expired', code: 410 } }], false);
      }
      if (watches === 4) return (_r, res) => json(res, 410, { kind: 'Status', status: 'Failure', message: 'too old resource version', reason: 'Expired', code: 410 });
      // The fifth watch stays open until the test aborts.
      return (_r, res) => {
        watchLines(res, [], false);
        setTimeout(() => ac.abort(), 50);
      };
    });
    const kc = await api.start();
    const seen: string[] = [];
    const restarts: string[] = [];
    try {
      await watchList<Obj>({
        http: KubeHttp.create(kc, { retries: 0 }),
        path: '/api/v1/namespaces/shop/pods',
        query: { fieldSelector: 'metadata.name=a' },
        signal: ac.signal,
        retryDelayMs: 10,
        onEvent: (e: Observed<Obj>) => seen.push(`${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`),
        onRestart: (why, rv) => restarts.push(`${why}@${rv}`),
      });
    } finally {
      await api.stop();
    }
    assert.deepEqual(seen, ['SYNC a@10', 'ADDED b@101', 'MODIFIED a@106', 'SYNC a@107', 'DELETED b@101', 'SYNC a@107']);
    assert.deepEqual(restarts, ['dropped@105', 'ended@106', 'gone@106', 'gone@110']);
    const watchReqs = api.seen.filter((r) => r.query.get('watch') === '1');
    assert.deepEqual(watchReqs.map((r) => r.query.get('resourceVersion')), ['100', '105', '106', '110', '120']);
    for (const r of api.seen) assert.equal(r.query.get('fieldSelector'), 'metadata.name=a');
    assert.ok(watchReqs.every((r) => r.query.get('allowWatchBookmarks') === 'true'));
  });

  it('stops a watch that is waiting when the signal aborts', async () => {
    const ac = new AbortController();
    const api = new FakeApi((req) =>
      req.query.get('watch') === '1'
        ? (_r, res) => {
            watchLines(res, [], false);
            setTimeout(() => ac.abort(), 30);
          }
        : (_r, res) => json(res, 200, { metadata: { resourceVersion: '5' }, items: [] }),
    );
    const kc = await api.start();
    const t = Date.now();
    try {
      await watchList<Obj>({ http: KubeHttp.create(kc), path: '/api/v1/namespaces/shop/pods', signal: ac.signal, onEvent: () => undefined });
    } finally {
      await api.stop();
    }
    assert.ok(Date.now() - t < 5000);
  });

  it('fails on 403 instead of retrying forever', async () => {
    const api = new FakeApi((req) =>
      req.query.get('watch') === '1'
        ? (_r, res) => json(res, 403, { kind: 'Status', message: 'pods is forbidden: User "dev" cannot watch resource "pods"', code: 403 })
        : (_r, res) => json(res, 200, { metadata: { resourceVersion: '5' }, items: [] }),
    );
    const kc = await api.start();
    try {
      await assert.rejects(
        watchList<Obj>({ http: KubeHttp.create(kc), path: '/api/v1/namespaces/shop/pods', signal: new AbortController().signal, onEvent: () => undefined }),
        /403.*cannot watch/,
      );
    } finally {
      await api.stop();
    }
  });
});

describe('watch: a server that goes away and comes back', () => {
  before(() => nock.enableNetConnect('127.0.0.1'));
  after(() => nock.disableNetConnect());

  it('keeps reconnecting through failed watches and a failed relist, and reports the gap once it is live again', async () => {
    let lists = 0;
    let watches = 0;
    const ac = new AbortController();
    const api = new FakeApi((req: Seen) => {
      if (req.query.get('watch') !== '1') {
        lists++;
        // The relist after the 410 fails once (the server is still starting), then answers.
        if (lists === 2) return (_r, res) => json(res, 500, { kind: 'Status', message: 'etcd not ready', code: 500 });
        return (_r, res) => json(res, 200, { kind: 'PodList', metadata: { resourceVersion: String(100 * lists) }, items: lists === 1 ? [obj('a', '10')] : [] });
      }
      watches++;
      if (watches === 1) return (_r, res) => (watchLines(res, [], false), setTimeout(() => res.socket?.destroy(), 20));
      if (watches === 2) return (_r, res) => json(res, 503, { kind: 'Status', message: 'shutting down', code: 503 });
      if (watches === 3) return (_r, res) => json(res, 410, { kind: 'Status', message: 'too old resource version', reason: 'Expired', code: 410 });
      return (_r, res) => {
        watchLines(res, [], false);
        setTimeout(() => ac.abort(), 50);
      };
    });
    const kc = await api.start();
    const seen: string[] = [];
    const gaps: { from: number; to: number; relisted: boolean }[] = [];
    const t0 = Date.now();
    try {
      await watchList<Obj>({
        http: KubeHttp.create(kc, { retries: 0 }),
        path: '/api/v1/namespaces/shop/pods',
        signal: ac.signal,
        retryDelayMs: 10,
        onEvent: (e: Observed<Obj>) => seen.push(`${e.type} ${e.object.metadata.name}`),
        onGap: (g) => gaps.push(g),
      });
    } finally {
      await api.stop();
    }
    assert.equal(lists, 3, 'the failed relist was tried again');
    assert.deepEqual(seen, ['SYNC a', 'DELETED a'], 'the object gone in the gap is found by the relist');
    assert.equal(gaps.length, 1, JSON.stringify(gaps));
    assert.equal(gaps[0]!.relisted, true);
    assert.ok(gaps[0]!.from >= t0 && gaps[0]!.to >= gaps[0]!.from + 20, JSON.stringify(gaps));
  });
});
