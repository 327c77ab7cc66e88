import { nodeNotReady } from './node-not-ready.js';
import { plegFlapping } from './pleg-flapping.js';
import { plegKnownBad } from './pleg-known-bad.js';
import { plegPodDensity } from './pleg-pod-density.js';
import { plegRuntimeTimeouts } from './pleg-runtime-timeouts.js';
import { podCrashLoop } from './pod-crashloop.js';
import { podOomKilled } from './pod-oomkilled.js';
import type { Check } from './types.js';

/** Every check, in the order they run and are listed. Add new checks here (one line each). */
export const CHECKS: readonly Check[] = [
  podCrashLoop,
  podOomKilled,
  nodeNotReady,
  plegFlapping,
  plegRuntimeTimeouts,
  plegPodDensity,
  plegKnownBad,
];

/** A check by id, or undefined. */
export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id.toUpperCase());
}
