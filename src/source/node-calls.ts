import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { PodscopeError } from '../errors.js';
import { reportActivity } from './activity.js';
import { ApiError, TransportError } from './http.js';
import type { KubeHttp } from './http.js';
import { formatMs, OUTAGE_NODE_TIMEOUT_MS } from './limits.js';
import type { Got, NodeLogQuery } from './types.js';
import { got, missing } from './types.js';

const NODE_LOG_FIX = 'enable the NodeLogQuery feature and enableSystemLogQuery in the kubelet config, or pass --kubelet-log FILE';

/** Timed-out kubelet calls after which later calls get the shortened budget. */
const SHORTEN_AFTER_TIMEOUTS = 8;

/**
 * Kubelet calls through the API server's node proxy (`/api/v1/nodes/N/proxy/...`), built to fail
 * fast on a zone outage or a wave of dead kubelets:
 * - each call has the short --node-timeout budget, its one quick retry included;
 * - at most --node-concurrency calls are in flight; a log stream holds its slot until read;
 * - a proxy 502/503/504, a connection error or a timeout makes the node `unreachable`: that is
 *   the node's answer (PLEG evidence), and the node is not asked again in this run;
 * - a call that cannot start before the gather deadline is not sent ("not asked");
 * - once 8 calls (or --node-concurrency, if fewer) have timed out, later calls get a shorter budget:
 *   4x the slowest kubelet that answered, or OUTAGE_NODE_TIMEOUT_MS when none has (a black-holed
 *   zone would otherwise take nodes/concurrency x --node-timeout: 160 s at 1,000 nodes).
 * Progress (nodes done/total per kind) goes to the activity channel (the spinner).
 */
export class NodeCalls {
  private readonly down = new Map<string, string>();
  private timedOut = 0;
  private answered = 0;
  private slowestAnswerMs = 0;
  private shortened?: { ms: number; http: KubeHttp };
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly progress = new Map<string, { done: number; total: number }>();

  constructor(
    private readonly http: KubeHttp,
    private readonly concurrency: number,
    private readonly fatal: (err: unknown) => never,
    private readonly outageTimeoutMs = OUTAGE_NODE_TIMEOUT_MS,
  ) {}

  /**
   * A slot among --node-concurrency. A released slot is handed straight to the next waiter (never
   * freed and re-taken): a waiter resumes a microtask later, and a new caller in between would
   * otherwise take the slot too (43 calls in flight for 32 before this).
   */
  private async acquire(): Promise<() => void> {
    if (this.active < this.concurrency) this.active++;
    else await new Promise<void>((r) => this.waiting.push(r));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }

  /** The client for the next call: the full --node-timeout, or the shortened budget after a wave of timeouts. */
  private client(): KubeHttp {
    const full = this.http.opts.timeoutMs;
    if (this.timedOut < Math.min(this.concurrency, SHORTEN_AFTER_TIMEOUTS)) return this.http;
    const ms = Math.min(full, this.answered > 0 ? Math.max(this.outageTimeoutMs, 4 * this.slowestAnswerMs) : this.outageTimeoutMs);
    if (ms >= full) return this.http;
    if (this.shortened?.ms !== ms) this.shortened = { ms, http: this.http.with({ timeoutMs: ms, timeoutLabel: 'shortened budget' }) };
    return this.shortened.http;
  }

  /** Counts an answer (its time) or a timeout, which decide later calls' budget. */
  private observe(t0: number, err?: unknown): void {
    if (err === undefined) {
      this.answered++;
      this.slowestAnswerMs = Math.max(this.slowestAnswerMs, Date.now() - t0);
    } else if (err instanceof TransportError && err.code === 'TIMEOUT') this.timedOut++;
  }

  private count(what: string, step: 'queued' | 'done'): void {
    const p = this.progress.get(what) ?? { done: 0, total: 0 };
    if (step === 'queued') p.total++;
    else p.done++;
    this.progress.set(what, p);
    if (step === 'done') reportActivity(`${what}: ${p.done}/${p.total} nodes`);
  }

