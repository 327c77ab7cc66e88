import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A canned answer: status and JSON (or text) body. */
export interface Canned {
  status: number;
  body: unknown;
  contentType?: string;
}

/** A tiny stand-in API server on 127.0.0.1: answers GETs by path (query ignored) and records them. */
export class FakeApiServer {
  readonly requests: string[] = [];
  private server?: http.Server;
  constructor(private readonly routes: Record<string, Canned>) {}

  /** Starts listening; returns the base URL. */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.requests.push(`${req.method} ${req.url}`);
      const path = (req.url ?? '/').split('?')[0];
      const c = this.routes[path] ?? { status: 404, body: { kind: 'Status', status: 'Failure', message: `the server could not find the requested resource ${path}`, reason: 'NotFound', code: 404 } };
      const text = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
      res.writeHead(c.status, { 'Content-Type': c.contentType ?? (typeof c.body === 'string' ? 'text/plain' : 'application/json') });
      res.end(text);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}

/** A Status body for a forbidden list. */
export function forbidden(resource: string, user = 'system:serviceaccount:shop:ci'): Canned {
  return { status: 403, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, message: `${resource} is forbidden: User "${user}" cannot list resource "${resource}" in API group "" at the cluster scope` } };
}
