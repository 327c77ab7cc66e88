import { nodeSelectorMatches, requiredAffinityMatches } from './node-affinity-match.js';
import type { FilterPlugin } from './types.js';
import { fail } from './types.js';

/** The NodeAffinity reason (1.20+; older schedulers said "node(s) didn't match node selector"). */
export const NODE_AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector";

/**
 * The node names a pod's required terms pin it to through `matchFields metadata.name In`, or null
 * when some term does not pin (NodeAffinity PreFilter, node_affinity.go): nodes outside the set are
 * never filtered and the FitError counts them as "didn't satisfy plugin(s) [NodeAffinity]".
 */
export function pinnedNodeNames(terms: { matchFields?: { key: string; operator: string; values?: string[] }[] }[]): Set<string> | null {
  if (terms.length === 0) return null;
  let union: Set<string> | null = null;
  for (const t of terms) {
    const sets = (t.matchFields ?? []).filter((r) => r.key === 'metadata.name' && r.operator === 'In').map((r) => new Set<string>(r.values ?? []));
    const names = sets.length === 0 ? null : sets.reduce((acc, s) => new Set([...acc].filter((x) => s.has(x))));
    if (names === null) return null;
    union = new Set([...(union ?? []), ...names]);
  }
  return union;
}

/** NodeAffinity: nodeSelector and required node affinity (pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go). */
export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  setup({ pod }) {
    const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    const pinned = pinnedNodeNames(terms);
    return (n) => {
      if (pinned && !pinned.has(n.name)) return fail("node(s) didn't satisfy plugin(s) [NodeAffinity]", `required affinity pins the pod to ${[...pinned].sort().join(', ') || 'no node'}`);
      if (!nodeSelectorMatches(pod, n.node)) {
        const miss = Object.entries(pod.spec?.nodeSelector ?? {}).filter(([k, v]) => n.labels[k] !== v);
        return fail(NODE_AFFINITY_REASON, `nodeSelector ${miss.map(([k, v]) => `${k}=${v}`).join(', ')} not on node${miss.length > 1 ? '' : ''}`);
      }
      if (!requiredAffinityMatches(pod, n.node)) return fail(NODE_AFFINITY_REASON, 'no required node affinity term matches the node');
      return null;
    };
  },
};
