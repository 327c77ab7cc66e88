/**
 * Time and size bounds of every talk with a server, in one place so docs/security.md can name
 * them. Each has the test that holds it beside its use (test/source/faults*.test.ts).
 */

/** kubectl's default --request-timeout is none; podscope's is 30 s per request, retries included. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** A Retry-After longer than this is cut to it (and never past the request's own budget). */
export const MAX_RETRY_AFTER_MS = 10_000;

/**
 * The largest response body read into memory (64 MiB). Lists are paged (limit=500), so a real
 * page of the largest objects stays far below it; a larger answer is a broken or hostile server.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Per-node kubelet calls through the node proxy: default budget, retries included. */
export const DEFAULT_NODE_TIMEOUT_MS = 5_000;

/**
 * A kubelet call's budget once a whole wave of calls timed out and no kubelet answered (a
 * black-holed zone): 1,000 silent nodes then end in about 5 s + 968/32 x 0.5 s = 20 s.
 */
export const OUTAGE_NODE_TIMEOUT_MS = 500;

/** Per-node kubelet calls in flight at once by default. */
export const DEFAULT_NODE_CONCURRENCY = 32;

/** The whole gather's deadline is this multiple of the request timeout unless --gather-timeout says. */
export const GATHER_TIMEOUT_FACTOR = 2;

/** An exec credential plugin's output past this is an error (a credential is a few KiB). */
export const MAX_EXEC_OUTPUT_BYTES = 1024 * 1024;

/** Formats milliseconds as a flag value: 30s, 1m0s, 1.5s. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m0s`;
  return `${Math.round(ms / 100) / 10}s`;
}
