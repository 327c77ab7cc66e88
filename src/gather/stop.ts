import type { StopInputs } from '../report/findings.js';
import type { ClusterSource } from '../source/types.js';
import { LISTS } from './budget.js';
import { gatherInputs } from './inputs.js';
import { resolvePod } from './pod.js';
import type { PodRequest } from './pod.js';

/** Finds the pod (src/gather/pod.ts), then reads its namespace's Services and EndpointSlices (and Nodes when allowed). */
export async function gatherStop(source: ClusterSource, req: Omit<PodRequest, 'command'>): Promise<StopInputs> {
  const pod = await resolvePod(source, { ...req, command: 'stop' });
  const scope = { namespace: pod.metadata?.namespace ?? 'default', allNamespaces: false };
  const { inputs: listed, unavailable } = await gatherInputs(source, scope, LISTS.stop);
  return { pod, inputs: { ...listed, pods: [pod] }, unavailable };
}
