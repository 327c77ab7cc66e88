import { grouped } from '../../k8s/grouped.js';
import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { toDate } from '../../k8s/pod.js';
import { parseConditionMessage } from '../../parse/node-condition.js';
import { scrubText } from '../../parse/secret-text.js';
import type { ConditionPart } from '../../parse/node-condition.js';

/**
 * Facts about a node read from API objects (conditions, events, pods), shared by the diagnosis,
 * the default node selection and the PLEG checks.
 */

/** The kubelet's default max-pods (kubelet config `maxPods`; KubeletTooManyPods runbook). */
export const DEFAULT_MAX_PODS = 110;

/** How many times an event happened (`count`, or the newer `series.count`). */
export function eventCount(e: CoreV1Event): number {
  return e.series?.count ?? e.count ?? 1;
}

/** When an event last happened. */
export function eventTime(e: CoreV1Event): Date | undefined {
  return toDate(e.series?.lastObservedTime) ?? toDate(e.lastTimestamp) ?? toDate(e.eventTime) ?? toDate(e.firstTimestamp);
}

/** Events about a node itself, or reported by its kubelet about its pods. */
export function eventsForNode(events: CoreV1Event[], node: string): CoreV1Event[] {
  const byNode = grouped(events, 'node', (e) =>
    [e.involvedObject?.kind === 'Node' ? e.involvedObject.name : undefined, e.source?.host, e.reportingInstance].filter((k): k is string => Boolean(k)),
  );
  return byNode.get(node) ?? [];
}

/** Event messages that say a CRI call timed out. */
export const CRI_TIMEOUT = /DeadlineExceeded|context deadline exceeded/;
/** Event messages that say the runtime is not there. */
export const RUNTIME_GONE = /Cannot connect to the Docker daemon|container runtime is down|Error while dialing:? dial unix \S+\.sock|connect: connection refused/;
/** Event messages of CNI failures. */
export const CNI_FAILED = /NetworkPlugin cni failed|failed to (?:set ?up|setup|tear ?down|teardown|destroy) network for sandbox|plugin type="[^"]+"(?: name="[^"]+")? failed/;

/** Matching events, as `reason ×count: message` evidence (credentials scrubbed, as every quoted message), most frequent first. */
export function eventEvidence(events: CoreV1Event[], test: (e: CoreV1Event) => boolean, max = 3): { count: number; lines: string[] } {
  const hits = events.filter(test).sort((a, b) => eventCount(b) - eventCount(a));
  const count = hits.reduce((n, e) => n + eventCount(e), 0);
  const lines = hits.slice(0, max).map((e) => {
    const obj = e.involvedObject?.kind === 'Node' ? '' : ` ${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`;
    return `event ${e.reason ?? '?'} ×${eventCount(e)}${obj}: ${scrubText((e.message ?? '').trim()).slice(0, 300)}`;
  });
  return { count, lines };
}

/** NodeNotReady events of the node (a count of 2 or more is flapping). */
export function notReadyCount(events: CoreV1Event[]): number {
  return events.filter((e) => e.reason === 'NodeNotReady').reduce((n, e) => n + eventCount(e), 0);
}

/** The node's Ready condition and its message split into errors. */
export function readiness(node: V1Node | undefined): { status: string | null; parts: ConditionPart[]; since: Date | undefined; message: string } {
  const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    status: ready?.status ?? null,
    parts: parseConditionMessage(ready?.message),
    since: toDate(ready?.lastTransitionTime),
    message: ready?.message ?? '',
  };
}

/** Whether a condition (PIDPressure, DiskPressure, MemoryPressure, NetworkUnavailable) is True. */
export function conditionTrue(node: V1Node | undefined, type: string): { message: string } | null {
  const c = node?.status?.conditions?.find((x) => x.type === type);
  return c?.status === 'True' ? { message: scrubText(`${type}=True reason=${c.reason ?? '-'}: ${c.message ?? ''}`.trim()) } : null;
}

/** Whether a Ready message or event text shows PLEG or runtime trouble. */
export function plegSymptomText(text: string | undefined): boolean {
  return /PLEG is not healthy|container runtime is down|pleg was last seen/.test(text ?? '');
}

/** Pods and containers on the node against its pod capacity. Exited containers count: relist lists them too. */
export function density(node: V1Node | undefined, pods: V1Pod[]): { pods: number; capacity: number; containers: number; exited: number } {
  const live = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  let containers = 0;
  let exited = 0;
  for (const p of pods) {
    containers += (p.spec?.containers?.length ?? 0) + (p.spec?.initContainers?.length ?? 0);
    for (const cs of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) {
      if (cs.state?.terminated) exited++;
      if (cs.lastState?.terminated) exited++;
    }
  }
  const cap = Number(node?.status?.capacity?.pods ?? node?.status?.allocatable?.pods ?? DEFAULT_MAX_PODS);
  return { pods: live.length, capacity: Number.isFinite(cap) && cap > 0 ? cap : DEFAULT_MAX_PODS, containers, exited };
}
