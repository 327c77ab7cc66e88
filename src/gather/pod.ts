import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { DataError, UsageError } from '../errors.js';
import type { Unavailable } from '../model/types.js';
import type { ClusterSource } from '../source/types.js';
import { FIELD_SELECTORS } from '../source/resources.js';

/**
 * The one pod resolver of `inspect`, `schedule` and `stop`: same rules, same messages.
 * - NAME, pod/NAME and pods/NAME name the same pod.
 * - With a namespace (-n, or live the context's), the pod is read by name; offline without -n
 *   it is whichever namespace of the input holds the only pod of that name.
 * - Without a name, the obvious pod is taken: the only one in scope (a -f file with one pod or
 *   workload), and for `schedule` else the only Pending one; otherwise one line lists candidates.
 */

/** The commands that take one pod. */
export type PodCommand = 'inspect' | 'schedule' | 'stop';

/** What the user typed to name a pod. */
export interface PodRequest {
  command: PodCommand;
  /** NAME, pod/NAME or pods/NAME; undefined: pick the obvious pod. */
  pod?: string;
  /** -n; undefined: the context's namespace live, every namespace of the input offline. */
  namespace?: string;
}

const MAX_LISTED = 10;
const ref = (p: V1Pod) => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name ?? '?'}`;
/** Pending in the scheduler's sense: not bound to a node yet. */
const pending = (p: V1Pod) => !p.spec?.nodeName;

/** The pod name of NAME, pod/NAME or pods/NAME; other KIND/NAME forms are a usage error. */
export function podNameOf(arg: string | undefined): string | undefined {
  if (arg === undefined || arg === '') return undefined;
  const m = /^(?:([^/]+)\/)?([^/]+)$/.exec(arg);
  if (!m || (m[1] !== undefined && !/^pods?$/i.test(m[1]))) {
    throw new UsageError(`"${arg}" is not a pod`, 'name a pod: NAME or pod/NAME (kubectl get pods lists them)');
  }
  return m[2];
}

/** Up to ten candidates, those whose name starts with `prefix` first (a Deployment's name finds its pods). */
function listed(pods: V1Pod[], show: (p: V1Pod) => string, prefix = ''): string {
  const ranked = prefix ? [...pods.filter((p) => p.metadata?.name?.startsWith(prefix)), ...pods.filter((p) => !p.metadata?.name?.startsWith(prefix))] : pods;
  const more = ranked.length > MAX_LISTED ? `, ... (${ranked.length - MAX_LISTED} more)` : '';
  return ranked.slice(0, MAX_LISTED).map(show).join(', ') + more;
}

/** Finds the pod a command was asked about (module comment: the rules). Throws one-line usage/data errors. */
export async function resolvePod(source: ClusterSource, req: PodRequest): Promise<V1Pod> {
  const name = podNameOf(req.pod);
  const namespace = req.namespace ?? source.defaultNamespace;
  const otherNs = req.namespace === undefined ? '; pass -n NAMESPACE for another namespace' : '';
  if (name && namespace !== undefined) {
    const got = await source.getPod(namespace, name);
    if (got.ok) return got.value;
    if (got.unavailable.kind !== 'not-found') {
      throw new DataError(`pod ${namespace}/${name}: ${got.unavailable.reason}`, got.unavailable.fix ?? 'check the name and namespace');
    }
    const there = await source.list('pods', { namespace, allNamespaces: false });
    const hint = !there.ok
      ? `kubectl get pods -n ${namespace} lists them`
      : there.value.length
        ? `pods in ${namespace}: ${listed(there.value, (p) => p.metadata?.name ?? '?', name)}`
        : `namespace ${namespace} has no pods`;
    throw new DataError(`pod ${namespace}/${name} not found`, hint + otherNs);
  }

  const scope = namespace === undefined ? { allNamespaces: true } : { namespace, allNamespaces: false };
  const where = namespace === undefined ? 'the input' : `namespace ${namespace}`;
  const all = await source.list('pods', scope);
  if (!all.ok) throw new DataError(`cannot list pods: ${all.unavailable.reason}`, all.unavailable.fix);
  if (name) {
    const hits = all.value.filter((p) => p.metadata?.name === name);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) throw new UsageError(`pod "${name}" is in several namespaces: ${hits.map(ref).join(', ')}`, 'pick one with -n NAMESPACE');
    throw new DataError(`pod "${name}" not found in the input`, all.value.length ? `pods there: ${listed(all.value, ref, name)}` : 'the input holds no pods');
  }

  const pods = all.value;
  if (pods.length === 1) return pods[0];
  const waiting = req.command === 'schedule' ? pods.filter(pending) : [];
  if (waiting.length === 1) return waiting[0];
  if (!pods.length) {
    throw new DataError(`${where} holds no pods`, namespace === undefined ? '-f takes a Pod, a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) or a List' : `name the pod, or pass -n NAMESPACE`);
  }
  const ordered = req.command === 'schedule' ? [...waiting, ...pods.filter((p) => !pending(p))] : pods;
  const show = req.command === 'schedule' ? (p: V1Pod) => `${ref(p)}${pending(p) ? ' (Pending)' : ''}` : ref;
  const count = req.command === 'schedule' ? `${pods.length} pods, ${waiting.length} of them Pending` : `${pods.length} pods`;
  throw new UsageError(`name the pod to ${req.command}: ${where} holds ${count}`, `e.g. podscope ${req.command} ${ordered[0].metadata?.name ?? 'POD'} (pods: ${listed(ordered, show)})`);
}

/** What `inspect` gathered: the pod, and its namespace's events or why they are missing. */
export interface PodGathered {
  pod: V1Pod;
  events?: CoreV1Event[];
  eventsUnavailable?: Unavailable;
}

/** Finds the pod and lists its namespace's events. */
export async function gatherPod(source: ClusterSource, req: Omit<PodRequest, 'command'>): Promise<PodGathered> {
  const pod = await resolvePod(source, { ...req, command: 'inspect' });
  const evs = await source.list('events', { namespace: pod.metadata?.namespace ?? 'default', allNamespaces: false, fieldSelector: FIELD_SELECTORS.eventsOfPod(pod.metadata?.name ?? '') });
  return evs.ok ? { pod, events: evs.value } : { pod, eventsUnavailable: evs.unavailable };
}
