import { strict as assert } from 'node:assert';
import nock from 'nock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HttpOptions } from '../../src/source/http.js';
import { MAX_BODY_BYTES, MAX_RETRY_AFTER_MS } from '../../src/source/limits.js';
import { LiveSource } from '../../src/source/live.js';
import { failsWith, faultServer, json, kubeconfigText } from '../helpers/fault-server.js';
import type { FaultServer } from '../helpers/fault-server.js';

/**
 * Fault matrix, API server side (issue 15 items 3-4, issue 13 item 10): a stand-in server on
 * 127.0.0.1 does what a real one cannot be made to do; every case ends in bounded time with one
 * clear line (DataError, exit 3) or a correct result. Times are asserted only as upper bounds.
 */

function kubeconfig(server: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'podscope-fault-'));
  const file = path.join(dir, 'config');
  writeFileSync(file, kubeconfigText([`server: ${server}`], ['token: s3cr3t-token-never-printed']));
  return file;
}

async function open(server: string, http: Partial<HttpOptions>, extra: { gatherTimeoutMs?: number } = {}): Promise<LiveSource> {
  return LiveSource.open({ kubeconfig: kubeconfig(server), http, ...extra });
}

const ALL = { allNamespaces: true };


describe('fault matrix: API server (127.0.0.1)', () => {
  // Other suites leave nock refusing real connections; these talk to 127.0.0.1 for real.
  before(() => nock.enableNetConnect('127.0.0.1'));
  after(() => nock.disableNetConnect());
  let srv: FaultServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('a server that accepts and never answers ends at --request-timeout, retries included', async () => {
    srv = await faultServer(() => undefined);
    const src = await open(srv.url, { timeoutMs: 400, retries: 4 });
    const t0 = Date.now();
    await failsWith(src.list('pods', ALL), /did not answer GET \/api\/v1\/pods: no answer within 400ms \(--request-timeout, retries included\)/);
    assert.ok(Date.now() - t0 < 1200, `took ${Date.now() - t0} ms`);
    assert.equal(srv.seen.length, 1, 'a timed-out request is not sent again past its budget');
  });

  it('the gather deadline ends a run whose requests each stay within their own timeout', async () => {
    // Each page answers in 150 ms with a new token: every request is fine, the whole is not.
    srv = await faultServer((req, res, n) => setTimeout(() => json(res, 200, { metadata: { continue: `t${n}` }, items: [] }), 150));
    const t0 = Date.now();
    await failsWith((await open(srv.url, { timeoutMs: 1000 }, { gatherTimeoutMs: 700 })).list('pods', ALL), /did not finish in time: the gather deadline \(--gather-timeout 700ms\) passed/);
    assert.ok(Date.now() - t0 < 1500, `took ${Date.now() - t0} ms`);
  });

  it('response headers trickled a byte at a time still end at --request-timeout', async () => {
    srv = await faultServer((req) => {
      const sock = req.socket;
      const head = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ' + 'a'.repeat(1000);
      let i = 0;
      const t = setInterval(() => (sock.destroyed || i >= head.length ? clearInterval(t) : sock.write(head[i++])), 50);
      sock.on('close', () => clearInterval(t));
    });
    const src = await open(srv.url, { timeoutMs: 500 });
    const t0 = Date.now();
    await failsWith(src.list('pods', ALL), /no answer within 500ms/);
    assert.ok(Date.now() - t0 < 1300, `took ${Date.now() - t0} ms`);
  });

  it('a continue token handed out again is a loop: one error, not 2,662 requests', async () => {
    srv = await faultServer((_q, res) => json(res, 200, { metadata: { continue: 'same' }, items: [{ metadata: { name: 'p' } }] }));
    await failsWith((await open(srv.url, {})).list('pods', ALL), /returned the same continue token again while listing pods \(page 2\); stopped instead of looping/);
    assert.equal(srv.seen.length, 2);
  });

  it(`Retry-After: 100000 is cut to ${MAX_RETRY_AFTER_MS / 1000}s and never past the request budget`, async () => {
    srv = await faultServer((_q, res) => json(res, 429, { kind: 'Status', message: 'too many requests' }, { 'Retry-After': '100000' }));
    const waits: number[] = [];
    const src = await open(srv.url, { timeoutMs: 60_000, retries: 2, sleep: async (ms) => void waits.push(ms) });
    await failsWith(src.list('pods', ALL), /kept throttling GET \/api\/v1\/pods \(429\)/);
    assert.deepEqual(waits, [MAX_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS]);
    // Real clock: with a 1.5 s budget the 10 s wait does not fit, so it ends at once.
    const short = await open(srv.url, { timeoutMs: 1500 });
    const t0 = Date.now();
    await failsWith(short.list('pods', ALL), /\(429\)/);
    assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
  });

  it('a dead server (nothing listens) fails at once with the defaults, not after 154 s', async () => {
    srv = await faultServer(() => undefined);
    const url = srv.url;
    await srv.close();
    srv = undefined;
    const dead = await open(url, {});
    const t0 = Date.now();
    await failsWith(dead.list('pods', ALL), /cannot reach the API server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
  });

  it(`a 500 MB answer is refused from its Content-Length (limit ${MAX_BODY_BYTES / 1048576} MiB), without reading it`, async () => {
    srv = await faultServer((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(500 * 1024 * 1024) });
      res.write('{"items":[');
    });
    await failsWith((await open(srv.url, {})).list('pods', ALL), /larger than 64 MiB, podscope's limit for one response; stopped reading/);
    assert.equal(srv.seen.length, 1, 'too large is not retried');
  });

  it('an unbounded chunked answer is cut at the limit, memory stays flat', async () => {
    let sent = 0;
    srv = await faultServer((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => undefined);
      pump();
    });
    const rss0 = process.memoryUsage().rss;
    await failsWith((await open(srv.url, { maxBodyBytes: 4 * 1024 * 1024 })).list('pods', ALL), /larger than 4 MiB/);
    assert.ok(sent < 64 * 1024 * 1024, `the server got to send ${sent} bytes`);
    assert.ok(process.memoryUsage().rss - rss0 < 64 * 1024 * 1024, 'rss grew by less than 64 MiB');
  });

  it('a 302 to another host is never followed: the bearer token stays home', async () => {
    const other = await faultServer((_q, res) => json(res, 200, { items: [] }));
    try {
      srv = await faultServer((_q, res) => {
        res.writeHead(302, { Location: `${other.url}/api/v1/pods` });
        res.end();
      });
      await failsWith((await open(srv.url, {})).list('pods', ALL), /redirected \(302\) to http:\/\/127\.0\.0\.1:\d+; podscope never follows redirects/);
      assert.equal(other.seen.length, 0);
      assert.equal(srv.seen[0].headers.authorization, 'Bearer s3cr3t-token-never-printed');
    } finally {
      await other.close();
    }
  });

  it('a plain http:// server (kubectl proxy) works without insecure-skip-tls-verify', async () => {
    srv = await faultServer((_q, res) => json(res, 200, { items: [{ metadata: { name: 'n1' } }] }));
    const res = await (await open(srv.url, {})).list('nodes', ALL);
    assert.ok(res.ok && res.value[0].metadata?.name === 'n1');
  });
});
