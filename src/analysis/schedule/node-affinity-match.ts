import type { V1Node, V1NodeSelectorRequirement, V1NodeSelectorTerm, V1Pod } from '@kubernetes/client-node';

/** One requirement against a label map (k8s.io/apimachinery pkg/labels/selector.go, with Gt/Lt as int64). */
export function requirementMatches(r: V1NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, r.key);
  const v = values[r.key];
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && vals.includes(v);
    case 'NotIn':
      return !has || !vals.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || vals.length !== 1 || !/^-?\d+$/.test(v) || !/^-?\d+$/.test(vals[0])) return false;
      return r.operator === 'Gt' ? BigInt(v) > BigInt(vals[0]) : BigInt(v) < BigInt(vals[0]);
    }
    default:
      return false;
  }
}

/**
 * Whether a node selector term matches: matchExpressions on labels AND matchFields on
 * `metadata.name`; an empty term matches nothing
 * (k8s.io/component-helpers scheduling/corev1/nodeaffinity/nodeaffinity.go).
 */
export function termMatches(term: V1NodeSelectorTerm, node: V1Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, labels))) return false;
  const nodeFields = { 'metadata.name': node.metadata?.name ?? '' };
  // Only metadata.name is a valid field; any other key fails to parse and the term is skipped.
  if (!fields.every((r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && (r.values ?? []).length === 1 && requirementMatches(r, nodeFields))) return false;
  return true;
}

/** Whether the pod's nodeSelector matches the node's labels. */
export function nodeSelectorMatches(pod: V1Pod, node: V1Node): boolean {
  const labels = node.metadata?.labels ?? {};
  return Object.entries(pod.spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Whether the pod's required node affinity (terms ORed) matches; true when it has none. */
export function requiredAffinityMatches(pod: V1Pod, node: V1Node): boolean {
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!req) return true;
  return (req.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

/** nodeSelector AND required node affinity (`GetRequiredNodeAffinity(pod).Match(node)`). */
export function requiredNodeAffinityMatches(pod: V1Pod, node: V1Node): boolean {
  return nodeSelectorMatches(pod, node) && requiredAffinityMatches(pod, node);
}
