import type { KubeProxyView } from './kube-proxy.js';
import type { Timeline } from './timeline.js';

/** Allowance for kube-proxy's rule sync when it cannot be measured (its metrics are off by default). */
export const UNMEASURED_PROXY_MS = 1000;

/** Seconds an app is assumed to need to drain after SIGTERM, for grace-period advice. */
const DRAIN_SECONDS = 5;

/** What the trace means for clients. */
export interface StopVerdict {
  /** How long new connections could still reach the pod after its app got SIGTERM; null when unknown. */
  exposureMs: number | null;
  /** Offset at which every known dataplane stopped routing to the pod, if seen. */
  unroutedAtMs: number | null;
  /** True when the dataplane part (kube-proxy) could not be measured. */
  controlPlaneOnly: boolean;
  /**
   * True when clients can be hurt: a measured window, or kube-proxy unmeasured and SIGTERM not
   * delayed past the control-plane drop plus the kube-proxy allowance (nodes keep routing to the
   * pod until their rules sync, so a tie at the control plane is not safe).
   */
  atRisk: boolean;
  summary: string;
  advice: string[];
}

/** Inputs of the verdict besides the timeline. */
export interface VerdictInput {
  timeline: Timeline;
  /** Known preStop delay of the serving container; null: none or unknown. */
  preStopSeconds: number | null;
  /** There is a preStop hook whose length cannot be known (exec without an obvious sleep, httpGet). */
  preStopUnknown: boolean;
  gracePeriodSeconds: number;
  /** kube-proxy views per node, or why there are none. */
  kubeProxy: { views: KubeProxyView[] } | { unavailable: string };
  ended: 'gone' | 'timeout' | 'interrupted';
}

/** Computes the exposure window and what would close it. */
export function stopVerdict(v: VerdictInput): StopVerdict {
  const t = v.timeline;
  const controlPlaneOnly = 'unavailable' in v.kubeProxy || v.kubeProxy.views.some((x) => x.syncedAt === null);
  const base = { controlPlaneOnly, atRisk: false, advice: [] as string[] };
  if (t.zeroAt === null) {
    return { ...base, exposureMs: null, unroutedAtMs: null, summary: `the pod was not deleted while podscope watched (${v.ended})` };
  }
  if (!t.routableBefore) {
    return { ...base, exposureMs: 0, unroutedAtMs: null, summary: 'no Service routed to the pod when it was deleted: stopping it cannot drop Service traffic' };
  }
  if (t.droppedAt === null) {
    return {
      ...base,
      exposureMs: null,
      unroutedAtMs: null,
      atRisk: true,
      summary: `the endpoint was still routable when the trace ended (${v.ended}); the window is at least as long as the trace`,
      advice: [`run again with a longer --timeout; if the endpoint never leaves the slices, look at the EndpointSlice controller (kube-controller-manager)`],
    };
  }
  const cp = t.droppedAt - t.zeroAt;
  let unrouted = cp;
  if (!('unavailable' in v.kubeProxy)) {
    for (const x of v.kubeProxy.views) if (x.syncedAt !== null) unrouted = Math.max(unrouted, x.syncedAt - t.zeroAt);
  }
  const sigterm = (v.preStopSeconds ?? 0) * 1000;
  const exposure = Math.max(0, unrouted - sigterm);
  const where = controlPlaneOnly ? 'left the EndpointSlices' : 'was gone from every kube-proxy measured';
  const delay = sigterm ? `, preStop ${v.preStopSeconds} s` : ', no preStop delay';
  // kube-proxy unmeasured: the nodes route to the pod until their rules sync, so SIGTERM must come
  // at least the allowance after the control-plane drop for the stop to be called safe.
  const proxyRisk = controlPlaneOnly && exposure === 0 && sigterm < unrouted + UNMEASURED_PROXY_MS;
  const summary =
    exposure > 0
      ? `new connections could still reach the pod for ${exposure} ms after its app got SIGTERM (endpoint ${where} at +${unrouted} ms${delay})`
      : proxyRisk
        ? `new connections could still reach the pod after its app got SIGTERM (+${sigterm} ms) until kube-proxy synced on its node, which was not measured (endpoint ${where} at +${unrouted} ms${delay})`
        : `the endpoint ${where} at +${unrouted} ms, ${sigterm - unrouted} ms before the app got SIGTERM (+${sigterm} ms)`;
  const advice: string[] = [];
  if (t.lastEndpoint) {
    // A terminating endpoint stays in use until the pod is gone when it is the Service's last one:
    // no preStop length moves that, so advise capacity instead of a sleep.
    advice.push('it was the last serving endpoint of its Service (kube-proxy keeps using a terminating endpoint when no other is ready): clients fail once it is gone whatever the preStop; run more replicas, and a PodDisruptionBudget for voluntary stops');
  } else if (exposure > 0 || controlPlaneOnly) {
    const need = Math.max(1, Math.ceil((unrouted + (controlPlaneOnly ? UNMEASURED_PROXY_MS : 0)) / 1000));
    if (exposure > 0 || need * 1000 > sigterm) {
      advice.push(`add lifecycle.preStop.sleep.seconds: ${need} (or exec ["sleep","${need}"] before 1.30) so the app gets SIGTERM after every node dropped the endpoint${controlPlaneOnly ? ` (includes ${UNMEASURED_PROXY_MS} ms for kube-proxy, not measured)` : ''}`);
      if (v.gracePeriodSeconds < need + DRAIN_SECONDS) {
        advice.push(`raise terminationGracePeriodSeconds from ${v.gracePeriodSeconds} to at least ${need + DRAIN_SECONDS} (preStop ${need} s + ${DRAIN_SECONDS} s to drain)`);
      }
    }
  }
  if (v.preStopUnknown) advice.push('a preStop hook of unknown length runs first: the window assumes it does not delay SIGTERM');
  return { exposureMs: exposure, unroutedAtMs: unrouted, controlPlaneOnly, atRisk: exposure > 0 || proxyRisk, summary, advice };
}
