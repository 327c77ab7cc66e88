import type { V1Pod } from '@kubernetes/client-node';
import { DataError, UsageError } from '../errors.js';
import type { StopInputs } from '../report/findings.js';
import type { ClusterSource } from '../source/types.js';
import { LISTS } from './budget.js';
import { gatherInputs } from './inputs.js';

/** Finds the pod: in the namespace given, or offline in whichever namespace holds the only pod of that name. */
async function findPod(source: ClusterSource, namespace: string | undefined, name: string): Promise<V1Pod> {
  if (namespace !== undefined) {
    const got = await source.getPod(namespace, name);
    if (!got.ok) throw new DataError(got.unavailable.reason, got.unavailable.fix);
    return got.value;
  }
  const all = await source.list('pods', { allNamespaces: true });
  if (!all.ok) throw new DataError(all.unavailable.reason, all.unavailable.fix);
  const found = all.value.filter((p) => p.metadata?.name === name);
  if (found.length === 0) throw new DataError(`pod "${name}" not found`, 'check the name, or pass -n NAMESPACE');
  if (found.length > 1) {
    throw new UsageError(`${found.length} pods are named "${name}"`, `pick one with -n (${found.map((p) => p.metadata?.namespace).join(', ')})`);
  }
  return found[0] as V1Pod;
}

/** Reads the pod, then its namespace's Services and EndpointSlices (and Nodes when allowed). */
export async function gatherStop(source: ClusterSource, namespace: string | undefined, name: string): Promise<StopInputs> {
  const pod = await findPod(source, namespace, name);
  const scope = { namespace: pod.metadata?.namespace ?? 'default', allNamespaces: false };
  const { inputs: listed, unavailable } = await gatherInputs(source, scope, LISTS.stop);
  return { pod, inputs: { ...listed, pods: [pod] }, unavailable };
}
