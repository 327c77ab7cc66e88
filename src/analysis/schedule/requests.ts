import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { resourceAmount } from '../../parse/quantity.js';

/** Resource amounts by name: millicores for cpu, whole units for the rest. */
export type Amounts = Map<string, number>;

function add(into: Amounts, from: Record<string, string> | Amounts | undefined): void {
  if (!from) return;
  const entries = from instanceof Map ? [...from.entries()] : Object.entries(from).map(([k, v]) => [k, resourceAmount(k, v)] as const);
  for (const [k, v] of entries) into.set(k, (into.get(k) ?? 0) + v);
}

function max(into: Amounts, from: Amounts): void {
  for (const [k, v] of from) into.set(k, Math.max(into.get(k) ?? 0, v));
}

function requestsOf(c: V1Container): Amounts {
  const m: Amounts = new Map();
  add(m, c.resources?.requests);
  return m;
}

/** Pod-level requests the scheduler honours (component-helpers resource `IsSupportedPodLevelResource`). */
function podLevelSupported(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/**
 * What the scheduler reserves for a pod (k8s.io/component-helpers resource/helpers.go `PodRequests`):
 * the sum of app containers and native sidecars (init containers with restartPolicy Always), or the
 * largest "init container i + sidecars started before it" if larger; pod-level requests replace
 * the aggregate for cpu, memory and hugepages; overhead is added on top.
 */
export function podRequests(pod: V1Pod): Amounts {
  const reqs: Amounts = new Map();
  for (const c of pod.spec?.containers ?? []) add(reqs, requestsOf(c));
  const sidecars: Amounts = new Map();
  const initMax: Amounts = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = requestsOf(c);
    if (c.restartPolicy === 'Always') {
      add(reqs, own);
      add(sidecars, own);
      max(initMax, sidecars);
    } else {
      const use: Amounts = new Map();
      add(use, own);
      add(use, sidecars);
      max(initMax, use);
    }
  }
  max(reqs, initMax);
  for (const [k, v] of Object.entries(pod.spec?.resources?.requests ?? {})) {
    if (podLevelSupported(k)) reqs.set(k, resourceAmount(k, v));
  }
  add(reqs, pod.spec?.overhead);
  return reqs;
}
