import type { V1Pod } from '@kubernetes/client-node';
import type { Readable } from 'node:stream';
import type { Got, ResourceKind, ResourceMap, Scope, SourceInfo } from '../model/types.js';

// The model types live in src/model/types.ts (every layer may import them); sources implement them.
export { CLUSTER_SCOPED, RESOURCE_KINDS, got, missing } from '../model/types.js';
export type { Got, ResourceKind, ResourceMap, Scope, SourceInfo, Unavailable, UnavailableKind } from '../model/types.js';

/** Raw text per node that only some sources can serve. */
export type NodeInput = 'node-metrics' | 'kubelet-logs';

/** Parameters of the kubelet's node log query (KEP-2258). */
export interface NodeLogQuery {
  query: string;
  sinceTime?: Date;
  untilTime?: Date;
  tailLines?: number;
  pattern?: string;
}

/**
 * The only door to cluster data. Live and offline sources implement it; src/gather turns what
 * it serves into the inputs analyses and checks read, so they never know which source it was.
 */
export interface ClusterSource {
  /** The namespace commands use without -n: the context's live, none (all) offline. */
  readonly defaultNamespace: string | undefined;
  /** Notes about the input for the user (stderr), also in info().notes; offline sources only. */
  readonly notes?: readonly string[];
  info(): Promise<SourceInfo>;
  /** Lists a resource within the scope (nodes ignore the namespace; the selector applies to pods). */
  list<K extends ResourceKind>(kind: K, scope: Scope): Promise<Got<ResourceMap[K][]>>;
  /** One pod by name. */
  getPod(namespace: string, name: string): Promise<Got<V1Pod>>;
  /** The kubelet's Prometheus text (`/metrics`) for a node. */
  nodeMetrics(node: string): Promise<Got<string>>;
  /** The node's kubelet log, streamed (node log query live, a file offline). */
  nodeLogs(node: string, query: NodeLogQuery): Promise<Got<Readable>>;
  /** Whether a namespace exists (live only): null when the server will not say. */
  namespaceExists?(name: string): Promise<boolean | null>;
  /** Releases connections and files. */
  close(): Promise<void>;
}
