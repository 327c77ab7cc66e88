import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { DataError } from '../errors.js';
import type { ResourceKind, ResourceMap, SourceInfo } from '../model/types.js';
import type { ClusterSource } from '../source/types.js';
import { FIELD_SELECTORS } from '../source/resources.js';
import { resolvePod } from './pod.js';

async function need<K extends ResourceKind>(source: ClusterSource, kind: K, namespace?: string): Promise<ResourceMap[K][]> {
  const r = await source.list(kind, namespace ? { namespace, allNamespaces: false } : { allNamespaces: true });
  if (r.ok) return r.value;
  throw new DataError(`cannot get ${kind}: ${r.unavailable.reason}`, r.unavailable.fix ?? 'check permissions (podscope checks lists the RBAC each input needs)');
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
  const pod = await resolvePod(source, { command: 'schedule', pod: req.pod, namespace: req.namespace });
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
