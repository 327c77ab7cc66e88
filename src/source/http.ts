import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * One small GET client for the API server. client-node's generated clients hide response headers
 * (no Retry-After), have no per-request timeout, buffer every body (no streamed logs) and URL-encode
 * proxy paths (`logs/?query=` breaks), so reads go through node:https with the agent, TLS material
 * and auth headers that client-node's KubeConfig.applyToHTTPSOptions builds from the kubeconfig.
 */

/** An HTTP error answer from the API server, with its Status message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly apiMessage: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${status} on GET ${path}${apiMessage ? `: ${apiMessage}` : ''}`);
    this.name = 'ApiError';
  }
}

/** A failure below HTTP: refused, unresolvable, TLS, timeout, cut-off body. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Tuning for requests; tests shorten the waits. */
export interface HttpOptions {
  timeoutMs: number;
  retries: number;
  /** Base of the exponential back-off between retries. */
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_HTTP: HttpOptions = { timeoutMs: 30_000, retries: 4, backoffMs: 250 };

type Query = Record<string, string | number | undefined>;

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'TIMEOUT', 'TRUNCATED']);

function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: string };
    if (typeof s.message === 'string') return s.message;
  } catch {
    // not a Status object: fall through to the raw text
  }
  return body.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

function retryAfter(h: string | string[] | undefined): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}

/** GETs against the current context's API server. */
export class KubeHttp {
  private constructor(
    private readonly kc: KubeConfig,
    private readonly server: URL,
    readonly opts: HttpOptions,
  ) {}

  /** A client for the kubeconfig's current cluster. */
  static create(kc: KubeConfig, opts: Partial<HttpOptions> = {}): KubeHttp {
    const cluster = kc.getCurrentCluster();
    if (!cluster?.server) throw new TransportError('the current context has no cluster server', 'NOSERVER', '/');
    return new KubeHttp(kc, new URL(cluster.server), { ...DEFAULT_HTTP, ...opts });
  }

  /** The API server's URL, for messages. */
  get serverUrl(): string {
    return this.server.origin;
  }

  private url(path: string, query?: Query): URL {
    const base = this.server.pathname.replace(/\/$/, '');
    const u = new URL(this.server.origin + base + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  /** Sends one request (GET unless told) and resolves with the response once its status is 2xx. */
  private async open(path: string, query: Query | undefined, accept: string, write?: { method: 'DELETE'; body: string }, signal?: AbortSignal): Promise<http.IncomingMessage> {
    const u = this.url(path, query);
    const headers: Record<string, string> = { Accept: accept, 'User-Agent': 'podscope' };
    if (write) {
      // Node sends a DELETE body neither chunked nor sized unless told: give its length.
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(write.body));
    }
    const reqOpts: https.RequestOptions = { method: write?.method ?? 'GET', headers, signal };
    await this.kc.applyToHTTPSOptions(reqOpts);
    const mod = u.protocol === 'http:' ? http : https;
    if (u.protocol === 'http:') delete reqOpts.agent;
    return new Promise((resolve, reject) => {
      const req = mod.request(u, reqOpts, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          resolve(res);
          return;
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 65536) body += c;
        });
        res.on('end', () => reject(new ApiError(status, path, statusMessage(body), retryAfter(res.headers['retry-after']))));
        res.on('error', () => reject(new ApiError(status, path, statusMessage(body))));
      });
      req.setTimeout(this.opts.timeoutMs, () => {
        req.destroy(new TransportError(`no answer within ${this.opts.timeoutMs / 1000}s`, 'TIMEOUT', path));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof TransportError) reject(err);
        else reject(new TransportError(err.message, err.code ?? 'EUNKNOWN', path));
      });
      req.end(write?.body);
    });
  }

  private async readAll(res: http.IncomingMessage, path: string): Promise<string> {
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => res.destroy(new TransportError(`body not complete within ${this.opts.timeoutMs / 1000}s`, 'TIMEOUT', path)), this.opts.timeoutMs);
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.complete ? resolve() : reject(new TransportError('response cut off before its end', 'TRUNCATED', path))));
        res.on('error', (err) => reject(err instanceof TransportError ? err : new TransportError(err.message, 'TRUNCATED', path)));
        res.on('aborted', () => reject(new TransportError('response cut off before its end', 'TRUNCATED', path)));
      });
    } finally {
      clearTimeout(timer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private async withRetries<T>(path: string, attempt: () => Promise<T>): Promise<T> {
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (err) {
        const transient =
          (err instanceof ApiError && TRANSIENT_STATUS.has(err.status)) ||
          (err instanceof TransportError && TRANSIENT_CODES.has(err.code));
        if (!transient || i >= this.opts.retries) throw err;
        const wait =
          err instanceof ApiError && err.retryAfterSeconds !== undefined
            ? Math.min(err.retryAfterSeconds, 60) * 1000
            : Math.min(this.opts.backoffMs * 2 ** i, 8000);
        await sleep(wait);
      }
    }
  }

  /** GETs a text body (retried on 429, 5xx and transient transport errors). */
  async getText(path: string, query?: Query, accept = 'text/plain, */*'): Promise<string> {
    return this.withRetries(path, async () => this.readAll(await this.open(path, query, accept), path));
  }

  /** GETs and parses JSON; a body that does not parse counts as cut off and is retried. */
  async getJson<T>(path: string, query?: Query): Promise<T> {
    return this.withRetries(path, async () => {
      const text = await this.readAll(await this.open(path, query, 'application/json'), path);
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new TransportError('the answer was not complete JSON (cut off or not JSON)', 'TRUNCATED', path);
      }
    });
  }

  /** GETs a streamed body; only opening the stream is retried. The signal cancels it (watches). */
  async getStream(path: string, query?: Query, signal?: AbortSignal): Promise<Readable> {
    return this.withRetries(path, () => this.open(path, query, 'text/plain, */*', undefined, signal));
  }

  /**
   * DELETEs one object with a JSON body (DeleteOptions) and returns the answer. Never retried:
   * a delete that timed out may have happened. podscope's only write (`stop --delete --yes`).
   */
  async delete<T>(path: string, body: object): Promise<T> {
    const res = await this.open(path, undefined, 'application/json', { method: 'DELETE', body: JSON.stringify(body) });
    const text = await this.readAll(res, path);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new TransportError('the answer to DELETE was not complete JSON', 'TRUNCATED', path);
    }
  }
}
