import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { Subject } from '../report/types.js';

/** `namespace/name` of a pod, for messages. */
export function podRef(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? '?'}`;
}

/** The finding subject for a pod (or one of its containers). */
export function podSubject(pod: V1Pod, container?: string): Subject {
  const s: Subject = { kind: 'Pod', namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '?' };
  if (pod.spec?.nodeName) s.node = pod.spec.nodeName;
  if (container) s.container = container;
  return s;
}

/** Every container status of a pod: init containers first, then app containers. */
export function allContainerStatuses(pod: V1Pod): { status: V1ContainerStatus; init: boolean }[] {
  return [
    ...(pod.status?.initContainerStatuses ?? []).map((status) => ({ status, init: true })),
    ...(pod.status?.containerStatuses ?? []).map((status) => ({ status, init: false })),
  ];
}

/** A timestamp field as a Date (client-node types say Date; JSON from files gives strings). */
export function toDate(t: Date | string | undefined | null): Date | undefined {
  if (t === undefined || t === null) return undefined;
  const d = t instanceof Date ? t : new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** An ISO timestamp for evidence lines, or `?`. */
export function isoOf(t: Date | string | undefined | null): string {
  return toDate(t)?.toISOString() ?? '?';
}
