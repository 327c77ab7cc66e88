import assert from 'node:assert/strict';
import nock from 'nock';
import { DataError } from '../../src/errors.js';
import { KubeHttp } from '../../src/source/http.js';
import { watchList } from '../../src/source/watch.js';
import { FakeApi, json } from '../stop/fake-api.js';
import type { Seen } from '../stop/fake-api.js';

/**
 * Fault matrix, watch streams: garbage and half a JSON line. A line that is not a watch event
 * drops the connection and the watch resumes from the last resourceVersion it parsed (nothing
 * lost, nothing repeated); three such connections in a row end the watch with one clear line.
 */

type Obj = { metadata: { name: string; uid: string; resourceVersion: string } };
const obj = (name: string, rv: string): Obj => ({ metadata: { name, uid: `uid-${name}`, resourceVersion: rv } });

describe('fault matrix: watch streams (127.0.0.1)', () => {
  before(() => nock.enableNetConnect('127.0.0.1'));
  after(() => nock.disableNetConnect());

  it('half a JSON line: the watch resumes from the last event it parsed, the event is seen once', async () => {
    const ac = new AbortController();
    const watchRvs: string[] = [];
    const api = new FakeApi((req: Seen) => {
      if (req.query.get('watch') !== '1') return (_r, res) => json(res, 200, { metadata: { resourceVersion: '100' }, items: [] });
      watchRvs.push(req.query.get('resourceVersion') ?? '');
      if (watchRvs.length === 1) {
        return (_r, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(`${JSON.stringify({ type: 'ADDED', object: obj('a', '101') })}\n{"type":"MODIFIED","object":{"metadata":{"na`);
        };
      }
      return (_r, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(`${JSON.stringify({ type: 'MODIFIED', object: obj('a', '102') })}\n`);
        setTimeout(() => ac.abort(), 30);
      };
    });
    const kc = await api.start();
    const seen: string[] = [];
    try {
      await watchList<Obj>({ http: KubeHttp.create(kc, { retries: 0 }), path: '/api/v1/pods', signal: ac.signal, retryDelayMs: 5, onEvent: (e) => seen.push(`${e.type} ${e.object.metadata.resourceVersion}`) });
    } finally {
      await api.stop();
    }
    assert.deepEqual(watchRvs, ['100', '101']);
    assert.deepEqual(seen, ['ADDED 101', 'MODIFIED 102']);
  });

  it('garbage on every connection: three in a row end the watch with one line (exit 3)', async () => {
    let watches = 0;
    const api = new FakeApi((req: Seen) => {
      if (req.query.get('watch') !== '1') return (_r, res) => json(res, 200, { metadata: { resourceVersion: '100' }, items: [] });
      watches++;
      return (_r, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('\u001b[2J<html>502 Bad Gateway</html>\n');
      };
    });
    const kc = await api.start();
    try {
      await assert.rejects(
        watchList<Obj>({ http: KubeHttp.create(kc, { retries: 0 }), path: '/api/v1/pods', signal: new AbortController().signal, retryDelayMs: 5, onEvent: () => undefined }),
        (err: unknown) => {
          assert.ok(err instanceof DataError);
          assert.equal(err.exitCode, 3);
          assert.match(err.message, /^the watch on \/api\/v1\/pods sent a line that is not a watch event 3 times in a row \("\\u001b\[2J<html>502 Bad Gateway/);
          return true;
        },
      );
    } finally {
      await api.stop();
    }
    assert.equal(watches, 3);
  });
});
