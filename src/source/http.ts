import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { PodscopeError } from '../errors.js';
import { reportActivity } from './activity.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_BODY_BYTES, MAX_RETRY_AFTER_MS, formatMs } from './limits.js';

/**
 * One small GET client for the API server. client-node's generated clients hide response headers
 * (no Retry-After), have no per-request timeout, buffer every body (no streamed logs) and URL-encode
 * proxy paths (`logs/?query=` breaks), so reads go through node:https with the agent, TLS material
 * and auth headers that client-node's KubeConfig.applyToHTTPSOptions builds from the kubeconfig.
 */

/**
 * client-node caches one agent per cluster and user but leaves Node's default keepAlive off, so
 * every request opened a new TLS connection: a full handshake, client certificate included, on
 * the API server each time (2,000 for `pleg --all` on 1,000 nodes, most of the server's CPU).
 * Idle sockets are unref'd by the agent, so this never holds the process open.
 */
export function keepConnections(agent: unknown): void {
  if (agent instanceof http.Agent) (agent as http.Agent & { keepAlive: boolean }).keepAlive = true;
}

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
  /** Budget of one request, its retries and back-off waits included (kubectl's --request-timeout). */
  timeoutMs: number;
  /** What sets timeoutMs, for the timeout message (default --request-timeout; kubelet calls: --node-timeout). */
  timeoutLabel?: string;
  retries: number;
  /** Base of the exponential back-off between retries. */
  backoffMs: number;
  /** Cap on a Retry-After wait (the request's budget caps it further). */
  maxRetryAfterMs: number;
  /** Largest body read into memory; past it the read stops with an error (never retried). */
  maxBodyBytes: number;
  /** End of the whole gather (ms since the epoch, --gather-timeout); none when undefined. */
  deadline?: number;
  /** How the deadline was given, for its message ("--gather-timeout 1m0s"). */
  deadlineLabel?: string;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_HTTP: HttpOptions = {
  timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
  retries: 4,
  backoffMs: 250,
  maxRetryAfterMs: MAX_RETRY_AFTER_MS,
  maxBodyBytes: MAX_BODY_BYTES,
};

/** Credentials podscope applies itself (tokenFile, exec plugins), after client-node's. */
export interface RequestAuth {
  /** Sets the Authorization header (or client certificate) on a request; may run a plugin within budgetMs. */
  apply(opts: https.RequestOptions & { headers: Record<string, string> }, budgetMs: number): Promise<void>;
  /** The server answered 401 to a request sent with opts: drop that credential; true when a retry would send a fresh one. */
  rejected?(opts: { headers: Record<string, string> }): boolean;
}

type Query = Record<string, string | number | undefined>;

const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'TRUNCATED']);

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

/** Options of one streamed GET. */
export interface StreamOptions {
  /** Cancels the stream (watches). */
  signal?: AbortSignal;
  /** Destroys the stream after this long without data (node logs; never watches). */
  idleMs?: number;
  /** Destroys the stream when the gather deadline passes (node logs; never watches). */
  untilDeadline?: boolean;
}

/** GETs against the current context's API server. */
export class KubeHttp {
  private constructor(
    private readonly kc: KubeConfig,
    private readonly server: URL,
    readonly opts: HttpOptions,
    readonly auth?: RequestAuth,
  ) {}

  /** A client for the kubeconfig's current cluster. */
  static create(kc: KubeConfig, opts: Partial<HttpOptions> = {}, auth?: RequestAuth): KubeHttp {
    const cluster = kc.getCurrentCluster();
    if (!cluster?.server) throw new TransportError('the current context has no cluster server', 'NOSERVER', '/');
    return new KubeHttp(kc, new URL(cluster.server), { ...DEFAULT_HTTP, ...opts }, auth);
  }

