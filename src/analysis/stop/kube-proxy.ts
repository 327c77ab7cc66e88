import { addBuckets, family, histogramQuantile, parsePrometheus } from '../../parse/prometheus.js';
import type { MetricFamily } from '../../parse/prometheus.js';

/** What one kube-proxy's metrics say about its rule syncs (names: kubernetes pkg/proxy/metrics/metrics.go). */
export interface KubeProxySample {
  /** kubeproxy_sync_proxy_rules_last_timestamp_seconds, in ms since the epoch (latest IP family). */
  lastSyncAt: number | null;
  /** kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds, in ms. */
  lastQueuedAt: number | null;
  /** kubeproxy_network_programming_duration_seconds, all series summed. */
  programming: { count: number; buckets: { le: number; count: number }[] } | null;
}

function latestGauge(f: MetricFamily | undefined): number | null {
  const values = (f?.series ?? []).map((s) => s.value).filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  return values.length ? Math.max(...values) * 1000 : null;
}

/** Reads the rule-sync gauges and the network-programming histogram from kube-proxy's /metrics text. */
export function readKubeProxy(text: string): KubeProxySample {
  const m = parsePrometheus(text);
  const prog = family(m, 'kubeproxy_network_programming_duration_seconds');
  let programming: KubeProxySample['programming'] = null;
  if (prog?.series.length) {
    let buckets: { le: number; count: number }[] = [];
    let count = 0;
    for (const s of prog.series) {
      buckets = buckets.length ? addBuckets(buckets, s.buckets ?? []) : [...(s.buckets ?? [])];
      count += s.count ?? 0;
    }
    programming = { count, buckets };
  }
  return {
    lastSyncAt: latestGauge(family(m, 'kubeproxy_sync_proxy_rules_last_timestamp_seconds')),
    lastQueuedAt: latestGauge(family(m, 'kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds')),
    programming,
  };
}

/** kube-proxy's view of the endpoint drop, for the timeline and the verdict. */
export interface KubeProxyView {
  node: string;
  /** When the rules without the endpoint were in place (ms since the epoch), if seen. */
  syncedAt: number | null;
  /** A sync was queued after the last one that finished: kube-proxy may be hung or slow. */
  behind: boolean;
  /** Network programming latency of the changes seen during the trace: count and p99 in seconds. */
  programming: { count: number; p99Seconds: number | null } | null;
}

/**
 * Compares a sample taken before the deletion with one taken after the endpoint left the slices.
 * `droppedAt` is when the slice change was seen; the first sync at or after it (less a small
 * allowance, kube-proxy may see the change before podscope does) is the one that removed the rules.
 */
export function kubeProxyView(node: string, before: KubeProxySample | null, after: KubeProxySample, droppedAt: number, allowanceMs = 250): KubeProxyView {
  const synced = after.lastSyncAt !== null && after.lastSyncAt >= droppedAt - allowanceMs ? after.lastSyncAt : null;
  let programming: KubeProxyView['programming'] = null;
  if (after.programming) {
    const delta = before?.programming ? addBuckets(after.programming.buckets, before.programming.buckets, -1) : after.programming.buckets;
    const count = after.programming.count - (before?.programming?.count ?? 0);
    const q = count > 0 ? histogramQuantile(0.99, delta) : null;
    programming = { count, p99Seconds: q ? q.value : null };
  }
  const behind = after.lastQueuedAt !== null && after.lastSyncAt !== null && after.lastQueuedAt > after.lastSyncAt;
  return { node, syncedAt: synced, behind, programming };
}
