import { nodeViews } from '../analysis/schedule/evaluate.js';
import { unschedulableFinding } from '../analysis/schedule/findings.js';
import type { Finding } from '../report/types.js';
import { scheduleInput, waitingForScheduler } from './schedule-common.js';
import { defineCheck } from './types.js';

/** SCH001: Pending pods no node can take, node by node in the scheduler's terms. */
export const schUnschedulable = defineCheck({
  id: 'SCH001',
  title: 'Pod cannot be scheduled',
  severity: 'critical',
  description:
    "A Pending pod fails the scheduler's filters on every node; shows the 0/N summary podscope computes, which filter rejects which nodes and by how much, and whether the latest FailedScheduling event agrees.",
  needs: ['pods', 'nodes'],
  uses: ['events'],
  run({ inputs, now }) {
    const out: Finding[] = [];
    const waiting = waitingForScheduler(inputs.pods);
    if (waiting.length === 0) return out;
    const views = nodeViews(inputs.nodes, inputs.pods);
    for (const pod of waiting) {
      const f = unschedulableFinding(scheduleInput(pod, views, inputs.nodes, inputs.pods, inputs.events, now));
      if (f) out.push(f);
    }
    return out;
  },
});
