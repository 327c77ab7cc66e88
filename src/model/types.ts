import type {
  CoreV1Event,
  V1EndpointSlice,
  V1Node,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';

/**
 * The shared vocabulary of every layer: what resources exist, what a request covers, where data
 * came from and why some could not be had. Sources implement it; gather, analysis, checks,
 * report and render read it. This module imports nothing from podscope.
 */

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

/** Why something could not be had. */
/** `unreachable`: the kubelet did not answer through the node proxy (itself PLEG evidence). */
export type UnavailableKind = 'forbidden' | 'not-found' | 'unsupported' | 'not-captured' | 'failed' | 'unreachable';

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

/** Where the data comes from, for reports and snapshot manifests. */
export interface SourceInfo {
  kind: 'live' | 'snapshot' | 'cluster-info-dump' | 'files';
  location: string;
  context?: string;
  serverVersion?: string;
  capturedAt?: string;
  /** What the source assumed while reading its input (e.g. objects without kind read as Pods). */
  notes?: string[];
}