  /** The same server and credentials with other options (no deadline for watches, short node budgets). */
  with(opts: Partial<HttpOptions>): KubeHttp {
    return new KubeHttp(this.kc, this.server, { ...this.opts, ...opts }, this.auth);
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

  /**
   * Sends one request (GET unless told) and resolves with the response once its status is 2xx. A
   * 401 to a credential podscope refreshes itself (exec plugin, tokenFile) is retried once with a
   * fresh one, as an expired token is the usual cause (a 401 means nothing was done, DELETE included).
   */
  private async open(path: string, query: Query | undefined, accept: string, signal: AbortSignal, budgetMs: number, write?: { method: 'DELETE'; body: string }): Promise<http.IncomingMessage> {
    const start = Date.now();
    let sent: { headers: Record<string, string> } | undefined;
    try {
      return await this.openOnce(path, query, accept, signal, budgetMs, write, (o) => (sent = o));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401 && sent && this.auth?.rejected?.(sent))) throw err;
      return this.openOnce(path, query, accept, signal, budgetMs - (Date.now() - start), write);
    }
  }

  private async openOnce(
    path: string,
    query: Query | undefined,
    accept: string,
    signal: AbortSignal,
    budgetMs: number,
    write?: { method: 'DELETE'; body: string },
    onSend?: (opts: { headers: Record<string, string> }) => void,
  ): Promise<http.IncomingMessage> {
    const u = this.url(path, query);
    const headers: Record<string, string> = { Accept: accept, 'User-Agent': 'podscope' };
    if (write) {
      // Node sends a DELETE body neither chunked nor sized unless told: give its length.
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(write.body));
    }
    const reqOpts: https.RequestOptions & { headers: Record<string, string> } = { method: write?.method ?? 'GET', headers, signal };
    // client-node sets the agent (TLS material, proxy-url through hpagent) and token/basic auth.
    await this.kc.applyToHTTPSOptions(reqOpts);
    keepConnections(reqOpts.agent);
    await this.auth?.apply(reqOpts, budgetMs);
    onSend?.(reqOpts);
    const mod = u.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = mod.request(u, reqOpts, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          resolve(res);
          return;
        }
        if (status >= 300 && status < 400) {
          // Never followed: a redirect to another host would carry the bearer token there.
          res.resume();
          const to = String(res.headers.location ?? '');
          let where = 'elsewhere';
          try {
            where = new URL(to, u).origin;
          } catch {
            // an unparsable Location: say "elsewhere"
          }
          reject(new TransportError(`the server redirected (${status}) to ${where}; podscope never follows redirects, so credentials stay with ${u.origin}`, 'REDIRECT', path));
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
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof TransportError) reject(err);
        else reject(new TransportError(err.message.split('\n')[0], err.code ?? 'EUNKNOWN', path));
      });
      req.end(write?.body);
    });
  }

  /** Reads a whole body, at most maxBodyBytes (Content-Length checked first, chunked bodies counted). */
  private async readAll(res: http.IncomingMessage, path: string, signal: AbortSignal): Promise<string> {
    const max = this.opts.maxBodyBytes;
    const tooLarge = () => new TransportError(`the answer is larger than ${Math.round(max / 1048576)} MiB, podscope's limit for one response; stopped reading`, 'TOOLARGE', path);
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      res.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => res.destroy(new TransportError('aborted', 'ABORTED', path));
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) {
          reject(tooLarge());
          res.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => (res.complete ? resolve() : reject(new TransportError('response cut off before its end', 'TRUNCATED', path))));
      res.on('error', (err) => reject(err instanceof TransportError ? err : new TransportError(err.message, 'TRUNCATED', path)));
      res.on('aborted', () => reject(new TransportError('response cut off before its end', 'TRUNCATED', path)));
      res.on('close', () => {
        signal.removeEventListener('abort', onAbort);
        reject(new TransportError('response cut off before its end', 'TRUNCATED', path));
      });
    });
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Milliseconds left before the gather deadline (Infinity without one). */
  remainingMs(): number {
    return this.opts.deadline === undefined ? Infinity : this.opts.deadline - Date.now();
  }

  private deadlineError(path: string): TransportError {
    return new TransportError(`the gather deadline (${this.opts.deadlineLabel ?? 'deadline'}) passed`, 'DEADLINE', path);
  }

  /**
   * Runs attempts within one budget: --request-timeout covers every attempt and every back-off
   * wait (as kubectl's does), and the gather deadline cuts it shorter. A wall clock, not a socket
   * idle timer, so headers trickled a byte a second still end on time.
   */
  private async withRetries<T>(path: string, attempt: (signal: AbortSignal, budgetMs: number) => Promise<T>, external?: AbortSignal, retries = this.opts.retries): Promise<T> {
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const budgetEnd = Date.now() + this.opts.timeoutMs;
    const deadline = this.opts.deadline ?? Infinity;
    const end = Math.min(budgetEnd, deadline);
    const byDeadline = deadline < budgetEnd;
    const timedOut = () =>
      byDeadline ? this.deadlineError(path) : new TransportError(`no answer within ${formatMs(this.opts.timeoutMs)} (${this.opts.timeoutLabel ?? '--request-timeout'}, retries included)`, 'TIMEOUT', path);
    if (Date.now() >= end) throw timedOut();
    for (let i = 0; ; i++) {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), Math.max(0, end - Date.now()));
      const signal = external ? AbortSignal.any([ac.signal, external]) : ac.signal;
      try {
        return await attempt(signal, end - Date.now());
      } catch (err) {
        // Credential errors (exec plugin failed or timed out) are already one clear line.
        if (external?.aborted || err instanceof PodscopeError) throw err;
        if (ac.signal.aborted) throw timedOut();
        const transient =
          (err instanceof ApiError && TRANSIENT_STATUS.has(err.status)) ||
          (err instanceof TransportError && TRANSIENT_CODES.has(err.code));
        if (!transient || i >= retries) throw err;
        const wait =
          err instanceof ApiError && err.retryAfterSeconds !== undefined
            ? Math.min(err.retryAfterSeconds * 1000, this.opts.maxRetryAfterMs)
            : Math.min(this.opts.backoffMs * 2 ** i, 8000);
        // No time left for another try: the last answer is the error.
        if (Date.now() + wait >= end) throw err;
        if (err instanceof ApiError && err.status === 429) reportActivity(`throttled (429): waiting ${formatMs(wait)} before GET ${path} again`);
        await sleep(wait);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** GETs a text body (retried on 429, 5xx and transient transport errors). */
  async getText(path: string, query?: Query, accept = 'text/plain, */*'): Promise<string> {
    return this.withRetries(path, async (signal, budget) => this.readAll(await this.open(path, query, accept, signal, budget), path, signal));
  }

  /** GETs and parses JSON; a body that does not parse counts as cut off and is retried. */
  async getJson<T>(path: string, query?: Query): Promise<T> {
    return this.withRetries(path, async (signal, budget) => {
      const text = await this.readAll(await this.open(path, query, 'application/json', signal, budget), path, signal);
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new TransportError('the answer was not complete JSON (cut off or not JSON)', 'TRUNCATED', path);
      }
    });
  }

  /**
   * GETs a streamed body; only opening it is retried and bounded by the request budget. The body
   * is the caller's: a watch runs until its signal aborts; node logs pass idleMs/untilDeadline.
   */
  async getStream(path: string, query?: Query, opts: StreamOptions = {}): Promise<Readable> {
    // The request must outlive the opening budget, so its own controller is never aborted by it.
    const keep = new AbortController();
    const stop = () => keep.abort();
    opts.signal?.addEventListener('abort', stop, { once: true });
    const res = await this.withRetries(
      path,
      (signal, budget) => {
        const onTimeout = () => keep.abort();
        signal.addEventListener('abort', onTimeout, { once: true });
        return this.open(path, query, 'text/plain, */*', keep.signal, budget).finally(() => signal.removeEventListener('abort', onTimeout));
      },
      opts.signal,
    ).catch((err: unknown) => {
      opts.signal?.removeEventListener('abort', stop);
      throw err;
    });
    res.on('close', () => opts.signal?.removeEventListener('abort', stop));
    if (opts.idleMs) {
      const idle = opts.idleMs;
      res.setTimeout(idle, () => res.destroy(new TransportError(`no data for ${formatMs(idle)}`, 'TIMEOUT', path)));
    }
    if (opts.untilDeadline && this.opts.deadline !== undefined) {
      const t = setTimeout(() => res.destroy(this.deadlineError(path)), Math.max(0, this.remainingMs()));
      res.on('close', () => clearTimeout(t));
    }
    return res;
  }

  /**
   * DELETEs one object with a JSON body (DeleteOptions) and returns the answer. Never retried:
   * a delete that timed out may have happened. podscope's only write (`stop --delete --yes`).
   */
  async delete<T>(path: string, body: object): Promise<T> {
    return this.withRetries(
      path,
      async (signal, budget) => {
        const res = await this.open(path, undefined, 'application/json', signal, budget, { method: 'DELETE', body: JSON.stringify(body) });
        const text = await this.readAll(res, path, signal);
        try {
          return JSON.parse(text) as T;
        } catch {
          throw new TransportError('the answer to DELETE was not complete JSON', 'TRUNCATED', path);
        }
      },
      undefined,
      0,
    );
  }
}
