import { UsageError } from '../errors.js';
import { parseGoDuration } from '../parse/duration.js';
import { FilesSource } from './files.js';
import { DEFAULT_NODE_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, GATHER_TIMEOUT_FACTOR } from './limits.js';
import { openDirectory } from './snapshot.js';
import type { ClusterSource } from './types.js';

/** The flags that choose a source. */
export interface SourceFlags {
  from?: string;
  file?: string;
  kubeconfig?: string;
  context?: string;
  requestTimeout?: string;
  /** The whole gather's budget (default GATHER_TIMEOUT_FACTOR × the request timeout). */
  gatherTimeout?: string;
  /** Budget of one kubelet call through the node proxy. */
  nodeTimeout?: string;
  /** Kubelet calls in flight at once. */
  nodeConcurrency?: number;
}

const NO_LIMIT_MS = 24 * 3600_000;

function durationMs(flag: string, text: string): number {
  const seconds = /^\d+$/.test(text.trim()) ? Number(text.trim()) : parseGoDuration(text);
  if (seconds === null || seconds < 0) throw new UsageError(`invalid --${flag} "${text}"`, 'use a duration such as 30s or 1m (a bare number is seconds)');
  return seconds * 1000;
}

/** kubectl's --request-timeout: `0` (none), `30`, `30s`, `1m`; returns milliseconds. */
export function parseRequestTimeout(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_REQUEST_TIMEOUT_MS;
  const ms = durationMs('request-timeout', text);
  return ms === 0 ? NO_LIMIT_MS : ms;
}

/** The time flags as milliseconds: request, whole gather (undefined = none), one kubelet call. */
export function parseTimeFlags(flags: SourceFlags): { requestMs: number; gatherMs: number | undefined; nodeMs: number } {
  const requestMs = parseRequestTimeout(flags.requestTimeout);
  let gatherMs: number | undefined;
  if (flags.gatherTimeout !== undefined && flags.gatherTimeout !== '') {
    const g = durationMs('gather-timeout', flags.gatherTimeout);
    gatherMs = g === 0 ? undefined : g;
  } else if (requestMs !== NO_LIMIT_MS) {
    gatherMs = GATHER_TIMEOUT_FACTOR * requestMs;
  }
  let nodeMs = DEFAULT_NODE_TIMEOUT_MS;
  if (flags.nodeTimeout !== undefined && flags.nodeTimeout !== '') {
    nodeMs = durationMs('node-timeout', flags.nodeTimeout);
    if (nodeMs === 0) throw new UsageError('--node-timeout must be more than 0', 'use a duration such as 5s');
  }
  return { requestMs, gatherMs, nodeMs };
}

/** Whether the flags point at offline input (no cluster is contacted). */
export function isOffline(flags: SourceFlags): boolean {
  return Boolean(flags.from || flags.file);
}

/** Opens the source the flags name: --from DIR, -f FILE, or the live cluster. */
export async function openSource(flags: SourceFlags): Promise<ClusterSource> {
  if (flags.from && flags.file) throw new UsageError('--from and -f cannot be used together', 'pick one offline input');
  if (flags.from) return openDirectory(flags.from);
  if (flags.file) return FilesSource.load(flags.file);
  const t = parseTimeFlags(flags);
  const c = flags.nodeConcurrency;
  if (c !== undefined && (!Number.isInteger(c) || c < 1 || c > 256)) throw new UsageError(`invalid --node-concurrency ${c}`, 'use a whole number from 1 to 256');
  const { LiveSource } = await import('./live.js');
  return LiveSource.open({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    http: { timeoutMs: t.requestMs },
    gatherTimeoutMs: t.gatherMs,
    nodeTimeoutMs: t.nodeMs,
    nodeConcurrency: c,
  });
}
