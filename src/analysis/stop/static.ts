import type { V1Container, V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import { classicSidecarNames, isNativeSidecar } from '../anatomy/roles.js';
import { preStopOf } from './prestop.js';
import type { PreStop } from './prestop.js';

/** The API server's default `terminationGracePeriodSeconds` (pkg/apis/core/v1/defaults.go). */
export const DEFAULT_GRACE_SECONDS = 30;

/** How one container stops. */
export interface ContainerStop {
  name: string;
  /** Native sidecars (init containers with restartPolicy Always) stop after every app container and classic sidecar. */
  role: 'app' | 'classic-sidecar' | 'native-sidecar';
  preStop: PreStop | null;
  readinessProbe: boolean;
  /** 1 = gets SIGTERM first; equal numbers stop at the same time. */
  stopOrder: number;
}

/** An EndpointSlice endpoint that points at the pod, with its conditions (nil read as the API says). */
export interface SliceEndpoint {
  slice: string;
  service: string | null;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** What decides whether stopping the pod drops traffic, read from its spec and its Services. */
export interface StopStatic {
  pod: { namespace: string; name: string; uid: string | null; node: string | null };
  services: { name: string; publishNotReadyAddresses: boolean }[];
  endpoints: SliceEndpoint[];
  /** The grace period a plain delete would use (or the one already set by a pending delete). */
  gracePeriodSeconds: number;
  /** The longest known preStop delay among app containers; null when none is known. */
  preStopSeconds: number | null;
  containers: ContainerStop[];
}

/** A Service and its selector as pairs; none for a Service without a selector (hand-made endpoints: it never selects pods by label). */
interface Selecting {
  service: V1Service;
  pairs: [string, string][];
}

const selectingMemo = new WeakMap<readonly V1Service[], Map<string, Selecting[]>>();

/** The Services of a list that select pods, by namespace, once per list (the engine hands every check the same array). */
function selectingByNamespace(services: readonly V1Service[]): Map<string, Selecting[]> {
  let m = selectingMemo.get(services);
  if (!m) {
    m = new Map();
    for (const service of services) {
      const sel = service.spec?.selector;
      if (!sel || Object.keys(sel).length === 0) continue;
      const ns = service.metadata?.namespace ?? 'default';
      const group = m.get(ns);
      const entry = { service, pairs: Object.entries(sel) };
      if (group) group.push(entry);
      else m.set(ns, [entry]);
    }
    selectingMemo.set(services, m);
  }
  return m;
}

/** Services in the pod's namespace whose selector matches the pod's labels. */
export function servicesSelecting(pod: V1Pod, services: readonly V1Service[]): V1Service[] {
  const inNamespace = selectingByNamespace(services).get(pod.metadata?.namespace ?? 'default');
  if (!inNamespace) return [];
  const labels = pod.metadata?.labels ?? {};
  const out: V1Service[] = [];
  for (const { service, pairs } of inNamespace) {
    let all = true;
    for (const [k, v] of pairs) {
      if (labels[k] !== v) {
        all = false;
        break;
      }
    }
    if (all) out.push(service);
  }
  return out;
}

/** Whether an endpoint's target is this pod (by uid when both have one, else by name). */
function targets(pod: V1Pod, ref: { kind?: string; name?: string; uid?: string } | undefined): boolean {
  if (!ref || (ref.kind && ref.kind !== 'Pod')) return false;
  if (ref.uid && pod.metadata?.uid) return ref.uid === pod.metadata.uid;
  return ref.name === pod.metadata?.name;
}

/** The endpoints of the pod in the given slices. nil ready/serving mean true, nil terminating false (discovery/v1 types). */
export function endpointsOf(pod: V1Pod, slices: readonly V1EndpointSlice[]): SliceEndpoint[] {
  const ns = pod.metadata?.namespace ?? 'default';
  const out: SliceEndpoint[] = [];
  for (const s of slices) {
    if ((s.metadata?.namespace ?? 'default') !== ns) continue;
    for (const e of s.endpoints ?? []) {
      if (!targets(pod, e.targetRef)) continue;
      out.push({
        slice: s.metadata?.name ?? '?',
        service: s.metadata?.labels?.['kubernetes.io/service-name'] ?? null,
        ready: e.conditions?.ready ?? true,
        serving: e.conditions?.serving ?? true,
        terminating: e.conditions?.terminating ?? false,
      });
    }
  }
  return out.sort((a, b) => (a.slice < b.slice ? -1 : a.slice > b.slice ? 1 : 0));
}

/**
 * The containers that get a stop signal, in stop order, with the roles and steps `podscope inspect`
 * shows (analysis/anatomy): app containers and classic sidecars get SIGTERM together; native
 * sidecars only after the last of them exited, in reverse order of definition (website
 * pod-lifecycle.md "Pod termination").
 */
export function containerStops(pod: V1Pod): ContainerStop[] {
  // The stop steps of containerPlaces, read without its pattern guesses unless a pod may have a
  // classic sidecar: this runs on every pod of a cluster-wide scan.
  const init = pod.spec?.initContainers ?? [];
  const classic = classicSidecarNames(pod);
  const natives = init.filter(isNativeSidecar);
  const stop = (c: V1Container, role: ContainerStop['role'], stopOrder: number): ContainerStop => ({
    name: c.name,
    role,
    preStop: preStopOf(c),
    readinessProbe: Boolean(c.readinessProbe),
    stopOrder,
  });
  const out = natives.map((c, i) => stop(c, 'native-sidecar', 1 + natives.length - i));
  for (const c of pod.spec?.containers ?? []) out.push(stop(c, classic.has(c.name) ? 'classic-sidecar' : 'app', 1));
  return out.sort((a, b) => a.stopOrder - b.stopOrder || (a.name < b.name ? -1 : 1));
}

/** The grace period a delete without --grace-period would use now. */
export function gracePeriodOf(pod: V1Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
}

/** The longest known preStop delay among app containers, or null. */
export function preStopSecondsOf(stops: readonly ContainerStop[]): number | null {
  const known = stops.filter((c) => c.role === 'app' && c.preStop?.seconds !== null && c.preStop?.seconds !== undefined);
  return known.length ? Math.max(...known.map((c) => c.preStop?.seconds ?? 0)) : null;
}

/** The static view of stopping one pod. */
export function analyseStopStatic(pod: V1Pod, services: readonly V1Service[], slices: readonly V1EndpointSlice[]): StopStatic {
  const containers = containerStops(pod);
  return {
    pod: {
      namespace: pod.metadata?.namespace ?? 'default',
      name: pod.metadata?.name ?? '?',
      uid: pod.metadata?.uid ?? null,
      node: pod.spec?.nodeName ?? null,
    },
    services: servicesSelecting(pod, services)
      .map((s) => ({ name: s.metadata?.name ?? '?', publishNotReadyAddresses: s.spec?.publishNotReadyAddresses === true }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    endpoints: endpointsOf(pod, slices),
    gracePeriodSeconds: gracePeriodOf(pod),
    preStopSeconds: preStopSecondsOf(containers),
    containers,
  };
}
