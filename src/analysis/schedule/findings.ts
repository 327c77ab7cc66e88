import type { V1Pod } from '@kubernetes/client-node';
import { podSubject } from '../../k8s/pod.js';
import type { Finding } from '../../report/types.js';
import type { EventComparison } from './event.js';
import { evaluate } from './evaluate.js';
import type { Evaluation, NodeVerdict } from './evaluate.js';
import { CONTROL_PLANE_TAINTS, affinityMatchesNoNode, antiAffinityOverflow, preferenceHints, requestsLargerThanAnyNode, selectorLabelsNoNodeHas } from './traps.js';
import { FILTERS } from './types.js';
import type { FilterName, NodeView } from './types.js';

/** What the finding builders read. */
export interface FindingInput {
  pod: V1Pod;
  pods: V1Pod[];
  nodes: NodeView[];
  evaluation: Evaluation;
  event: EventComparison | null;
}

const REMEDY: Record<string, string> = {
  NodeUnschedulable: 'Uncordon a node (kubectl uncordon NODE) or add capacity.',
  TaintToleration: 'Add a toleration for the taint to the pod, or schedule onto untainted nodes.',
  NodeAffinity: 'Fix the nodeSelector/required node affinity, or label a node to match.',
  NodePorts: 'Drop the hostPort or free it; only one pod per node can hold a hostPort.',
  NodeResourcesFit: 'Lower the requests, free capacity (scale down other workloads), or add nodes.',
  PodTopologySpread: 'Add nodes in the short domains, raise maxSkew, or use whenUnsatisfiable: ScheduleAnyway.',
  InterPodAffinity: 'Relax required (anti-)affinity to preferred, or add nodes/zones.',
};

function byReason(nodes: NodeVerdict[]): string[] {
  const groups = new Map<string, NodeVerdict[]>();
  for (const n of nodes.filter((v) => !v.fits)) {
    const k = n.reasons.join(', ');
    groups.set(k, [...(groups.get(k) ?? []), n]);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([reason, ns]) => {
      const names = ns.map((n) => n.name);
      const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? ` and ${names.length - 4} more` : '');
      const detail = ns[0].detail ? ` — ${ns[0].name}: ${ns[0].detail}` : '';
      return `${ns.length} × ${reason}: ${shown}${detail}`;
    });
}

