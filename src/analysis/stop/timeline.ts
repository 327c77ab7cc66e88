import type { CoreV1Event, V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { toDate } from '../../k8s/pod.js';
import { scrubText } from '../../parse/secret-text.js';
import { podEndpoint, routedAs } from './routable.js';
import type { EndpointState } from './routable.js';

/** One observed watch event (the shape src/source/stop-trace.ts delivers). */
export type TraceEvent =
  | { resource: 'pod'; type: string; object: V1Pod; observedAt: number }
  | { resource: 'endpointslice'; type: string; object: V1EndpointSlice; observedAt: number }
  | { resource: 'event'; type: string; object: CoreV1Event; observedAt: number };

/**
 * A window in which one of the trace's watches was not connected (API server restarting, network
 * cut): changes in it were delivered when the watch came back, so their times are late.
 */
export interface TraceGap {
  watch: 'pod' | 'EndpointSlice' | 'event';
  /** Local times (ms since the epoch): the last stream ended, the next one opened. */
  from: number;
  to: number;
  /** The resourceVersion had expired (410 Gone): the objects were listed again. */
  relisted: boolean;
}

/** One line of the timeline (DESIGN.md §3 "Stop result": offsetMs, what, object; plus where the time comes from). */
export interface TimelineEntry {
  /** Milliseconds from the deletion (negative: before it). */
  offsetMs: number;
  what: string;
  /** `Kind/name` of the object that changed. */
  object: string;
  /** The time the entry stands for, ISO with milliseconds. */
  at: string;
  /** `observed`: when podscope saw the change (ms precision). `recorded`: a timestamp the object carries. */
  clock: 'observed' | 'recorded';
  /** The timestamp the object itself recorded for this change, if any (API timestamps have 1 s precision). */
  recordedAt?: string;
}

/** What the timeline builder is told besides the events. */
export interface TimelineInput {
  pod: { namespace: string; name: string; uid: string | null };
  events: readonly TraceEvent[];
  /** Local times around our own DELETE (stop --delete); absent when someone else deleted it. */
  deletion?: { sentAt: number; answeredAt: number };
  /** Watch gaps: each becomes an entry, so a hole in the timeline is never silent. */
  gaps?: readonly TraceGap[];
}

/** The timeline, its zero, and the facts the verdict needs. */
export interface Timeline {
  entries: TimelineEntry[];
  /** Local time of offset 0 (ms since the epoch), or null when the deletion was never seen. */
  zeroAt: number | null;
  /** Whether the pod's endpoint was routable just before the deletion. */
  routableBefore: boolean;
  /** Observed time the endpoint stopped being routable in every slice; null if it never did (or never was). */
  droppedAt: number | null;
  /** Observed time the pod object disappeared. */
  goneAt: number | null;
  gracePeriodSeconds: number | null;
  /**
   * The pod stayed routable as the only endpoint of a Service (terminating but serving, used
   * because no other endpoint was ready): no preStop delay helps then, only more replicas.
   */
  lastEndpoint: boolean;
}

const fmtCond = (s: EndpointState) => `ready=${s.ready} serving=${s.serving} terminating=${s.terminating}`;
const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

/**
 * When the slice was last written, as the API server recorded it: the latest managedFields time
 * (whole seconds). The trigger-time annotation is no help here: the EndpointSlice controller
 * clears it on updates caused by a deletionTimestamp (its tracker reads only the Ready
 * condition; kubernetes pkg/controller/util/endpoint/trigger_time_tracker.go).
 */
function writtenAt(s: V1EndpointSlice): Date | undefined {
  const times = (s.metadata?.managedFields ?? []).map((f) => toDate(f.time)?.getTime()).filter((x): x is number => x !== undefined);
  return times.length ? new Date(Math.max(...times)) : undefined;
}

/**
 * When someone else deleted the pod: the first event that shows it, which is the pod's
 * deletionTimestamp or its endpoint marked terminating, whichever podscope saw first (the two
 * come on separate watches, and the slice may win).
 */
function firstSignOfDeletion(events: readonly TraceEvent[], pod: TimelineInput['pod']): number | null {
  for (const ev of events) {
    if (ev.resource === 'pod' && ev.object.metadata?.deletionTimestamp && (!pod.uid || !ev.object.metadata.uid || ev.object.metadata.uid === pod.uid)) return ev.observedAt;
    if (ev.resource === 'endpointslice' && ev.type !== 'DELETED' && podEndpoint(ev.object, pod)?.terminating) return ev.observedAt;
  }
  return null;
}

/** Builds the timeline of one pod's stop from watch events, in the order they were seen. */
export function buildTimeline(input: TimelineInput): Timeline {
  const events = [...input.events].sort((a, b) => a.observedAt - b.observedAt);
  const pod = input.pod;
  const podObj = `Pod/${pod.name}`;
  const raw: Omit<TimelineEntry, 'offsetMs'>[] = [];
  const push = (atMs: number, what: string, object: string, clock: TimelineEntry['clock'], recorded?: Date) =>
    raw.push({ what, object, at: new Date(atMs).toISOString(), clock, ...(recorded ? { recordedAt: recorded.toISOString() } : {}) });

  let zeroAt: number | null = input.deletion?.sentAt ?? firstSignOfDeletion(events, pod);
  if (input.deletion) push(input.deletion.sentAt, 'deletion requested (DELETE sent)', podObj, 'observed');
  const slices = new Map<string, V1EndpointSlice>();
  const sliceState = new Map<string, EndpointState | undefined>();
  const terminated = new Set<string>();
  let deletionSeen = false;
  let readyFalseSeen = false;
  let routableBefore = false;
  let routableNow = false;
  let droppedAt: number | null = null;
  let goneAt: number | null = null;
  let grace: number | null = null;
  let lastDeadline: number | null = null;
  let lastEndpoint = false;

  for (const ev of events) {
    const t = ev.observedAt;
    if (ev.resource === 'pod') {
      const p = ev.object;
      if (pod.uid && p.metadata?.uid && p.metadata.uid !== pod.uid) continue;
      if (ev.type === 'DELETED') {
        if (goneAt === null) push(t, 'pod gone from the API', podObj, 'observed');
        goneAt ??= t;
        continue;
      }
      const dts = toDate(p.metadata?.deletionTimestamp);
      if (dts && deletionSeen && lastDeadline !== null && dts.getTime() !== lastDeadline) {
        // A second delete with a shorter grace period moves deletionTimestamp earlier. The kubelet
        // (and kwok) send one with grace 0 once the containers stopped (pkg/kubelet/status/status_manager.go).
        const g = p.metadata?.deletionGracePeriodSeconds;
        push(t, `deletion confirmed with grace ${g ?? '?'} s${g === 0 ? ' (the node reports the containers stopped)' : ''}`, podObj, 'observed');
      }
      if (dts) lastDeadline = dts.getTime();
      if (dts && !deletionSeen) {
        deletionSeen = true;
        grace = p.metadata?.deletionGracePeriodSeconds ?? null;
        zeroAt ??= t;
        // The API server sets deletionTimestamp = request time + grace period
        // (apiserver pkg/registry/rest/delete.go BeforeDelete), serialized to whole seconds.
        const requested = grace !== null ? new Date(dts.getTime() - grace * 1000) : undefined;
        push(t, `deletionTimestamp set: ${dts.toISOString().replace('.000Z', 'Z')} (grace ${grace ?? '?'} s)`, podObj, 'observed', requested);
      }
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
      if (deletionSeen && ready?.status === 'False' && !readyFalseSeen) {
        readyFalseSeen = true;
        push(t, `pod Ready=False${ready.reason ? ` (${ready.reason})` : ''}`, podObj, 'observed', toDate(ready.lastTransitionTime));
      }
      for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
        const term = cs.state?.terminated;
        if (!term || terminated.has(cs.name) || !deletionSeen) continue;
        terminated.add(cs.name);
        push(t, `container ${cs.name} terminated: exit ${term.exitCode}${term.reason ? ` (${term.reason})` : ''}`, podObj, 'observed', toDate(term.finishedAt));
      }
      continue;
    }
    // The initial list (SYNC) is the state before the deletion even when it arrived in the same millisecond.
    const started = deletionSeen || (zeroAt !== null && (t > zeroAt || (t === zeroAt && ev.type !== 'SYNC')));
    if (ev.resource === 'event') {
      const e = ev.object;
      // Events from before the stop (Scheduled, Pulled, ...) are not part of it.
      if (!started) continue;
      const when = toDate(e.eventTime) ?? toDate(e.lastTimestamp) ?? toDate(e.firstTimestamp);
      if (when && zeroAt !== null && when.getTime() < zeroAt - 1000) continue; // an old event, from before the stop
      push(t, `event ${e.reason ?? '?'}: ${scrubText(e.message ?? '').slice(0, 120)}`, `Event/${e.metadata?.name ?? '?'}`, 'observed', when);
      continue;
    }
    const s = ev.object;
    const name = s.metadata?.name ?? '?';
    if (ev.type === 'DELETED') slices.delete(name);
    else slices.set(name, s);
    const before = sliceState.get(name);
    const now = ev.type === 'DELETED' ? undefined : podEndpoint(s, pod);
    sliceState.set(name, now);
    const was = routableNow;
    const how = routedAs(slices.values(), pod);
    routableNow = how !== false;
    if (!started) {
      routableBefore = routableNow;
      continue;
    }
    const changed = (before === undefined) !== (now === undefined) || (before && now && fmtCond(before) !== fmtCond(now));
    if (changed) {
      const trig = toDate(s.metadata?.annotations?.[TRIGGER]);
      const what = now
        ? `endpoint ${fmtCond(now)}${now.terminating && before && !before.terminating ? ' (marked terminating)' : ''}`
        : ev.type === 'DELETED' ? 'EndpointSlice deleted (endpoint gone)' : 'endpoint removed';
      push(t, what + (trig ? ` (trigger time ${s.metadata?.annotations?.[TRIGGER]})` : ''), `EndpointSlice/${name}`, 'observed', writtenAt(s));
    }
    if (how === 'fallback') lastEndpoint = true;
    if (was && !routableNow) {
      droppedAt = t;
      push(t, 'endpoint no longer routable in any EndpointSlice', `Pod/${pod.name}`, 'observed');
    } else if (!was && routableNow) {
      droppedAt = null;
    }
  }
  // Every gap is listed, those before the deletion too: what a watch replays when it comes back
  // arrives just after the gap closed, so the deletion itself may be one of those late changes.
  for (const g of input.gaps ?? []) {
    const what = `${g.watch} watch not connected for ${g.to - g.from} ms${g.relisted ? ' (resourceVersion expired: listed again)' : ''}: changes in this window are timed when podscope saw them`;
    push(g.from, what, g.watch === 'pod' ? podObj : `${g.watch === 'event' ? 'Event' : 'EndpointSlice'}/*`, 'observed');
  }
  const zero = zeroAt;
  const entries = raw.map((e) => ({ offsetMs: zero === null ? 0 : Date.parse(e.at) - zero, ...e })).sort((a, b) => a.offsetMs - b.offsetMs);
  return { entries, zeroAt, routableBefore, droppedAt, goneAt, gracePeriodSeconds: grace, lastEndpoint };
}

/** Adds an entry at an absolute time (e.g. from kube-proxy metrics) and keeps the order. */
export function addEntry(t: Timeline, atMs: number, what: string, object: string, clock: TimelineEntry['clock']): Timeline {
  const entry: TimelineEntry = { offsetMs: t.zeroAt === null ? 0 : atMs - t.zeroAt, what, object, at: new Date(atMs).toISOString(), clock };
  const entries = [...t.entries, entry].sort((a, b) => a.offsetMs - b.offsetMs);
  return { ...t, entries };
}
