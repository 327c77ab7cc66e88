import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { CHECKS } from '../../checks/registry.js';
import type { Inputs } from '../../checks/types.js';
import { runGathered } from '../../report/engine.js';
import type { Finding } from '../../report/types.js';
import type { ResourceKind, Unavailable } from '../../source/types.js';
import { eventsOfPod } from './events.js';
import { podNamespaces } from './namespaces.js';
import { placeContainers } from './roles.js';
import type { AnatomyResult } from './types.js';
import { podVolumes } from './volumes.js';

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
  const applicable = CHECKS.filter((c) => c.needs.every((n) => n === 'pods' || n === 'events'));
  const unavailable = new Map<ResourceKind, Unavailable>();
  return runGathered(applicable, inputs, unavailable, input.now).findings;
}

/** The pod's anatomy (DESIGN.md §3 "Pod anatomy result"): namespaces, containers in start order, volumes, findings. */
export function inspectPod(input: InspectInput): AnatomyResult {
  const { pod } = input;
  const placed = placeContainers(pod);
  return {
    schemaVersion: 1,
    pod: { namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '?' },
    namespaces: podNamespaces(pod),
    containers: placed.map((p) => p.view),
    volumes: podVolumes(pod, placed),
    findings: podFindings(input),
  };
}
