import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { DataError } from '../../src/errors.js';
import { fixture } from './cli.js';

/** One request a fault server saw. */
export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A misbehaving server on 127.0.0.1 for the fault matrix. */
export interface FaultServer {
  url: string;
  port: number;
  seen: Seen[];
  /** Requests being handled right now, and the most at once. */
  inFlight: { now: number; max: number };
  close(): Promise<void>;
}

/** Test-only TLS material (test/__fixtures__/tls, see gen.sh there). */
export function tlsFixture(name: string): string {
  return fixture('tls', name);
}

/**
 * Starts a server on 127.0.0.1 that hands each request to `handle`. Bounded: past maxRequests
 * (default 5,000) connections are cut, so a client loop cannot run away. With `cert`, it serves
 * TLS with test/__fixtures__/tls/<cert> and server.key.
 */
export async function faultServer(handle: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void, opts: { cert?: string; maxRequests?: number } = {}): Promise<FaultServer> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const inFlight = { now: 0, max: 0 };
  const max = opts.maxRequests ?? 5000;
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (seen.length > max) {
      req.socket.destroy();
      return;
    }
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    res.on('close', () => inFlight.now--);
    handle(req, res, seen.length);
  };
  const server = opts.cert
    ? https.createServer({ cert: readFileSync(tlsFixture(opts.cert)), key: readFileSync(tlsFixture('server.key')) }, listener)
    : http.createServer(listener);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.cert ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    seen,
    inFlight,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Sends JSON. */
export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Writes a kubeconfig with free-form cluster and user entries (YAML lines, indented by the caller). */
export function kubeconfigText(cluster: string[], user: string[], extra = ''): string {
  const ind = (l: string[]) => l.map((x) => `    ${x}`).join('\n');
  return `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
${ind(cluster)}
users:
- name: u
  user:
${ind(user.length ? user : ['{}'])}
contexts:
- name: ctx
  context:
    cluster: c
    user: u
current-context: ctx
${extra}`;
}

/**
 * Awaits `p`, expecting podscope's input/gather error: a DataError (exit 3) whose message matches
 * `re`, on one line, and that never quotes the test credentials (the canary `s3cr3t`).
 */
export async function failsWith(p: Promise<unknown>, re: RegExp): Promise<DataError> {
  let caught: unknown;
  await p.then(
    () => assert.fail('expected a failure'),
    (e: unknown) => (caught = e),
  );
  assert.ok(caught instanceof DataError, `not a DataError: ${String(caught)}`);
  assert.equal(caught.exitCode, 3);
  assert.match(caught.message, re);
  assert.doesNotMatch(caught.message, /\n/, 'one line');
  assert.doesNotMatch(caught.message + (caught.hint ?? ''), /s3cr3t/);
  return caught;
}

/** A forward proxy on 127.0.0.1 for proxy-url tests, and what went through it. */
export interface ConnectProxy {
  url: string;
  /** `CONNECT host:port` per tunnel, `METHOD absolute-url` per plain forwarded request. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * Starts a forward proxy on 127.0.0.1: CONNECT tunnels (https, and http as hpagent sends it) and
 * absolute-form requests (plain http). It only ever connects to 127.0.0.1; other targets are cut.
 */
export async function connectProxy(): Promise<ConnectProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const track = (s: Socket) => (sockets.add(s), s.on('close', () => sockets.delete(s)));
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (new URL(req.url ?? '', 'http://invalid').hostname !== '127.0.0.1') return void res.writeHead(403).end();
    const up = http.request(req.url ?? '', { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connection', track);
  server.on('connect', (req: http.IncomingMessage, sock: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    if (host !== '127.0.0.1') return void sock.destroy();
    const up = net.connect(Number(port), host, () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(sock);
      sock.pipe(up);
    });
    track(up);
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
