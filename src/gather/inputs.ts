import type { Inputs } from '../checks/types.js';
import type { ResourceKind, Scope, Unavailable } from '../model/types.js';
import type { ClusterSource } from '../source/types.js';

/** Lists each resource once, in parallel, within the scope: what it got, and why the rest is missing. */
export async function gatherInputs(
  source: ClusterSource,
  scope: Scope,
  kinds: Iterable<ResourceKind>,
): Promise<{ inputs: Inputs; unavailable: Map<ResourceKind, Unavailable> }> {
  const inputs: Inputs = {};
  const unavailable = new Map<ResourceKind, Unavailable>();
  await Promise.all(
    [...new Set(kinds)].map(async (kind) => {
      const res = await source.list(kind, scope);
      if (res.ok) (inputs as Record<string, unknown>)[kind] = res.value;
      else unavailable.set(kind, res.unavailable);
    }),
  );
  return { inputs, unavailable };
}