/** The filter that rejects most non-control-plane nodes (ties: the later, more specific filter). */
function dominant(nodes: NodeVerdict[], skip: NodeVerdict[]): FilterName | undefined {
  const counts = new Map<FilterName, number>();
  for (const v of nodes) if (v.failedFilter && !skip.includes(v)) counts.set(v.failedFilter, (counts.get(v.failedFilter) ?? 0) + 1);
  if (counts.size === 0) for (const v of nodes) if (v.failedFilter) counts.set(v.failedFilter, (counts.get(v.failedFilter) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || FILTERS.indexOf(b[0]) - FILTERS.indexOf(a[0]))[0]?.[0];
}

/** SCH001: no node passes every filter. */
export function unschedulableFinding(x: FindingInput): Finding | null {
  const { pod, evaluation: ev } = x;
  if (ev.nodes.some((n) => n.fits) && !ev.preFilter) return null;
  const evidence = ev.preFilter ? [`PreFilter: ${ev.preFilter}`] : byReason(ev.nodes);
  const cp = x.nodes.filter((n) => (n.node.spec?.taints ?? []).some((t) => CONTROL_PLANE_TAINTS.includes(t.key)));
  const cpFailing = ev.nodes.filter((v) => v.failedFilter === 'TaintToleration' && cp.some((n) => n.name === v.name));
  if (cpFailing.length) evidence.push(`${cpFailing.length} of the failing nodes are control-plane nodes (taint ${CONTROL_PLANE_TAINTS[0]}): workloads are not meant to run there, look at why the worker nodes fail`);
  // Dedicated nodes (GPU pools...) the pod would fit if it tolerated their taint: the usual fix.
  const tolerant = { ...pod, spec: { ...pod.spec!, tolerations: [...(pod.spec?.tolerations ?? []), { operator: 'Exists' }] } };
  const retry = ev.preFilter ? [] : evaluate({ pod: tolerant, nodes: x.nodes, minor: null }).nodes;
  const tolerable = ev.nodes.filter((v) => v.failedFilter === 'TaintToleration' && !cpFailing.includes(v) && retry.find((r) => r.name === v.name)?.fits);
  for (const v of tolerable) evidence.push(`${v.name} would fit if the pod tolerated its taint (${v.detail ?? 'taint'})`);
  if (x.event && !x.event.agrees) evidence.push(`latest FailedScheduling event disagrees: ${x.event.why.join('; ')}`);
  return {
    checkId: 'SCH001',
    severity: 'critical',
    subject: podSubject(pod),
    message: `cannot be scheduled: ${ev.summary}`,
    evidence,
    remediation: tolerable.length ? `Add a toleration for the taint of ${tolerable.map((v) => v.name).join(', ')} if the pod belongs there; otherwise: ${REMEDY[dominant(ev.nodes, cpFailing) ?? 'NodeResourcesFit']}` : (REMEDY[dominant(ev.nodes, cpFailing) ?? ''] ?? 'Add nodes: the cluster has none the pod could use.'),
  };
}

/** SCH002: nodeSelector labels or required node affinity that no node has. */
export function selectorNoNodeFinding(x: FindingInput): Finding | null {
  const missing = selectorLabelsNoNodeHas(x.pod, x.nodes);
  const affinity = affinityMatchesNoNode(x.pod, x.nodes);
  if (!missing.length && !affinity) return null;
  const evidence = missing.map((m) => `nodeSelector ${m}`);
  if (affinity) evidence.push('no node matches any required node affinity term');
  return {
    checkId: 'SCH002',
    severity: 'critical',
    subject: podSubject(x.pod),
    message: `${missing.length ? 'nodeSelector' : 'required node affinity'} matches no node of ${x.nodes.length}`,
    evidence,
    remediation: 'Fix the label in the pod spec (typos and old label names such as beta.kubernetes.io/* are common) or label the nodes meant for it.',
  };
}

/** SCH003: required anti-affinity between replicas with more replicas than domains. */
export function antiAffinityFinding(x: FindingInput, pending: boolean): Finding | null {
  const o = antiAffinityOverflow(x.pod, x.pods, x.nodes);
  if (!o) return null;
  return {
    checkId: 'SCH003',
    severity: pending ? 'critical' : 'warning',
    subject: podSubject(x.pod),
    message: `required anti-affinity over ${o.key} needs ${o.replicas} domains for ${o.replicas} replicas, the cluster has ${o.domains}`,
    evidence: [`${o.replicas} replicas repel each other; ${o.domains} usable ${o.key} value(s)`],
    remediation: `Use preferredDuringScheduling anti-affinity or a topologySpreadConstraint, or add ${o.key} domains.`,
  };
}

/** SCH004: requests larger than any node's allocatable. */
export function requestsTooLargeFinding(x: FindingInput): Finding | null {
  const over = requestsLargerThanAnyNode(x.pod, x.nodes);
  if (!over.length) return null;
  return {
    checkId: 'SCH004',
    severity: 'critical',
    subject: podSubject(x.pod),
    message: 'requests more than any node can offer',
    evidence: over,
    remediation: 'Lower the requests (units: 500m cpu, 512Mi memory) or add a larger node pool.',
  };
}

/** Inputs of filters podscope does not model (volume plugins, DynamicResources, other schedulers). */
export function unmodelledInputs(pod: V1Pod): string[] {
  const out: string[] = [];
  const pvcs = (pod.spec?.volumes ?? []).filter((v) => v.persistentVolumeClaim || v.ephemeral).map((v) => v.persistentVolumeClaim?.claimName ?? `${v.name} (ephemeral)`);
  if (pvcs.length) out.push(`persistent volumes (${pvcs.join(', ')}): VolumeBinding, VolumeZone, VolumeRestrictions and NodeVolumeLimits are not evaluated`);
  if ((pod.spec?.resourceClaims ?? []).length) out.push(`resource claims (${pod.spec!.resourceClaims!.map((c) => c.name).join(', ')}): DynamicResources (DRA) is not evaluated`);
  const scheduler = pod.spec?.schedulerName;
  if (scheduler && scheduler !== 'default-scheduler') out.push(`schedulerName ${scheduler}: another scheduler places this pod; its plugins and profile may differ`);
  return out;
}

/** Findings the schedule command adds for one pod: checks' findings, nodeName bypass, event disagreement, hints. */
export function commandFindings(x: FindingInput): Finding[] {
  const out: Finding[] = [];
  const pod = x.pod;
  const bound = pod.spec?.nodeName;
  if (bound && pod.status?.phase === 'Pending' && !pod.status.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'True')) {
    const exists = x.nodes.some((n) => n.name === bound);
    out.push({ checkId: 'SCH005', severity: exists ? 'warning' : 'critical', subject: podSubject(pod), message: `spec.nodeName is set to ${bound}: the scheduler never sees this pod${exists ? '' : ', and that node does not exist'}`, evidence: ['the kubelet of that node admits or rejects it directly; taints, resources and affinity are not checked by the scheduler'], remediation: 'Remove spec.nodeName and use a nodeSelector or node affinity instead.' });
  }
  for (const f of [unschedulableFinding(x), selectorNoNodeFinding(x), antiAffinityFinding(x, !x.evaluation.nodes.some((n) => n.fits)), requestsTooLargeFinding(x)]) if (f) out.push(f);
  if (x.event && !x.event.agrees && !out.some((f) => f.checkId === 'SCH001')) {
    out.push({ checkId: 'SCH001', severity: 'info', subject: podSubject(pod), message: 'the latest FailedScheduling event disagrees with podscope', evidence: x.event.why });
  }
  const unmodelled = unmodelledInputs(pod);
  if (unmodelled.length) out.push({ checkId: 'SCH007', severity: 'info', subject: podSubject(pod), message: 'filters podscope does not model also apply to this pod', evidence: unmodelled, remediation: 'If podscope finds a node that fits but the pod stays Pending, read the FailedScheduling event for the volume or DRA reason.' });
  const hints = preferenceHints(pod, x.nodes);
  if (hints.length) out.push({ checkId: 'SCH006', severity: 'info', subject: podSubject(pod), message: 'preferences (scoring only, never the reason a pod is Pending)', evidence: hints });
  return out;
}
