import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { interPodAffinity } from './inter-pod-affinity.js';
import { nodeAffinity, pinnedNodeNames } from './node-affinity.js';
import { nodeName } from './node-name.js';
import { nodePorts } from './node-ports.js';
import { nodeResourcesFit } from './node-resources-fit.js';
import { nodeUnschedulable } from './node-unschedulable.js';
import { podTopologySpread } from './pod-topology-spread.js';
import { podKey } from './pod-selector.js';
import { taintToleration } from './taint-toleration.js';
import type { ClusterView, FilterName, FilterPlugin, NodeView } from './types.js';

/** The filter plugins in the scheduler's default order. */
export const PLUGINS: readonly FilterPlugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  podTopologySpread,
  interPodAffinity,
];

/** One node's verdict: the first failing filter and its reasons, or fits. */
export interface NodeVerdict {
  name: string;
  fits: boolean;
  failedFilter: FilterName | null;
  reasons: string[];
  detail: string | null;
}

/** The verdict over the cluster. */
export interface Evaluation {
  nodes: NodeVerdict[];
  /** A PreFilter rejection that applies to every node, or null. */
  preFilter: string | null;
  /** `N/M nodes are available: ...` in the scheduler's format. */
  summary: string;
  /** Count per reason, as the scheduler's histogram would have them. */
  counts: Record<string, number>;
}

/** Pods the scheduler counts on nodes: bound, not Succeeded/Failed (its informer filters those out), not the pod itself. */
export function nodeViews(nodes: V1Node[], pods: V1Pod[], self?: V1Pod): NodeView[] {
  const skip = self ? podKey(self) : undefined;
  const byNode = new Map<string, V1Pod[]>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (!n || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' || podKey(p) === skip) continue;
    const list = byNode.get(n) ?? [];
    list.push(p);
    byNode.set(n, list);
  }
  return nodes
    .map((node) => {
      const name = node.metadata?.name ?? '?';
      return { name, node, labels: node.metadata?.labels ?? {}, pods: byNode.get(name) ?? [] };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The scheduler's histogram: "count reason" strings sorted as strings (framework/types.go FitError.Error). */
export function histogram(counts: Record<string, number>): string[] {
  return Object.entries(counts)
    .map(([r, n]) => `${n} ${r}`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Runs every filter on every node, stopping at each node's first failure, and builds the summary line. */
export function evaluate(view: ClusterView): Evaluation {
  const terms = view.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const pinned = pinnedNodeNames(terms);
  const total = view.nodes.length;
  if (pinned && pinned.size === 0) {
    // NodeAffinity PreFilter: every term pins metadata.name and no name survives the intersection.
    const preFilter = 'pod affinity terms conflict';
    const nodes = view.nodes.map((n) => ({ name: n.name, fits: false, failedFilter: 'NodeAffinity' as const, reasons: [preFilter], detail: 'required node affinity pins the pod to no node' }));
    return { nodes, preFilter, summary: `0/${total} nodes are available: ${preFilter}.`, counts: {} };
  }
  const filters = PLUGINS.map((p) => ({ name: p.name, check: p.setup(view) }));
  const nodes: NodeVerdict[] = view.nodes.map((n) => {
    for (const f of filters) {
      const failure = f.check(n);
      if (failure) return { name: n.name, fits: false, failedFilter: f.name, reasons: failure.reasons, detail: failure.detail };
    }
    return { name: n.name, fits: true, failedFilter: null, reasons: [], detail: null };
  });
  const counts: Record<string, number> = {};
  for (const v of nodes) for (const r of v.reasons) counts[r] = (counts[r] ?? 0) + 1;
  const fitting = nodes.filter((v) => v.fits).length;
  const hist = histogram(counts);
  const summary = `${fitting}/${total} nodes are available${hist.length ? `: ${hist.join(', ')}.` : '.'}`;
  return { nodes, preFilter: null, summary, counts };
}
