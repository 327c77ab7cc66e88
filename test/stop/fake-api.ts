import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** One request the fake API server received. */
export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

/** Answers one request; may keep the response open (watches). */
export type Handler = (req: Seen, res: http.ServerResponse) => void;

/**
 * A local HTTP server standing in for the API server: answers requests in order from a queue of
 * handlers per path kind (list, watch, other) and records what it got.
 */
export class FakeApi {
  readonly seen: Seen[] = [];
  private readonly server: http.Server;
  private readonly open = new Set<http.ServerResponse>();
  constructor(private readonly route: (req: Seen) => Handler | undefined) {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://x');
        const seen = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, body };
        this.seen.push(seen);
        const h = this.route(seen);
        if (!h) {
          res.writeHead(500).end('{"kind":"Status","message":"no handler in test"}');
          return;
        }
        this.open.add(res);
        res.on('close', () => this.open.delete(res));
        h(seen, res);
      });
    });
  }

  /** Starts listening on 127.0.0.1 and returns a kubeconfig pointing at it. */
  async start(): Promise<KubeConfig> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    const port = (this.server.address() as AddressInfo).port;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'fake' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'fake', namespace: 'shop' }],
      currentContext: 'fake',
    });
    return kc;
  }

  /** Closes open responses and the server. */
  async stop(): Promise<void> {
    for (const r of this.open) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Writes a JSON answer. */
export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** Starts a watch answer (chunked JSON lines) and writes the given events. */
export function watchLines(res: http.ServerResponse, events: unknown[], end: boolean): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  for (const e of events) res.write(`${JSON.stringify(e)}\n`);
  if (end) res.end();
}
