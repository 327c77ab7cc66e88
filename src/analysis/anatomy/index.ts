import type { V1Pod } from '@kubernetes/client-node';
import { podNamespaces } from './namespaces.js';
import { placeContainers } from './roles.js';
import type { AnatomyResult } from './types.js';
import { podVolumes } from './volumes.js';
import { INSPECT_SCHEMA } from '../../schemas.js';

/**
 * The pod's anatomy (DESIGN.md §3 "Pod anatomy result"): namespaces, containers in start order,
 * volumes. The findings are the pod checks' (src/report/findings.ts inspectPod adds them).
 */
export function podAnatomy(pod: V1Pod): Omit<AnatomyResult, 'findings'> {
  const placed = placeContainers(pod);
  return {
    $schema: INSPECT_SCHEMA,
    schemaVersion: 1,
    pod: { namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '?' },
    namespaces: podNamespaces(pod),
    containers: placed.map((p) => p.view),
    volumes: podVolumes(pod, placed),
  };
}
