import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { eventsOfPod } from '../analysis/anatomy/events.js';
import { podAnatomy } from '../analysis/anatomy/index.js';
import type { AnatomyResult } from '../analysis/anatomy/types.js';
import { analyseStopStatic } from '../analysis/stop/static.js';
import type { StopStatic } from '../analysis/stop/static.js';
import { CHECKS } from '../checks/registry.js';
import type { Inputs } from '../checks/types.js';
import type { ResourceKind, Unavailable } from '../model/types.js';
import { runGathered } from './engine.js';
import type { Finding } from './types.js';

/**
 * The checks each single-pod command runs on its analysis. Analysis never imports the registry:
 * findings flow one way, checks → report → commands.
 */

/** The STOP checks of the registry, in registry order. */
export const STOP_CHECKS = CHECKS.filter((c) => c.id.startsWith('STOP'));

/** Checks that read only pods (and events): the ones that apply to `inspect`. */
export const POD_ONLY_CHECKS = CHECKS.filter((c) => c.needs.every((n) => n === 'pods' || n === 'events'));

/** What inspecting one pod needs: the pod, its events when the source has them, and the clock. */
export interface InspectInput {
  pod: V1Pod;
  /** Events of the pod's namespace (filtered to the pod here), or undefined when unavailable. */
  events?: CoreV1Event[];
  now: Date;
}

/**
 * The findings of every registered check that reads only pods (and events) for this one pod;
 * checks that need other inputs (nodes) do not apply to `inspect`.
 */
export function podFindings(input: InspectInput): Finding[] {
  const inputs: Inputs = { pods: [input.pod] };
  if (input.events) inputs.events = eventsOfPod(input.pod, input.events);
  const unavailable = new Map<ResourceKind, Unavailable>();
  return runGathered(POD_ONLY_CHECKS, inputs, unavailable, input.now).findings;
}

/** The pod's anatomy with the findings of the pod checks (what `podscope inspect` returns). */
export function inspectPod(input: InspectInput): AnatomyResult {
  return { ...podAnatomy(input.pod), findings: podFindings(input) };
}

/** The STOP findings for one pod, from the Services, EndpointSlices (and Nodes) gathered for it. */
export function stopFindings(inputs: Inputs, unavailable: Map<ResourceKind, Unavailable>, now: Date): Finding[] {
  return runGathered(STOP_CHECKS, inputs, unavailable, now).findings;
}

/** What gather got for `stop`: the pod and its namespace's Services, EndpointSlices (and Nodes). */
export interface StopInputs {
  pod: V1Pod;
  inputs: Inputs;
  unavailable: Map<ResourceKind, Unavailable>;
}

/** Everything the static part of `stop` found about one pod. */
export interface StopGathered {
  pod: V1Pod;
  static: StopStatic;
  findings: Finding[];
  unavailable: Unavailable[];
}

/** The static stop view of the pod and the STOP findings on it. */
export function analyseStop(g: StopInputs, now: Date): StopGathered {
  const { pod, inputs, unavailable } = g;
  return {
    pod,
    static: analyseStopStatic(pod, inputs.services ?? [], inputs.endpointslices ?? []),
    findings: stopFindings(inputs, unavailable, now),
    // Nodes only add evidence to STOP003 (stuck Terminating): not worth a line unless the pod is terminating.
    unavailable: [...unavailable.entries()]
      .filter(([k]) => k !== 'nodes' || pod.metadata?.deletionTimestamp)
      .map(([, u]) => u)
      .sort((a, b) => (a.input < b.input ? -1 : 1)),
  };
}
