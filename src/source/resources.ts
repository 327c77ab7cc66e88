import { matches } from '../parse/selector.js';
import type { Requirement } from '../parse/selector.js';
import { CLUSTER_SCOPED } from './types.js';
import type { ResourceKind, ResourceMap } from './types.js';

const ns = (n: string | undefined) => (n ? `/namespaces/${encodeURIComponent(n)}` : '');

/** The list path of each resource, for a namespace or (undefined) all of them. */
export const API_PATHS: Record<ResourceKind, (namespace: string | undefined) => string> = {
  nodes: () => '/api/v1/nodes',
  pods: (n) => `/api/v1${ns(n)}/pods`,
  events: (n) => `/api/v1${ns(n)}/events`,
  services: (n) => `/api/v1${ns(n)}/services`,
  endpointslices: (n) => `/apis/discovery.k8s.io/v1${ns(n)}/endpointslices`,
};

/** Field selectors the API server supports, for narrowing a list to one pod's events or one node's pods. */
export const FIELD_SELECTORS = {
  eventsOfPod: (name: string) => `involvedObject.kind=Pod,involvedObject.name=${name}`,
  podsOnNode: (node: string) => `spec.nodeName=${node}`,
};

/** The Kind of each resource's items, and of its List. */
export const KIND_OF: Record<ResourceKind, string> = {
  nodes: 'Node',
  pods: 'Pod',
  events: 'Event',
  services: 'Service',
  endpointslices: 'EndpointSlice',
};

/** The resource a Kind belongs to, if podscope reads it. */
export function resourceOfKind(kind: string): ResourceKind | undefined {
  return (Object.keys(KIND_OF) as ResourceKind[]).find((r) => KIND_OF[r] === kind);
}

/**
 * Drops what no analysis reads and that would cost memory on large clusters (managedFields,
 * the last-applied annotation), and fills kind/apiVersion that list items lack.
 * Timestamps stay the ISO strings the API sends: use k8s/pod.ts toDate() to read them.
 */
export function stripObject<K extends ResourceKind>(kind: K, obj: ResourceMap[K]): ResourceMap[K] {
  const o = obj as { kind?: string; apiVersion?: string; metadata?: { managedFields?: unknown; annotations?: Record<string, string> } };
  if (o.metadata) {
    delete o.metadata.managedFields;
    if (o.metadata.annotations) delete o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  }
  o.kind ??= KIND_OF[kind];
  o.apiVersion ??= kind === 'endpointslices' ? 'discovery.k8s.io/v1' : 'v1';
  return obj;
}

/** Whether an object falls in the scope (namespace, and for pods the label selector). */
export function inScope(
  kind: ResourceKind,
  obj: { metadata?: { namespace?: string; labels?: Record<string, string> } },
  scope: { namespace?: string; allNamespaces: boolean },
  selector: Requirement[] | undefined,
): boolean {
  if (!CLUSTER_SCOPED.has(kind) && !scope.allNamespaces && (obj.metadata?.namespace ?? 'default') !== (scope.namespace ?? 'default')) {
    return false;
  }
  return kind !== 'pods' || !selector || matches(selector, obj.metadata?.labels);
}
