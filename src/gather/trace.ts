import type { V1Pod } from '@kubernetes/client-node';
import { kubeProxyView, readKubeProxy } from '../analysis/stop/kube-proxy.js';
import type { KubeProxySample, KubeProxyView } from '../analysis/stop/kube-proxy.js';
import type { TraceEvent, TraceGap } from '../analysis/stop/timeline.js';
import { TraceFold } from '../analysis/stop/trace.js';
import type { TraceResult } from '../analysis/stop/trace.js';
import type { Got } from '../model/types.js';

export type { TraceResult } from '../analysis/stop/trace.js';

/**
 * The live part of `stop --watch/--delete`: watches (and optionally deletes) the pod and polls
 * kube-proxy, feeding what it sees to the analysis fold (src/analysis/stop/trace.ts TraceFold).
 */

/** What the trace needs from a live cluster (src/source/stop-trace.ts StopTracer implements it). */
export interface TraceDriver {
  watch(
    pod: { namespace: string; name: string; services?: readonly string[] },
    signal: AbortSignal,
    on: { event: (e: TraceEvent) => void; listed?: () => void; restart?: (what: string) => void; gap?: (g: TraceGap) => void },
  ): Promise<void>;
  deletePod(namespace: string, name: string, uid: string): Promise<{ sentAt: number; answeredAt: number; pod: V1Pod }>;
  kubeProxyMetrics(target: { node: string } | { url: string }): Promise<Got<string>>;
}

/** Options of one trace. */
export interface TraceOptions {
  driver: TraceDriver;
  pod: V1Pod;
  /** `delete`: send the DELETE ourselves; `watch`: wait for someone else to. */
  mode: 'delete' | 'watch';
  timeoutMs: number;
  /** Aborts the trace early (Ctrl-C); what was seen is kept. */
  signal?: AbortSignal;
  /** kube-proxy metrics URL given by the user; default: the pod's node through the API server. */
  kubeProxyUrl?: string;
  /** The Services that select the pod: only their EndpointSlices are watched. */
  services?: readonly string[];
  /** Progress lines for stderr (watch restarts, waiting). */
  progress?: (line: string) => void;
  /** How long to keep watching after the pod is gone for the endpoint to leave the slices. */
  settleMs?: number;
  /** Pause between kube-proxy polls. */
  pollMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Watches (and optionally deletes) the pod until it is gone, the timeout passes or the signal aborts. */
export async function runTrace(o: TraceOptions): Promise<TraceResult> {
  const ns = o.pod.metadata?.namespace ?? 'default';
  const name = o.pod.metadata?.name ?? '?';
  const uid = o.pod.metadata?.uid ?? null;
  const fold = new TraceFold({ namespace: ns, name, uid });
  const ac = new AbortController();
  let ended: TraceResult['ended'] | undefined;
  const finish = (why: TraceResult['ended']) => {
    ended ??= why;
    ac.abort();
  };
  const timer = setTimeout(() => finish('timeout'), o.timeoutMs);
  const onExternal = () => finish('interrupted');
  o.signal?.addEventListener('abort', onExternal, { once: true });
  if (o.signal?.aborted) finish('interrupted');

  let listed!: () => void;
  const listedP = new Promise<void>((r) => (listed = r));
  let watchError: unknown;
  const watching = o.driver
    .watch({ namespace: ns, name, services: o.services }, ac.signal, {
      event: (e) => fold.add(e),
      listed: () => listed(),
      restart: (what) => o.progress?.(what),
      gap: (g) => fold.addGap(g),
    })
    .catch((err: unknown) => {
      watchError = err;
      finish('interrupted');
    });
  // One abort promise for every wait below (a listener per wait would pile up on the signal).
  const aborted = new Promise<void>((r) => ac.signal.addEventListener('abort', () => r(), { once: true }));
  await Promise.race([listedP, aborted]);

  // kube-proxy: a sample before the deletion, so the histogram delta covers only this stop.
  const nodeName = o.pod.spec?.nodeName;
  const target: { url: string } | { node: string } | undefined = o.kubeProxyUrl ? { url: o.kubeProxyUrl } : nodeName ? { node: nodeName } : undefined;
  let proxyBefore: KubeProxySample | null = null;
  let proxyUnavailable: string | undefined = target ? undefined : 'the pod is not on a node: no kube-proxy to ask';
  if (target && !ac.signal.aborted) {
    const got = await o.driver.kubeProxyMetrics(target);
    if (got.ok) proxyBefore = readKubeProxy(got.value);
    else proxyUnavailable = `${got.unavailable.reason}${got.unavailable.fix ? `; ${got.unavailable.fix}` : ''}`;
  }

  let deletion: { sentAt: number; answeredAt: number } | undefined;
  if (o.mode === 'delete' && !ac.signal.aborted) {
    try {
      const d = await o.driver.deletePod(ns, name, uid ?? '');
      deletion = { sentAt: d.sentAt, answeredAt: d.answeredAt };
      fold.add({ resource: 'pod', type: 'MODIFIED', object: d.pod, observedAt: d.answeredAt });
    } catch (err) {
      clearTimeout(timer);
      ac.abort();
      await watching;
      throw err;
    }
  } else if (o.mode === 'watch') {
    o.progress?.(`waiting for pod ${ns}/${name} to be deleted (timeout ${Math.round(o.timeoutMs / 1000)} s)`);
  }

  const views: KubeProxyView[] = [];
  const pollMs = o.pollMs ?? 200;
  while (!ac.signal.aborted) {
    await Promise.race([sleep(pollMs), aborted]);
    const listedNow = fold.stillListed();
    const tl = fold.timeline(deletion);
    if (proxyBefore && target && tl.droppedAt !== null && !views.length) {
      const got = await o.driver.kubeProxyMetrics(target);
      const who = 'node' in target ? target.node : target.url;
      if (got.ok) {
        const v = kubeProxyView(who, proxyBefore, readKubeProxy(got.value), tl.droppedAt);
        if (v.syncedAt !== null || Date.now() - tl.droppedAt > 10_000) views.push(v);
      } else {
        // It answered before the deletion but not now: the sync stays unmeasured (control-plane part only).
        views.push({ node: who, syncedAt: null, behind: false, programming: null });
      }
    }
    const proxyDone = !proxyBefore || views.length > 0 || tl.droppedAt === null;
    const goneAt = fold.goneAt;
    if (goneAt !== null && proxyDone && (!listedNow || Date.now() - goneAt > (o.settleMs ?? 5000))) finish('gone');
  }
  clearTimeout(timer);
  o.signal?.removeEventListener('abort', onExternal);
  await watching;
  if (watchError) throw watchError;

  return {
    timeline: fold.finish(deletion, views),
    ended: ended ?? 'interrupted',
    kubeProxy: proxyUnavailable !== undefined ? { unavailable: proxyUnavailable } : { views },
  };
}
