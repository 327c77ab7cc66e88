import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { KubeProxyView } from './kube-proxy.js';
import { podEndpoint } from './routable.js';
import { addEntry, buildTimeline } from './timeline.js';
import type { Timeline, TimelineInput, TraceEvent, TraceGap } from './timeline.js';

/** What a trace produced. */
export interface TraceResult {
  timeline: Timeline;
  ended: 'gone' | 'timeout' | 'interrupted';
  kubeProxy: { views: KubeProxyView[] } | { unavailable: string };
}

/**
 * Folds the events a trace is given (src/gather/trace.ts watches and feeds them): when the pod
 * was gone, which EndpointSlices still list it, and the timeline so far.
 */
export class TraceFold {
  readonly events: TraceEvent[] = [];
  /** Windows in which a watch was not connected (marked in the timeline). */
  readonly gaps: TraceGap[] = [];
  /** Local time the pod's DELETED event arrived, or null. */
  goneAt: number | null = null;
  private readonly slices = new Map<string, V1EndpointSlice>();

  constructor(readonly pod: TimelineInput['pod']) {}

  /** Takes one observed event. */
  add(e: TraceEvent): void {
    this.events.push(e);
    const uid = this.pod.uid;
    if (e.resource === 'pod' && e.type === 'DELETED' && (!uid || e.object.metadata?.uid === uid)) this.goneAt ??= e.observedAt;
    if (e.resource === 'endpointslice') {
      if (e.type === 'DELETED') this.slices.delete(e.object.metadata?.name ?? '');
      else this.slices.set(e.object.metadata?.name ?? '', e.object);
    }
  }

  /** Takes one watch gap. */
  addGap(g: TraceGap): void {
    this.gaps.push(g);
  }

  /** Whether an EndpointSlice still lists the pod. */
  stillListed(): boolean {
    const ident = { uid: this.pod.uid, name: this.pod.name };
    return [...this.slices.values()].some((s) => podEndpoint(s, ident));
  }

  /** The timeline of what was seen, from the deletion we sent (if any). */
  timeline(deletion?: TimelineInput['deletion']): Timeline {
    return buildTimeline({ pod: this.pod, events: this.events, deletion, gaps: this.gaps });
  }

  /** The final timeline, with the moments kube-proxy synced its rules without the endpoint. */
  finish(deletion: TimelineInput['deletion'], views: readonly KubeProxyView[]): Timeline {
    let timeline = this.timeline(deletion);
    for (const v of views) {
      if (v.syncedAt !== null) timeline = addEntry(timeline, v.syncedAt, `kube-proxy on ${v.node} synced its rules without the endpoint`, `Node/${v.node}`, 'recorded');
    }
    return timeline;
  }
}
