import { nodeViews } from '../analysis/schedule/evaluate.js';
import { requestsTooLargeFinding } from '../analysis/schedule/findings.js';
import type { Finding } from '../report/types.js';
import { waitingForScheduler } from './schedule-common.js';
import { defineCheck } from './types.js';

/** SCH004: a pod requests more of a resource than any node's allocatable. */
export const schRequestsTooLarge = defineCheck({
  id: 'SCH004',
  title: "Requests exceed every node's allocatable",
  severity: 'critical',
  description: 'A Pending pod requests more cpu, memory or an extended resource than the largest node can ever offer (often a unit slip such as 2000 instead of 2000m).',
  needs: ['pods', 'nodes'],
  run({ inputs }) {
    const out: Finding[] = [];
    const views = nodeViews(inputs.nodes, []);
    for (const pod of waitingForScheduler(inputs.pods)) {
      const f = requestsTooLargeFinding({ pod, pods: [], nodes: views, evaluation: { nodes: [], preFilter: null, summary: '', counts: {} }, event: null });
      if (f) out.push(f);
    }
    return out;
  },
});
