import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { DataError, UsageError } from '../errors.js';
import type { ResourceKind, ResourceMap, SourceInfo } from '../model/types.js';
import type { ClusterSource } from '../source/types.js';
import { FIELD_SELECTORS } from '../source/resources.js';

async function need<K extends ResourceKind>(source: ClusterSource, kind: K, namespace?: string): Promise<ResourceMap[K][]> {
  const r = await source.list(kind, namespace ? { namespace, allNamespaces: false } : { allNamespaces: true });
  if (r.ok) return r.value;
  throw new DataError(`cannot get ${kind}: ${r.unavailable.reason}`, r.unavailable.fix ?? 'check permissions (podscope checks lists the RBAC each input needs)');
}

/** Finds the pod to explain: by name, or the only (Pending) pod of the input. */
async function findPod(source: ClusterSource, arg: string | undefined, namespace: string | undefined): Promise<V1Pod> {
  const name = arg?.replace(/^pods?\//, '');
  if (name) {
    const ns = namespace ?? source.defaultNamespace;
    if (ns) {
      const got = await source.getPod(ns, name);
      if (got.ok) return got.value;
      throw new DataError(`pod ${ns}/${name}: ${got.unavailable.reason}`, got.unavailable.fix ?? 'check the name and namespace');
    }
    const all = await need(source, 'pods');
    const hits = all.filter((p) => p.metadata?.name === name);
    if (hits.length === 1) return hits[0];
    if (hits.length === 0) throw new DataError(`pod "${name}" not found`, 'check the name, or pass -n NAMESPACE');
    throw new UsageError(`pod "${name}" exists in several namespaces (${hits.map((p) => p.metadata?.namespace).join(', ')})`, 'pass -n NAMESPACE');
  }
  const pods = await need(source, 'pods', namespace);
  const pending = pods.filter((p) => !p.spec?.nodeName);
  if (pods.length === 1) return pods[0];
  if (pending.length === 1) return pending[0];
  throw new UsageError('which pod?', pods.length ? `name one of: ${pods.slice(0, 5).map((p) => p.metadata?.name).join(', ')}` : 'podscope schedule POD -n NAMESPACE');
}

/** What `schedule` gathered: the pod, every node, the pods they run, the pod's events. */
export interface ScheduleGathered {
  pod: V1Pod;
  nodes: V1Node[];
  pods: V1Pod[];
  events: CoreV1Event[];
  info: SourceInfo;
  /** Set when only the pod's own namespace could be listed (node usage then counts only it). */
  podsPartial?: string;
}

/** What `schedule` asks for. */
export interface ScheduleRequest {
  pod: string | undefined;
  namespace: string | undefined;
  /** -f was given: a file without nodes is a dry run against the live cluster `cluster()` opens. */
  fromFile: boolean;
  cluster: () => Promise<ClusterSource>;
}

/** Finds the pod, then lists nodes, every pod (or the pod's namespace when that is all RBAC allows) and its events. */
export async function gatherSchedule(source: ClusterSource, req: ScheduleRequest): Promise<ScheduleGathered> {
  const pod = await findPod(source, req.pod, req.namespace);
  // A manifest file without nodes is a dry run against the cluster of the current context.
  const fileNodes = req.fromFile ? await source.list('nodes', { allNamespaces: true }) : undefined;
  const cluster = req.fromFile && !(fileNodes?.ok && fileNodes.value.length) ? await req.cluster() : source;
  const ns = pod.metadata?.namespace ?? 'default';
  const nodes = await need(cluster, 'nodes');
  const allPods = await cluster.list('pods', { allNamespaces: true });
  const pods = allPods.ok ? allPods.value : await need(cluster, 'pods', ns);
  const events = await cluster.list('events', { namespace: ns, allNamespaces: false, fieldSelector: FIELD_SELECTORS.eventsOfPod(pod.metadata?.name ?? '') });
  const info = await cluster.info();
  return {
    pod,
    nodes,
    pods,
    events: events.ok ? events.value : [],
    info,
    podsPartial: allPods.ok ? undefined : `pods of other namespaces unavailable (${allPods.unavailable.reason}); node usage counts only ${ns}`,
  };
}
