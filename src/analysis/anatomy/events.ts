import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { isoOf } from '../../k8s/pod.js';
import { scrubText } from '../../parse/secret-text.js';

/** The events about one pod (matched by uid when both have one, else by namespace and name). */
export function eventsOfPod(pod: V1Pod, events: CoreV1Event[]): CoreV1Event[] {
  const uid = pod.metadata?.uid;
  const ns = pod.metadata?.namespace ?? 'default';
  return events.filter((e) => {
    const o = e.involvedObject;
    if (o.kind !== 'Pod' || o.name !== pod.metadata?.name || (o.namespace ?? 'default') !== ns) return false;
    return !uid || !o.uid || o.uid === uid;
  });
}

/** Indexes events about pods by `namespace/name`, so each pod's events are found without a scan. */
export function podEventIndex(events: CoreV1Event[]): Map<string, CoreV1Event[]> {
  const by = new Map<string, CoreV1Event[]>();
  for (const e of events) {
    const o = e.involvedObject;
    if (o.kind !== 'Pod') continue;
    const key = `${o.namespace ?? 'default'}/${o.name}`;
    const list = by.get(key);
    if (list) list.push(e);
    else by.set(key, [e]);
  }
  return by;
}

/** The container an event is about, from `spec.containers{name}` / `spec.initContainers{name}`. */
export function eventContainer(e: CoreV1Event): string | null {
  const m = /\{(.+)\}$/.exec(e.involvedObject.fieldPath ?? '');
  return m ? m[1] : null;
}

/** When an event last happened, whichever field the API version filled. */
export function eventTime(e: CoreV1Event): string {
  return isoOf(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp);
}

/** How many times an event happened (old `count`, new `series.count`). */
export function eventCount(e: CoreV1Event): number {
  return e.series?.count ?? e.count ?? 1;
}

/** One line for evidence: `2026-... Warning Unhealthy (x12): Liveness probe failed: ...`, credential-looking parts redacted. */
export function eventLine(e: CoreV1Event): string {
  const n = eventCount(e);
  return `${eventTime(e)} ${e.type ?? 'Normal'} ${e.reason ?? ''}${n > 1 ? ` (x${n})` : ''}: ${scrubText(e.message ?? '')}`.trim();
}
