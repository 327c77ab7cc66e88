import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import type { Finding } from '../../report/types.js';
import { severityRank } from '../../report/types.js';
import { compareEvent, latestFailedScheduling } from './event.js';
import type { EventComparison } from './event.js';
import { evaluate, nodeViews } from './evaluate.js';
import type { Evaluation } from './evaluate.js';
import { commandFindings } from './findings.js';
import type { FilterName } from './types.js';
import { SCHEDULE_SCHEMA } from '../../schemas.js';

/** One node's row in the JSON contract (DESIGN.md §3 "Scheduling result"). */
export interface NodeRow {
  name: string;
  fits: boolean;
  failedFilter: FilterName | null;
  reason: string | null;
  detail: string | null;
}

/** `podscope schedule -o json` (DESIGN.md §3, schemaVersion 1). */
export interface ScheduleResult {
  /** The JSON Schema of this document (schema/schedule.schema.json). */
  $schema: typeof SCHEDULE_SCHEMA;
  schemaVersion: 1;
  pod: { namespace: string; name: string };
  nodes: NodeRow[];
  summary: string;
  event: { message: string; counts: Record<string, number>; agrees: boolean } | null;
  findings: Finding[];
}

/** What analyseSchedule reads. */
export interface ScheduleInput {
  pod: V1Pod;
  nodes: V1Node[];
  /** Pods of every namespace (node usage, spread, affinity); the pod itself is ignored. */
  pods: V1Pod[];
  events: CoreV1Event[];
  /** `v1.36.3` or similar; picks the scheduler's wording of version-dependent reasons. */
  serverVersion?: string;
  now: Date;
}

/** The analysis with the parts the table needs beyond the contract. */
export interface ScheduleAnalysis {
  result: ScheduleResult;
  /** The node the pod is bound to, if any ("why did it land there?"). */
  boundTo: string | null;
  evaluation: Evaluation;
  event: EventComparison | null;
}

/** Minor version from `v1.36.3`, `1.29.0-eks-...`, or null. */
export function minorOf(version: string | undefined): number | null {
  const m = /^v?1\.(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) : null;
}

/** The scheduler's minor version: the server's, else the newest kubelet's (kubelets never run ahead of the control plane). */
export function schedulerMinor(serverVersion: string | undefined, nodes: V1Node[]): number | null {
  const kubelets = nodes.map((n) => minorOf(n.status?.nodeInfo?.kubeletVersion)).filter((m): m is number => m !== null);
  return minorOf(serverVersion) ?? (kubelets.length ? Math.max(...kubelets) : null);
}

/** Evaluates the pod against every node and compares with its latest FailedScheduling event. */
export function analyseSchedule(input: ScheduleInput): ScheduleAnalysis {
  const nodes = nodeViews(input.nodes, input.pods, input.pod);
  const minor = schedulerMinor(input.serverVersion, input.nodes);
  const evaluation = evaluate({ pod: input.pod, nodes, minor });
  const e = latestFailedScheduling(input.pod, input.events);
  const scheduled = input.pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'True');
  const event = e && !scheduled ? compareEvent(e, evaluation, input.now) : null;
  const findings = commandFindings({ pod: input.pod, pods: input.pods, nodes, evaluation, event });
  findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.checkId.localeCompare(b.checkId));
  const result: ScheduleResult = {
    $schema: SCHEDULE_SCHEMA,
    schemaVersion: 1,
    pod: { namespace: input.pod.metadata?.namespace ?? 'default', name: input.pod.metadata?.name ?? '?' },
    nodes: evaluation.nodes.map((n) => ({ name: n.name, fits: n.fits, failedFilter: n.failedFilter, reason: n.reasons.length ? n.reasons.join(', ') : null, detail: n.detail })),
    summary: evaluation.summary,
    event: event ? { message: event.message, counts: event.counts, agrees: event.agrees } : null,
    findings,
  };
  return { result, boundTo: input.pod.spec?.nodeName ?? null, evaluation, event };
}
