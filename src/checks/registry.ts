import { nodeNotReady } from './node-not-ready.js';
import { podCrashLoop } from './pod-crashloop.js';
import { podOomKilled } from './pod-oomkilled.js';
import { schAntiAffinity } from './sch-anti-affinity.js';
import { schRequestsTooLarge } from './sch-requests-too-large.js';
import { schSelectorNoNode } from './sch-selector-no-node.js';
import { schUnschedulable } from './sch-unschedulable.js';
import type { Check } from './types.js';

/** Every check, in the order they run and are listed. Add new checks here (one line each). */
export const CHECKS: readonly Check[] = [podCrashLoop, podOomKilled, nodeNotReady, schUnschedulable, schSelectorNoNode, schAntiAffinity, schRequestsTooLarge];

/** A check by id, or undefined. */
export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id.toUpperCase());
}
