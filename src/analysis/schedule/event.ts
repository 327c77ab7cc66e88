import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { toDate } from '../../k8s/pod.js';
import { keyedCounts, parseFailedScheduling } from '../../parse/failed-scheduling.js';
import type { FailedScheduling } from '../../parse/failed-scheduling.js';
import type { Evaluation } from './evaluate.js';

/** When an event last happened. Events written through events.k8s.io/v1 have null first/lastTimestamp in the core/v1 view. */
export function eventTime(e: CoreV1Event): Date | undefined {
  return (
    toDate(e.series?.lastObservedTime as Date | string | undefined) ??
    toDate(e.lastTimestamp) ??
    toDate(e.eventTime as Date | string | undefined) ??
    toDate(e.firstTimestamp) ??
    toDate(e.metadata?.creationTimestamp)
  );
}

/** The pod's most recent FailedScheduling event, or undefined. */
export function latestFailedScheduling(pod: V1Pod, events: CoreV1Event[]): CoreV1Event | undefined {
  const uid = pod.metadata?.uid;
  const mine = events.filter(
    (e) =>
      e.reason === 'FailedScheduling' &&
      e.involvedObject?.kind === 'Pod' &&
      e.involvedObject.name === pod.metadata?.name &&
      (e.involvedObject.namespace ?? e.metadata?.namespace) === pod.metadata?.namespace &&
      (!uid || !e.involvedObject.uid || e.involvedObject.uid === uid),
  );
  return mine.sort((a, b) => (eventTime(b)?.getTime() ?? 0) - (eventTime(a)?.getTime() ?? 0))[0];
}

/** The event as podscope reads it, and whether it agrees with podscope's own verdict. */
export interface EventComparison {
  message: string;
  counts: Record<string, number>;
  agrees: boolean;
  /** Plain reasons for a disagreement (empty when they agree). */
  why: string[];
  at: Date | undefined;
  parsed: FailedScheduling | null;
}

/** Events older than this are called stale when they disagree. */
const STALE_MS = 10 * 60_000;

/** Compares the event's counts with podscope's, key by version-independent key (parse/failed-scheduling.ts reasonKey). */
export function compareEvent(e: CoreV1Event, ev: Evaluation, now: Date): EventComparison {
  const message = (e.message ?? '').trim();
  const parsed = parseFailedScheduling(message);
  const at = eventTime(e);
  if (!parsed) {
    return { message, counts: {}, agrees: false, why: ['the event is not a "nodes are available" message podscope can compare (binding or plugin error?)'], at, parsed };
  }
  const why: string[] = [];
  const total = ev.nodes.length;
  if (parsed.main.total !== null && parsed.main.total !== total) why.push(`the event saw ${parsed.main.total} nodes, there are ${total} now: nodes were added or removed since`);
  if (parsed.main.preFilter !== null && parsed.main.preFilter !== ev.preFilter) {
    why.push(`the event is a PreFilter rejection ("${parsed.main.preFilter}") from a plugin podscope does not model (volumes, DRA, ...)`);
  }
  const theirs = keyedCounts(parsed.main.counts);
  const ours = keyedCounts(ev.counts);
  const unmodelled = Object.keys(theirs).filter((k) => k.startsWith('other:'));
  for (const k of unmodelled) why.push(`the event counts "${k.slice(6)}", a filter podscope does not model (volumes, DRA, ...)`);
  const diffs = [...new Set([...Object.keys(theirs), ...Object.keys(ours)])]
    .filter((k) => !k.startsWith('other:') && (theirs[k] ?? 0) !== (ours[k] ?? 0))
    .sort()
    .map((k) => `${k}: event ${theirs[k] ?? 0}, podscope ${ours[k] ?? 0}`);
  if (diffs.length) {
    const age = at ? now.getTime() - at.getTime() : undefined;
    const when = age === undefined ? 'the event has no time' : `the event is ${Math.round(age / 60_000)} min old`;
    const cause = age !== undefined && age > STALE_MS ? 'stale event: the cluster changed since' : 'the cluster state changed since the event, or a filter is modelled differently';
    why.push(`${cause} (${when}): ${diffs.join('; ')}`);
  }
  const fits = ev.nodes.some((n) => n.fits);
  if (fits && why.length === 0) why.push('podscope finds a node that fits now: the event predates a change (or the pod is about to be scheduled)');
  return { message, counts: parsed.main.counts, agrees: why.length === 0, why, at, parsed };
}
