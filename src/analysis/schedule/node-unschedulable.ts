import { toleratedBy } from './tolerations.js';
import type { FilterPlugin } from './types.js';
import { fail } from './types.js';

/**
 * NodeUnschedulable: a cordoned node (`spec.unschedulable`) rejects pods unless they tolerate
 * `node.kubernetes.io/unschedulable:NoSchedule`
 * (pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go).
 */
export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  setup({ pod }) {
    const tolerant = toleratedBy(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    return (n) => (n.node.spec?.unschedulable && !tolerant ? fail('node(s) were unschedulable', 'node is cordoned (spec.unschedulable: true)') : null);
  },
};
