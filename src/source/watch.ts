import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { DataError } from '../errors.js';
import { ApiError } from './http.js';
import type { KubeHttp } from './http.js';

/**
 * A list-then-watch loop over one API path (what client-go's reflector does), written over
 * KubeHttp because client-node's Watch gives no control over resume and bookmarks:
 * - lists once, then watches from the list's resourceVersion with bookmarks on;
 * - when the connection drops (server timeout, idle timeout, reset), watches again from the last
 *   resourceVersion seen (objects or BOOKMARKs), so nothing is missed or repeated;
 * - on 410 Gone (the resourceVersion was compacted away; an HTTP 410 or an ERROR event with a
 *   Status of code 410) lists again and reports objects that vanished in the gap as DELETED.
 * Upstream: kubernetes/client-go tools/cache/reflector.go; API concepts "Efficient detection of
 * changes" (k8s.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes).
 */

/** What the watch saw: SYNC is an object present in a (re)list. */
export type ObservedType = 'SYNC' | 'ADDED' | 'MODIFIED' | 'DELETED';

/** One observed change, stamped with the local time it arrived (ms since the epoch). */
export interface Observed<T> {
  type: ObservedType;
  object: T;
  observedAt: number;
}

/** Options of a watch. */
export interface WatchOptions<T> {
  http: KubeHttp;
  /** The list path, e.g. `/api/v1/namespaces/shop/pods`. */
  path: string;
  /** fieldSelector / labelSelector for both the list and the watch. */
  query?: Record<string, string | undefined>;
  signal: AbortSignal;
  onEvent: (e: Observed<T>) => void;
  /** Called once, after the first list delivered its objects. */
  onListed?: () => void;
  /** Told about each reconnect and relist (for verbose output and tests). */
  onRestart?: (why: 'ended' | 'dropped' | 'gone', resourceVersion: string) => void;
  /**
   * Told once the watch is live again after a broken connection or a 410: from when the last
   * stream ended to when the next one opened. Changes in that window arrive late (replayed from
   * the resourceVersion, or found by the relist) and are stamped with the time they arrived.
   */
  onGap?: (gap: WatchGap) => void;
  /** Local clock, injectable for tests. */
  now?: () => number;
  /** Pause before reconnecting after an error (the server is not hammered). */
  retryDelayMs?: number;
  /** Server-side watch timeout (default 60 s); the loop watches again from where it was. */
  timeoutSeconds?: number;
}

/** A window in which a watch was not connected (local times, ms since the epoch). */
export interface WatchGap {
  from: number;
  to: number;
  /** The resourceVersion had expired (410 Gone): the objects were listed again. */
  relisted: boolean;
}

interface Meta {
  metadata?: { uid?: string; name?: string; namespace?: string; resourceVersion?: string };
}

interface WatchLine<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T & { code?: number; message?: string };
}

/** Thrown inside the loop when the server says the resourceVersion is too old. */
class Gone extends Error {}

/**
 * A line that is not a watch event (garbage, or half a JSON line at a cut). The connection is
 * dropped and the watch resumes from the last resourceVersion it parsed, so nothing is lost;
 * MAX_GARBLED such connections in a row end the watch with one clear error.
 */
class Garbled extends Error {
  constructor(readonly line: string) {
    super('not a watch event');
  }
}

const MAX_GARBLED = 3;

