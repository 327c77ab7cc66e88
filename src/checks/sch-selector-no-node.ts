import { nodeViews } from '../analysis/schedule/evaluate.js';
import { selectorNoNodeFinding } from '../analysis/schedule/findings.js';
import type { Finding } from '../report/types.js';
import { waitingForScheduler } from './schedule-common.js';
import { defineCheck } from './types.js';

/** SCH002: nodeSelector or required node affinity that no node in the cluster matches. */
export const schSelectorNoNode = defineCheck({
  id: 'SCH002',
  title: 'Node selector matches no node',
  severity: 'critical',
  description: 'A Pending pod asks (nodeSelector or required node affinity) for labels no node has: it can never schedule until the pod or a node changes.',
  needs: ['pods', 'nodes'],
  run({ inputs }) {
    const out: Finding[] = [];
    const views = nodeViews(inputs.nodes, []);
    for (const pod of waitingForScheduler(inputs.pods)) {
      const f = selectorNoNodeFinding({ pod, pods: inputs.pods, nodes: views, evaluation: { nodes: [], preFilter: null, summary: '', counts: {} }, event: null });
      if (f) out.push(f);
    }
    return out;
  },
});
