import type { V1Pod, V1TopologySpreadConstraint } from '@kubernetes/client-node';
import { requiredNodeAffinityMatches } from './node-affinity-match.js';
import { isEmpty, selectorOf, selects } from './pod-selector.js';
import type { PodSelector } from './pod-selector.js';
import { firstUntolerated } from './tolerations.js';
import type { FilterPlugin, NodeView } from './types.js';
import { fail } from './types.js';

const REASON = "node(s) didn't match pod topology spread constraints";

interface Constraint {
  raw: V1TopologySpreadConstraint;
  key: string;
  maxSkew: number;
  minDomains: number;
  selector: PodSelector;
  honorAffinity: boolean;
  honorTaints: boolean;
}

/** The pod's hard (DoNotSchedule) constraints with matchLabelKeys merged in (podtopologyspread/common.go). */
export function hardConstraints(pod: V1Pod): Constraint[] {
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === 'DoNotSchedule')
    .map((c) => {
      const extra: Record<string, string> = {};
      for (const k of c.matchLabelKeys ?? []) {
        const v = pod.metadata?.labels?.[k];
        if (v !== undefined) extra[k] = v;
      }
      return {
        raw: c,
        key: c.topologyKey,
        maxSkew: c.maxSkew,
        minDomains: c.minDomains ?? 1,
        selector: selectorOf(c.labelSelector, extra),
        honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      };
    });
}

/** Pods of the namespace on the node that the selector counts (terminating pods are not counted, #87621). */
function countOn(n: NodeView, sel: PodSelector, namespace: string): number {
  if (isEmpty(sel)) return 0;
  return n.pods.filter((p) => !p.metadata?.deletionTimestamp && (p.metadata?.namespace ?? 'default') === namespace && selects(sel, p.metadata?.labels)).length;
}

/**
 * PodTopologySpread: for each DoNotSchedule constraint, matching pods per domain over eligible
 * nodes (all topology keys present, inclusion policies), then `count(domain) + self − global min
 * > maxSkew` rejects; the global min is 0 while fewer than minDomains domains exist
 * (pkg/scheduler/framework/plugins/podtopologyspread/filtering.go).
 */
export const podTopologySpread: FilterPlugin = {
  name: 'PodTopologySpread',
  setup({ pod, nodes }) {
    const cs = hardConstraints(pod);
    if (cs.length === 0) return () => null;
    const ns = pod.metadata?.namespace ?? 'default';
    const counts = cs.map(() => new Map<string, number>());
    for (const n of nodes) {
      if (!cs.every((c) => c.key in n.labels)) continue;
      cs.forEach((c, i) => {
        if (c.honorAffinity && !requiredNodeAffinityMatches(pod, n.node)) return;
        if (c.honorTaints && firstUntolerated(n.node.spec?.taints, pod.spec?.tolerations)) return;
        const v = n.labels[c.key];
        counts[i].set(v, (counts[i].get(v) ?? 0) + countOn(n, c.selector, ns));
      });
    }
    return (n) => {
      for (const [i, c] of cs.entries()) {
        if (!(c.key in n.labels)) return fail(`${REASON} (missing required label)`, `node has no ${c.key} label`);
        const domains = counts[i];
        const min = domains.size < c.minDomains ? 0 : Math.min(...domains.values());
        const self = selects(c.selector, pod.metadata?.labels) ? 1 : 0;
        const here = domains.get(n.labels[c.key]) ?? 0;
        const skew = here + self - min;
        if (skew > c.maxSkew) {
          const why = domains.size < c.minDomains ? ` (only ${domains.size} of minDomains ${c.minDomains} domains, so the minimum counts as 0)` : '';
          return fail(REASON, `${c.key}=${n.labels[c.key]} has ${here} matching pods, minimum ${min}${why}: skew ${skew} > maxSkew ${c.maxSkew}`);
        }
      }
      return null;
    };
  },
};
