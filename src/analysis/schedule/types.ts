import type { V1Node, V1Pod } from '@kubernetes/client-node';

/** The scheduler's filter plugins podscope models, in the default order (pkg/scheduler/apis/config/v1/default_plugins.go). */
export const FILTERS = [
  'NodeUnschedulable',
  'NodeName',
  'TaintToleration',
  'NodeAffinity',
  'NodePorts',
  'NodeResourcesFit',
  'PodTopologySpread',
  'InterPodAffinity',
] as const;

/** A filter plugin's name. */
export type FilterName = (typeof FILTERS)[number];

/** A node with the pods the scheduler counts on it (bound there, not terminated). */
export interface NodeView {
  name: string;
  node: V1Node;
  labels: Record<string, string>;
  pods: V1Pod[];
}

/** Everything the filters read: the pod, every node, the scheduler version's wording. */
export interface ClusterView {
  pod: V1Pod;
  nodes: NodeView[];
  /** Minor version of the control plane (36 for v1.36.3), or null when unknown (newest wording). */
  minor: number | null;
}

/** Why a node fails a filter: the scheduler's reason strings (several for resources) and podscope's detail. */
export interface Failure {
  reasons: string[];
  detail: string | null;
}

/** A filter after its PreFilter step: a per-node check (null = passes). */
export type NodeFilter = (node: NodeView) => Failure | null;

/** A filter plugin as podscope models it: PreFilter over the whole cluster, then Filter per node. */
export interface FilterPlugin {
  name: FilterName;
  setup(view: ClusterView): NodeFilter;
}

/** Shorthand for one reason. */
export function fail(reason: string, detail: string | null = null): Failure {
  return { reasons: [reason], detail };
}
