import pLimit from 'p-limit';
import type { ResourceKind } from '../model/types.js';

/**
 * The request budget of every command, in one place (DESIGN.md §3 and §5 "request budget"): a
 * constant number of (paginated) lists per command, never a request per pod; per-node requests
 * (kubelet metrics and logs, kube-proxy metrics) run with bounded concurrency. The per-request
 * timeout is --request-timeout, applied by the source.
 */

/**
 * How many per-node requests (kubelet /metrics, node log query) are handed to the source at once.
 * The live source bounds kubelet calls itself (--node-concurrency, default 32, with --node-timeout:
 * src/source/node-calls.ts); this only keeps offline reads of many node files in check.
 */
export const NODE_REQUEST_CONCURRENCY = 64;

/** A limiter for per-node requests of one command run. */
export function nodeRequestLimit(concurrency: number = NODE_REQUEST_CONCURRENCY): ReturnType<typeof pLimit> {
  return pLimit(concurrency);
}

/** The lists each command makes, at most once each (`check` lists the union of its checks' needs and uses). */
export const LISTS = {
  /** Cluster-wide, to choose and describe nodes. */
  pleg: ['nodes', 'events', 'pods'],
  /** In the pod's namespace, after the pod itself. */
  stop: ['services', 'endpointslices', 'nodes'],
  /** In the pod's namespace, after the pod itself. */
  inspect: ['events'],
  /** Nodes and every pod (node usage), and the pod's namespace's events. */
  schedule: ['nodes', 'pods', 'events'],
} as const satisfies Record<string, readonly ResourceKind[]>;