  /** Maps a failed kubelet call to the node's unavailability (or rethrows what is not the node's). */
  private unavailable<T>(input: string, node: string, err: unknown, what: string): Got<T> {
    if (err instanceof PodscopeError) throw err;
    if (err instanceof ApiError && err.status === 401) this.fatal(err);
    if (err instanceof ApiError && err.status === 403) {
      return missing({ input, kind: 'forbidden', reason: `forbidden: get nodes/proxy (${what} of node ${node})`, fix: 'grant get on nodes/proxy (optional in deploy/rbac.yaml; it also allows exec)' });
    }
    if (err instanceof ApiError && err.status === 404) {
      return missing({ input, kind: 'unsupported', reason: `node ${node} does not serve ${what} (404)`, fix: input === 'kubelet-logs' ? NODE_LOG_FIX : undefined });
    }
    if (err instanceof TransportError && err.code === 'DEADLINE') {
      return missing({ input, kind: 'failed', reason: `${what} of node ${node} not gathered: ${err.message}`, fix: 'raise --gather-timeout' });
    }
    const reason = err instanceof Error ? err.message : String(err);
    const unreachable =
      (err instanceof ApiError && [502, 503, 504].includes(err.status)) ||
      (err instanceof TransportError && !['TOOLARGE', 'REDIRECT'].includes(err.code));
    if (!unreachable) return missing({ input, kind: 'failed', reason: `could not get ${what} of node ${node}: ${reason}` });
    const short = this.shortened !== undefined && reason.includes(`no answer within ${formatMs(this.shortened.ms)}`);
    const note = short ? ` (budget shortened from --node-timeout ${formatMs(this.http.opts.timeoutMs)} after ${this.timedOut - 1} calls timed out${this.answered === 0 ? ' and no kubelet answered' : ''})` : '';
    const why = `kubelet of node ${node} did not answer (${what}): ${reason}${note}`;
    this.down.set(node, why);
    return missing({ input, kind: 'unreachable', reason: why, fix: `the node's kubelet, runtime or network is down; budget per call: --node-timeout ${formatMs(this.http.opts.timeoutMs)}` });
  }

  private notAskedAgain<T>(input: string, node: string): Got<T> | undefined {
    const why = this.down.get(node);
    return why === undefined ? undefined : missing({ input, kind: 'unreachable', reason: `${why}; not asked again` });
  }

  /** The kubelet's /metrics text. */
  async metrics(node: string): Promise<Got<string>> {
    const input = 'node-metrics';
    this.count('kubelet metrics', 'queued');
    const release = await this.acquire();
    try {
      const known = this.notAskedAgain<string>(input, node);
      if (known) return known;
      const t0 = Date.now();
      try {
        const text = await this.client().getText(`/api/v1/nodes/${encodeURIComponent(node)}/proxy/metrics`);
        this.observe(t0);
        return got(text);
      } catch (err) {
        this.observe(t0, err);
        throw err;
      }
    } catch (err) {
      return this.unavailable<string>(input, node, err, 'kubelet /metrics');
    } finally {
      release();
      this.count('kubelet metrics', 'done');
    }
  }

  /** The kubelet log through node log query, streamed; the slot is held until the stream closes. */
  async logs(node: string, q: NodeLogQuery): Promise<Got<Readable>> {
    const input = 'kubelet-logs';
    this.count('kubelet logs', 'queued');
    const release = await this.acquire();
    const done = () => {
      release();
      this.count('kubelet logs', 'done');
    };
    try {
      const known = this.notAskedAgain<Readable>(input, node);
      if (known) {
        done();
        return known;
      }
      const t0 = Date.now();
      const client = this.client();
      const stream = await client.getStream(
        `/api/v1/nodes/${encodeURIComponent(node)}/proxy/logs/`,
        {
          query: q.query,
          sinceTime: q.sinceTime?.toISOString().replace(/\.\d+Z$/, 'Z'),
          untilTime: q.untilTime?.toISOString().replace(/\.\d+Z$/, 'Z'),
          tailLines: q.tailLines,
          pattern: q.pattern,
        },
        { idleMs: client.opts.timeoutMs, untilDeadline: true },
      ).catch((err: unknown) => {
        this.observe(t0, err);
        throw err;
      });
      this.observe(t0);
      // A kubelet without NodeLogQuery (off by default up to 1.32) ignores ?query= and answers 200
      // with the HTML listing of /var/log: not a log, and not to be parsed as one.
      const type = String((stream as Partial<IncomingMessage>).headers?.['content-type'] ?? '');
      if (/^text\/html\b/i.test(type)) {
        stream.destroy();
        done();
        return missing({
          input,
          kind: 'unsupported',
          reason: `node ${node} does not serve node log queries: its kubelet answered with the HTML listing of /var/log (NodeLogQuery off)`,
          fix: NODE_LOG_FIX,
        });
      }
      stream.once('close', done);
      return got(stream);
    } catch (err) {
      done();
      return this.unavailable<Readable>(input, node, err, 'the kubelet log (node log query)');
    }
  }
}
