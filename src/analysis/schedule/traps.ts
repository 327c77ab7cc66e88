import type { V1Pod } from '@kubernetes/client-node';
import { formatAmount } from '../../parse/quantity.js';
import { antiAffinityKeys, selfAntiAffine } from './inter-pod-affinity.js';
import { requiredAffinityMatches } from './node-affinity-match.js';
import { nodeHeadroom } from './node-resources-fit.js';
import { podRequests } from './requests.js';
import { firstUntolerated } from './tolerations.js';
import type { NodeView } from './types.js';

/** Control-plane taints, current and pre-1.24. */
export const CONTROL_PLANE_TAINTS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

/** nodeSelector entries that no node carries at all. */
export function selectorLabelsNoNodeHas(pod: V1Pod, nodes: NodeView[]): string[] {
  return Object.entries(pod.spec?.nodeSelector ?? {})
    .filter(([k, v]) => !nodes.some((n) => n.labels[k] === v))
    .map(([k, v]) => {
      const seen = [...new Set(nodes.map((n) => n.labels[k]).filter((x): x is string => x !== undefined))].sort();
      return `${k}=${v}${seen.length ? ` (nodes have ${k}=${seen.slice(0, 5).join('|')})` : ` (no node has the label ${k})`}`;
    });
}

/** Whether the pod's required node affinity matches no node at all. */
export function affinityMatchesNoNode(pod: V1Pod, nodes: NodeView[]): boolean {
  if (!pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution) return false;
  return !nodes.some((n) => requiredAffinityMatches(pod, n.node));
}

/** Requested resources larger than every node's allocatable: `cpu: requests 16, largest node 8`. */
export function requestsLargerThanAnyNode(pod: V1Pod, nodes: NodeView[]): string[] {
  if (nodes.length === 0) return [];
  const out: string[] = [];
  const heads = nodes.map((n) => nodeHeadroom(n).allocatable);
  for (const [r, want] of podRequests(pod)) {
    if (want <= 0) continue;
    const biggest = Math.max(...heads.map((a) => a.get(r) ?? 0));
    if (want > biggest) out.push(`${r}: requests ${formatAmount(r, want)}, largest node allocatable ${formatAmount(r, biggest)}`);
  }
  return out;
}

/** Pods owned by the same controller (replicas), the pod included. */
export function siblings(pod: V1Pod, pods: V1Pod[]): V1Pod[] {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (!owner) return [pod];
  const same = pods.filter((p) => p.metadata?.namespace === pod.metadata?.namespace && p.metadata?.ownerReferences?.some((o) => (owner.uid ? o.uid === owner.uid : o.name === owner.name && o.kind === owner.kind)));
  return same.some((p) => p.metadata?.name === pod.metadata?.name) ? same : [...same, pod];
}

/**
 * Required anti-affinity that repels the pod's own replicas, with more replicas than topology
 * domains the pod may use (nodes it tolerates and whose affinity it matches): `{key, replicas, domains}`.
 */
export function antiAffinityOverflow(pod: V1Pod, pods: V1Pod[], nodes: NodeView[]): { key: string; replicas: number; domains: number } | null {
  if (!selfAntiAffine(pod)) return null;
  const replicas = siblings(pod, pods).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
  const usable = nodes.filter((n) => !n.node.spec?.unschedulable && !firstUntolerated(n.node.spec?.taints, pod.spec?.tolerations) && requiredAffinityMatches(pod, n.node));
  for (const key of antiAffinityKeys(pod)) {
    const domains = new Set(usable.map((n) => n.labels[key]).filter((v) => v !== undefined)).size;
    if (replicas > domains) return { key, replicas, domains };
  }
  return null;
}

/** Preferred terms and soft constraints: scoring only, shown as hints. */
export function preferenceHints(pod: V1Pod, nodes: NodeView[]): string[] {
  const out: string[] = [];
  const aff = pod.spec?.affinity;
  for (const p of aff?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    const hit = nodes.filter((n) => requiredAffinityMatches({ spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [p.preference] } } } } }, n.node));
    out.push(`preferred node affinity (weight ${p.weight}) matches ${hit.length ? hit.map((n) => n.name).slice(0, 5).join(', ') : 'no node'}`);
  }
  for (const p of aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) out.push(`preferred pod affinity (weight ${p.weight}) over ${p.podAffinityTerm.topologyKey}: scoring only`);
  for (const p of aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) out.push(`preferred pod anti-affinity (weight ${p.weight}) over ${p.podAffinityTerm.topologyKey}: scoring only`);
  for (const c of pod.spec?.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable === 'ScheduleAnyway') out.push(`soft spread over ${c.topologyKey} (maxSkew ${c.maxSkew}, ScheduleAnyway): scoring only`);
  }
  for (const t of pod.spec?.tolerations ?? []) {
    if (t.tolerationSeconds !== undefined && t.effect === 'NoExecute' && !['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].includes(t.key ?? '')) {
      out.push(`toleration ${t.key ?? '*'}:NoExecute for ${t.tolerationSeconds}s: allows scheduling, then eviction after ${t.tolerationSeconds}s`);
    }
  }
  return out;
}

/** Whether a pod waits on scheduling gates (the scheduler does not try it yet). */
export function gated(pod: V1Pod): boolean {
  return (pod.spec?.schedulingGates ?? []).length > 0;
}
