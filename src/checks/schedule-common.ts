import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { compareEvent, latestFailedScheduling } from '../analysis/schedule/event.js';
import { evaluate } from '../analysis/schedule/evaluate.js';
import type { FindingInput } from '../analysis/schedule/findings.js';
import { schedulerMinor } from '../analysis/schedule/index.js';
import { gated } from '../analysis/schedule/traps.js';
import type { NodeView } from '../analysis/schedule/types.js';

/** Pods the scheduler is still trying to place: Pending, no node, no scheduling gates, not deleting. */
export function waitingForScheduler(pods: V1Pod[]): V1Pod[] {
  return pods.filter((p) => p.status?.phase === 'Pending' && !p.spec?.nodeName && !gated(p) && !p.metadata?.deletionTimestamp && (p.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler');
}

/**
 * The evaluation a scheduling check needs for one pending pod, over node views built once per run
 * (a pending pod is on no node, so the views need not exclude it). Pods outside the scope are not
 * counted on nodes.
 */
export function scheduleInput(pod: V1Pod, views: NodeView[], nodes: V1Node[], pods: V1Pod[], events: CoreV1Event[] | undefined, now: Date): FindingInput {
  const evaluation = evaluate({ pod, nodes: views, minor: schedulerMinor(undefined, nodes) });
  const e = events ? latestFailedScheduling(pod, events) : undefined;
  return { pod, pods, nodes: views, evaluation, event: e ? compareEvent(e, evaluation, now) : null };
}
