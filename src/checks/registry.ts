import { nodeNotReady } from './node-not-ready.js';
import { plegFlapping } from './pleg-flapping.js';
import { plegKnownBad } from './pleg-known-bad.js';
import { plegPodDensity } from './pleg-pod-density.js';
import { plegRuntimeTimeouts } from './pleg-runtime-timeouts.js';
import { podCrashLoop } from './pod-crashloop.js';
import { podJobClassicSidecar } from './pod-job-classic-sidecar.js';
import { podLivenessRestarts } from './pod-liveness-restarts.js';
import { podNativeSidecarProbe } from './pod-native-sidecar-probe.js';
import { podOomKilled } from './pod-oomkilled.js';
import { podPortCollision } from './pod-port-collision.js';
import { podSidecarStartupRace } from './pod-sidecar-startup-race.js';
import { schAntiAffinity } from './sch-anti-affinity.js';
import { schRequestsTooLarge } from './sch-requests-too-large.js';
import { schSelectorNoNode } from './sch-selector-no-node.js';
import { schUnschedulable } from './sch-unschedulable.js';
import { stopNoPreStop } from './stop-no-prestop.js';
import { stopPreStopGrace } from './stop-prestop-grace.js';
import { stopProxySidecar } from './stop-proxy-sidecar.js';
import { stopPublishNotReady } from './stop-publish-not-ready.js';
import { stopStuckTerminating } from './stop-stuck-terminating.js';
import type { Check } from './types.js';

/** Every check, in the order they run and are listed. Add new checks here (one line each). */
export const CHECKS: readonly Check[] = [
  podCrashLoop,
  podOomKilled,
  podPortCollision,
  podSidecarStartupRace,
  podJobClassicSidecar,
  podNativeSidecarProbe,
  podLivenessRestarts,
  nodeNotReady,
  plegFlapping,
  plegRuntimeTimeouts,
  plegPodDensity,
  plegKnownBad,
  schUnschedulable,
  schSelectorNoNode,
  schAntiAffinity,
  schRequestsTooLarge,
  stopNoPreStop,
  stopPreStopGrace,
  stopStuckTerminating,
  stopProxySidecar,
  stopPublishNotReady,
];

/** A check by id, or undefined. */
export function findCheck(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id.toUpperCase());
}
