import { UsageError } from '../errors.js';
import { parseGoDuration } from '../parse/duration.js';
import { FilesSource } from './files.js';
import { openDirectory } from './snapshot.js';
import type { ClusterSource } from './types.js';

/** The flags that choose a source. */
export interface SourceFlags {
  from?: string;
  file?: string;
  kubeconfig?: string;
  context?: string;
  requestTimeout?: string;
}

/** kubectl's --request-timeout: `0` (none), `30`, `30s`, `1m`; returns milliseconds. */
export function parseRequestTimeout(text: string | undefined): number {
  if (text === undefined || text === '') return 30_000;
  const seconds = /^\d+$/.test(text) ? Number(text) : parseGoDuration(text);
  if (seconds === null || seconds < 0) throw new UsageError(`invalid --request-timeout "${text}"`, 'use a duration such as 30s or 1m');
  return seconds === 0 ? 24 * 3600_000 : seconds * 1000;
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
  const timeoutMs = parseRequestTimeout(flags.requestTimeout);
  const { LiveSource } = await import('./live.js');
  return LiveSource.open({ kubeconfig: flags.kubeconfig, context: flags.context, http: { timeoutMs } });
}
