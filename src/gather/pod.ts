import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { DataError, UsageError } from '../errors.js';
import type { Unavailable } from '../model/types.js';
import type { ClusterSource } from '../source/types.js';
import { FIELD_SELECTORS } from '../source/resources.js';

const ref = (p: V1Pod) => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name ?? '?'}`;

/** Finds the pod to inspect: by name (in -n, or the only match offline), or the only pod of a file. */
async function findPod(source: ClusterSource, name: string | undefined, namespace: string | undefined, offline: boolean): Promise<V1Pod> {
  if (name && (namespace || !offline)) {
    const ns = namespace ?? source.defaultNamespace ?? 'default';
    const got = await source.getPod(ns, name);
    if (!got.ok) throw new DataError(got.unavailable.reason, got.unavailable.fix);
    return got.value;
  }
  if (!offline) throw new UsageError('name the pod to inspect', 'podscope inspect POD -n NAMESPACE');
  const listed = await source.list('pods', { namespace, allNamespaces: namespace === undefined });
  if (!listed.ok) throw new DataError(listed.unavailable.reason, listed.unavailable.fix);
  const pods = name ? listed.value.filter((p) => p.metadata?.name === name) : listed.value;
  if (pods.length === 1) return pods[0];
  const names = listed.value.slice(0, 10).map(ref).join(', ');
  if (!name) throw new UsageError(`name the pod to inspect: the input holds ${pods.length} pods`, pods.length ? `e.g. podscope inspect ${pods[0].metadata?.name} (pods: ${names})` : undefined);
  if (!pods.length) throw new DataError(`pod "${name}" is not in the input${namespace ? ` (namespace ${namespace})` : ''}`, names ? `pods there: ${names}` : 'check the name');
  throw new UsageError(`pod "${name}" is in several namespaces: ${pods.map(ref).join(', ')}`, 'pick one with -n NAMESPACE');
}

/** What `inspect` gathered: the pod, and its namespace's events or why they are missing. */
export interface PodGathered {
  pod: V1Pod;
  events?: CoreV1Event[];
  eventsUnavailable?: Unavailable;
}

/** Finds the pod and lists its namespace's events. */
export async function gatherPod(source: ClusterSource, name: string | undefined, namespace: string | undefined, offline: boolean): Promise<PodGathered> {
  const pod = await findPod(source, name, namespace, offline);
  const evs = await source.list('events', { namespace: pod.metadata?.namespace ?? 'default', allNamespaces: false, fieldSelector: FIELD_SELECTORS.eventsOfPod(pod.metadata?.name ?? '') });
  return evs.ok ? { pod, events: evs.value } : { pod, eventsUnavailable: evs.unavailable };
}
