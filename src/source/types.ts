import type {
  CoreV1Event,
  V1EndpointSlice,
  V1Node,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import type { Readable } from 'node:stream';

/** The object types a source serves, by the plural resource name used in the API path. */
export interface ResourceMap {
  nodes: V1Node;
  pods: V1Pod;
  events: CoreV1Event;
  services: V1Service;
  endpointslices: V1EndpointSlice;
}

/** A resource a source can list. */
export type ResourceKind = keyof ResourceMap;

/** Every listable resource, in the order snapshots write them. */
export const RESOURCE_KINDS: readonly ResourceKind[] = ['nodes', 'pods', 'events', 'services', 'endpointslices'];

/** Resources that are not namespaced (need cluster-wide RBAC). */
export const CLUSTER_SCOPED: ReadonlySet<ResourceKind> = new Set<ResourceKind>(['nodes']);

/** Which namespaces, and which pods, a command looks at. The selector applies to pods only. */
export interface Scope {
  namespace?: string;
  allNamespaces: boolean;
  labelSelector?: string;
  /**
   * A server-side narrowing (`involvedObject.name=web-0`, `spec.nodeName=n1`) the live source
   * sends as `fieldSelector`; other sources ignore it, so callers still filter what they get.
   */
  fieldSelector?: string;
}

/** Raw text per node that only some sources can serve. */
export type NodeInput = 'node-metrics' | 'kubelet-logs';

/** Why something could not be had. */
export type UnavailableKind = 'forbidden' | 'not-found' | 'unsupported' | 'not-captured' | 'failed';

/** An input a source could not get, with the reason and what would fix it. */
export interface Unavailable {
  input: string;
  kind: UnavailableKind;
  reason: string;
  fix?: string;
}

/** A value, or the typed reason it is missing. */
export type Got<T> = { ok: true; value: T } | { ok: false; unavailable: Unavailable };

/** Wraps a value as available. */
export function got<T>(value: T): Got<T> {
  return { ok: true, value };
}

/** Wraps a reason as unavailable. */
export function missing<T>(unavailable: Unavailable): Got<T> {
  return { ok: false, unavailable };
}

/** Parameters of the kubelet's node log query (KEP-2258). */
export interface NodeLogQuery {
  query: string;
  sinceTime?: Date;
  untilTime?: Date;
  tailLines?: number;
  pattern?: string;
}

/** Where the data comes from, for reports and snapshot manifests. */
export interface SourceInfo {
  kind: 'live' | 'snapshot' | 'cluster-info-dump' | 'files';
  location: string;
  context?: string;
  serverVersion?: string;
  capturedAt?: string;
}

/**
 * The only door to cluster data. Live and offline sources implement it; analyses and checks
 * receive what it returns and never know which source they read.
 */
export interface ClusterSource {
  /** The namespace commands use without -n: the context's live, none (all) offline. */
  readonly defaultNamespace: string | undefined;
  info(): Promise<SourceInfo>;
  /** Lists a resource within the scope (nodes ignore the namespace; the selector applies to pods). */
  list<K extends ResourceKind>(kind: K, scope: Scope): Promise<Got<ResourceMap[K][]>>;
  /** One pod by name. */
  getPod(namespace: string, name: string): Promise<Got<V1Pod>>;
  /** The kubelet's Prometheus text (`/metrics`) for a node. */
  nodeMetrics(node: string): Promise<Got<string>>;
  /** The node's kubelet log, streamed (node log query live, a file offline). */
  nodeLogs(node: string, query: NodeLogQuery): Promise<Got<Readable>>;
  /** Releases connections and files. */
  close(): Promise<void>;
}