const keyOf = (o: Meta): string => o.metadata?.uid ?? `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Runs the list-then-watch loop until the signal aborts; resolves then. Fatal API errors reject. */
export async function watchList<T extends Meta>(opts: WatchOptions<T>): Promise<void> {
  const now = opts.now ?? Date.now;
  const known = new Map<string, T>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const onAbort = () => (clearTimeout(t), resolve());
      const t = setTimeout(() => (opts.signal.removeEventListener('abort', onAbort), resolve()), ms);
      opts.signal.addEventListener('abort', onAbort, { once: true });
    });

  const relist = async (): Promise<string> => {
    const body = await opts.http.getJson<{ items?: T[]; metadata?: { resourceVersion?: string } }>(opts.path, opts.query);
    const at = now();
    const seen = new Set<string>();
    for (const item of body.items ?? []) {
      seen.add(keyOf(item));
      known.set(keyOf(item), item);
      opts.onEvent({ type: 'SYNC', object: item, observedAt: at });
    }
    for (const [k, old] of known) {
      if (seen.has(k)) continue;
      known.delete(k);
      opts.onEvent({ type: 'DELETED', object: old, observedAt: at });
    }
    return body.metadata?.resourceVersion ?? '';
  };

  let rv = await relist();
  let garbled = 0;
  /** A 410 was seen: list again before the next watch (inside the try, so a failed relist is retried). */
  let needRelist = false;
  /** When the last stream ended, until the next one opens; and the open gap, if that end was not routine. */
  let lastEnd: number | null = null;
  let gap: { from: number; relisted: boolean } | null = null;
  opts.onListed?.();
  while (!opts.signal.aborted) {
    let stream: Readable | undefined;
    try {
      if (needRelist) {
        rv = await relist();
        needRelist = false;
        if (gap) gap.relisted = true;
      }
      stream = await opts.http.getStream(opts.path, {
        ...opts.query,
        watch: 1,
        resourceVersion: rv,
        allowWatchBookmarks: 'true',
        timeoutSeconds: opts.timeoutSeconds ?? 60,
      }, { signal: opts.signal, idleMs: ((opts.timeoutSeconds ?? 60) + 30) * 1000 });
      if (gap) opts.onGap?.({ from: gap.from, to: now(), relisted: gap.relisted });
      gap = null;
      lastEnd = null;
      const s = stream;
      const rl = createInterface({ input: s, crlfDelay: Infinity });
      // readline ends only on 'end': a reset or destroyed stream must close it, or the loop hangs.
      let failed = false;
      s.on('close', () => rl.close());
      s.on('error', () => {
        failed = true;
        rl.close();
      });
      const onAbort = () => s.destroy();
      opts.signal.addEventListener('abort', onAbort, { once: true });
      try {
        for await (const line of rl) {
          if (!line.trim()) continue;
          let ev: WatchLine<T>;
          try {
            ev = JSON.parse(line) as WatchLine<T>;
            if (!ev || typeof ev !== 'object' || typeof ev.type !== 'string' || !ev.object) throw new Error('not a watch event');
          } catch {
            throw new Garbled(line);
          }
          garbled = 0;
          if (ev.type === 'ERROR') {
            if (ev.object.code === 410) throw new Gone(ev.object.message ?? 'too old resource version');
            throw new Error(`watch error: ${ev.object.message ?? 'unknown'}`);
          }
          const next = ev.object.metadata?.resourceVersion;
          if (next) rv = next;
          if (ev.type === 'BOOKMARK') continue;
          if (ev.type === 'DELETED') known.delete(keyOf(ev.object));
          else known.set(keyOf(ev.object), ev.object);
          opts.onEvent({ type: ev.type, object: ev.object, observedAt: now() });
        }
      } finally {
        opts.signal.removeEventListener('abort', onAbort);
      }
      if (opts.signal.aborted) break;
      lastEnd = now();
      // 'ended': the server closed the watch (timeoutSeconds); 'dropped': the connection broke.
      opts.onRestart?.(failed ? 'dropped' : 'ended', rv);
      if (failed) {
        gap ??= { from: lastEnd, relisted: false };
        await delay(opts.retryDelayMs ?? 500);
      }
    } catch (err) {
      stream?.destroy();
      if (opts.signal.aborted) break;
      // A routine end followed by a failed reopen (a server going down) counts from that end.
      gap ??= { from: lastEnd ?? now(), relisted: false };
      if (err instanceof Gone || (err instanceof ApiError && err.status === 410)) {
        opts.onRestart?.('gone', rv);
        needRelist = true;
        continue;
      }
      if (err instanceof ApiError && (err.status === 401 || err.status === 403 || err.status === 404)) throw err;
      if (err instanceof Garbled && ++garbled >= MAX_GARBLED) {
        throw new DataError(`the watch on ${opts.path} sent a line that is not a watch event ${MAX_GARBLED} times in a row (${JSON.stringify(err.line.slice(0, 60))})`, 'the API server or a proxy in between is broken; try again');
      }
      opts.onRestart?.('dropped', rv);
      await delay(opts.retryDelayMs ?? 500);
    }
  }
}
