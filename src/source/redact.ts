import type { V1Container, V1Pod } from '@kubernetes/client-node';

/** What stands in place of an environment variable's value. */
export const REDACTED = '<redacted>';

function redactContainer(c: { env?: V1Container['env'] }): void {
  for (const e of c.env ?? []) if (e.value !== undefined) e.value = REDACTED;
}

/** Replaces every literal env value in a pod's containers (names and valueFrom references stay). */
export function redactPod(pod: V1Pod): V1Pod {
  for (const c of pod.spec?.containers ?? []) redactContainer(c);
  for (const c of pod.spec?.initContainers ?? []) redactContainer(c);
  for (const c of pod.spec?.ephemeralContainers ?? []) redactContainer(c);
  return pod;
}
