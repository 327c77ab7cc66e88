import type { V1Pod } from '@kubernetes/client-node';
import { CHECKS } from '../../checks/registry.js';
import type { Inputs } from '../../checks/types.js';
import { DataError, UsageError } from '../../errors.js';
import { gather, runGathered } from '../../report/engine.js';
import type { Finding } from '../../report/types.js';
import type { ClusterSource, Unavailable } from '../../source/types.js';
import { analyseStopStatic } from './static.js';
import type { StopStatic } from './static.js';

/** The STOP checks of the registry, in registry order. */
export const STOP_CHECKS = CHECKS.filter((c) => c.id.startsWith('STOP'));

/** Everything the static part of `stop` found about one pod. */
export interface StopGathered {
  pod: V1Pod;
  static: StopStatic;
  findings: Finding[];
  unavailable: Unavailable[];
}

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

/** Reads the pod, its namespace's Services and EndpointSlices (and Nodes when allowed), and runs the STOP checks on it. */
export async function gatherStop(source: ClusterSource, namespace: string | undefined, name: string, now: Date): Promise<StopGathered> {
  const pod = await findPod(source, namespace, name);
  const scope = { namespace: pod.metadata?.namespace ?? 'default', allNamespaces: false };
  const { inputs: listed, unavailable } = await gather(source, scope, ['services', 'endpointslices', 'nodes']);
  const inputs: Inputs = { ...listed, pods: [pod] };
  const { findings } = runGathered(STOP_CHECKS, inputs, unavailable, now);
  return {
    pod,
    static: analyseStopStatic(pod, inputs.services ?? [], inputs.endpointslices ?? []),
    findings,
    // Nodes only add evidence to STOP003 (stuck Terminating): not worth a line unless the pod is terminating.
    unavailable: [...unavailable.entries()]
      .filter(([k]) => k !== 'nodes' || pod.metadata?.deletionTimestamp)
      .map(([, u]) => u)
      .sort((a, b) => (a.input < b.input ? -1 : 1)),
  };
}
