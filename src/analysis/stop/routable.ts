import type { V1EndpointSlice } from '@kubernetes/client-node';

/** The pod's endpoint in one slice: nil ready/serving read as true, nil terminating as false. */
export interface EndpointState {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** The pod's endpoint in a slice, or undefined when the slice does not list it. */
export function podEndpoint(slice: V1EndpointSlice, pod: { uid: string | null; name: string }): EndpointState | undefined {
  const e = (slice.endpoints ?? []).find((x) => {
    const r = x.targetRef;
    if (!r || (r.kind && r.kind !== 'Pod')) return false;
    return pod.uid && r.uid ? r.uid === pod.uid : r.name === pod.name;
  });
  if (!e) return undefined;
  return { ready: e.conditions?.ready ?? true, serving: e.conditions?.serving ?? true, terminating: e.conditions?.terminating ?? false };
}

/** The Service a slice belongs to (label set by the EndpointSlice controller). */
export function serviceOf(slice: V1EndpointSlice): string | undefined {
  return slice.metadata?.labels?.['kubernetes.io/service-name'];
}

/**
 * Whether kube-proxy would send new connections to the pod, given the current slices.
 * A ready endpoint is used. A terminating endpoint that is still serving is used only when its
 * Service has no ready endpoint left (KEP-1669 ProxyTerminatingEndpoints, GA 1.28;
 * kubernetes pkg/proxy/topology.go CategorizeEndpoints).
 */
export function routable(slices: Iterable<V1EndpointSlice>, pod: { uid: string | null; name: string }): boolean {
  return routedAs(slices, pod) !== false;
}

/** How kube-proxy would route to the pod: as a ready endpoint, as the terminating fallback of a Service with no ready one, or not. */
export function routedAs(slices: Iterable<V1EndpointSlice>, pod: { uid: string | null; name: string }): 'ready' | 'fallback' | false {
  const all = [...slices];
  let fallback = false;
  for (const s of all) {
    const mine = podEndpoint(s, pod);
    if (!mine) continue;
    if (mine.ready) return 'ready';
    if (!mine.serving || !mine.terminating) continue;
    const svc = serviceOf(s);
    const othersReady = all
      .filter((o) => serviceOf(o) === svc)
      .some((o) => (o.endpoints ?? []).some((e) => e !== undefined && (e.conditions?.ready ?? true) && !sameTarget(e.targetRef, pod)));
    if (!othersReady) fallback = true;
  }
  return fallback ? 'fallback' : false;
}

function sameTarget(ref: { name?: string; uid?: string } | undefined, pod: { uid: string | null; name: string }): boolean {
  if (!ref) return false;
  return pod.uid && ref.uid ? ref.uid === pod.uid : ref.name === pod.name;
}
