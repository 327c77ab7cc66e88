import { addBuckets, family, histogramQuantile, parsePrometheus } from '../../parse/prometheus.js';
import type { Bucket, MetricFamily } from '../../parse/prometheus.js';

/**
 * The PLEG-relevant part of the kubelet's /metrics: one scrape (totals since the kubelet started)
 * or two (rates over the interval between them). Names of every era are read: the pre-1.14
 * `_microseconds` summaries, `kubelet_runtime_operations` without `_total`, and the coming
 * `_total` variants (kubernetes/kubernetes pkg/kubelet/metrics/metrics.go; reference §2.1).
 */

/** A quantile of a histogram; `saturated` means "at least value" (the top finite bucket). */
export interface Quantile {
  value: number;
  saturated: boolean;
}

/** What the diagnosis reads from kubelet metrics. */
export interface KubeletMetrics {
  /** `rate`: two scrapes `windowSeconds` apart; `totals`: one scrape, counts since kubelet start. */
  mode: 'rate' | 'totals';
  windowSeconds: number | null;
  /** Pre-1.14 names were read. */
  legacy: boolean;
  relist: { p50: Quantile; p99: Quantile; count: number } | null;
  relistInterval: { p99: Quantile } | null;
  /** `kubelet_pleg_last_seen_seconds` (Unix seconds) of the latest scrape. */
  lastSeenUnix: number | null;
  discardEvents: number | null;
  /** From `kubernetes_feature_enabled{name="EventedPLEG"}` when the kubelet exposes it. */
  eventedPleg: boolean | null;
  /** CRI errors by operation_type (increase in rate mode). */
  runtimeErrors: Record<string, number>;
  /** p99 CRI latency by operation_type (seconds). */
  runtimeP99: Record<string, Quantile>;
  runningPods: number | null;
  containers: { running: number | null; exited: number | null };
  kubeletVersion: string | null;
}

const gauge = (f: MetricFamily | undefined): number | null => {
  const v = f?.series[0]?.value;
  return v === undefined || Number.isNaN(v) ? null : v;
};

const sumValues = (f: MetricFamily | undefined, filter: (l: Record<string, string>) => boolean = () => true): number | null => {
  if (!f) return null;
  let t = 0;
  for (const s of f.series) if (filter(s.labels) && s.value !== undefined && !Number.isNaN(s.value)) t += s.value;
  return t;
};

function buckets(f: MetricFamily | undefined, filter: (l: Record<string, string>) => boolean = () => true): Bucket[] | null {
  if (!f || f.type !== 'histogram') return null;
  let acc: Bucket[] = [];
  for (const s of f.series) if (filter(s.labels) && s.buckets) acc = addBuckets(acc, s.buckets);
  return acc.length ? acc : null;
}

function byOp(f: MetricFamily | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of f?.series ?? []) {
    const op = s.labels.operation_type ?? s.labels.operation ?? '?';
    if (s.value !== undefined && !Number.isNaN(s.value)) out[op] = (out[op] ?? 0) + s.value;
  }
  return out;
}

/** The scrape-level figures of one /metrics body. */
interface Scrape {
  m: Map<string, MetricFamily>;
}

const RELIST = ['kubelet_pleg_relist_duration_seconds'];
const RELIST_OLD = 'kubelet_pleg_relist_latency_microseconds';
const INTERVAL = ['kubelet_pleg_relist_interval_seconds'];
const INTERVAL_OLD = 'kubelet_pleg_relist_interval_microseconds';
const ERRORS = ['kubelet_runtime_operations_errors_total', 'kubelet_runtime_operations_errors'];
const OP_DURATION = ['kubelet_runtime_operations_duration_seconds'];
const OP_LATENCY_OLD = 'kubelet_runtime_operations_latency_microseconds';

function quantiles(bs: Bucket[] | null): { p50: Quantile; p99: Quantile; count: number } | null {
  if (!bs) return null;
  const p50 = histogramQuantile(0.5, bs);
  const p99 = histogramQuantile(0.99, bs);
  if (!p50 || !p99) return null;
  return { p50, p99, count: bs.at(-1)?.count ?? 0 };
}

function summaryQuantile(f: MetricFamily | undefined, q: string, filter: (l: Record<string, string>) => boolean = () => true): number | null {
  let worst: number | null = null;
  for (const s of f?.series ?? []) {
    const v = s.quantiles?.[q];
    if (filter(s.labels) && v !== undefined && !Number.isNaN(v)) worst = Math.max(worst ?? 0, v / 1e6);
  }
  return worst;
}

/** Parses one or two scrapes (oldest first) into what the diagnosis uses; throws on bad text. */
export function readKubeletMetrics(texts: string[], windowSeconds: number | null): KubeletMetrics {
  const scrapes: Scrape[] = texts.map((t) => ({ m: parsePrometheus(t) }));
  for (const s of scrapes) {
    if (![...s.m.keys()].some((k) => k.startsWith('kubelet_'))) throw new Error('no kubelet metrics in this text (is it the kubelet /metrics?)');
  }
  const last = scrapes[scrapes.length - 1].m;
  const prev = scrapes.length > 1 ? scrapes[0].m : null;
  const legacy = !family(last, ...RELIST) && Boolean(last.get(RELIST_OLD));

  const delta = (names: string[], filter?: (l: Record<string, string>) => boolean): Bucket[] | null => {
    const b2 = buckets(family(last, ...names), filter);
    if (!b2 || !prev) return b2;
    const b1 = buckets(family(prev, ...names), filter);
    return b1 ? addBuckets(b2, b1, -1) : b2;
  };

  let relist = quantiles(delta(RELIST));
  if (!relist && legacy) {
    // Pre-1.14 summaries carry quantiles in microseconds over a sliding window; no rate needed.
    const p50 = summaryQuantile(last.get(RELIST_OLD), '0.5');
    const p99 = summaryQuantile(last.get(RELIST_OLD), '0.99');
    if (p50 !== null && p99 !== null) {
      relist = { p50: { value: p50, saturated: false }, p99: { value: p99, saturated: false }, count: last.get(RELIST_OLD)?.series[0]?.count ?? 0 };
    }
  }
  const iv = quantiles(delta(INTERVAL));
  const ivOld = summaryQuantile(last.get(INTERVAL_OLD), '0.99');
  const relistInterval = iv ? { p99: iv.p99 } : ivOld !== null ? { p99: { value: ivOld, saturated: false } } : null;

  const errNow = byOp(family(last, ...ERRORS));
  const errPrev = prev ? byOp(family(prev, ...ERRORS)) : {};
  const runtimeErrors: Record<string, number> = {};
  for (const [op, v] of Object.entries(errNow)) {
    const d = v - (errPrev[op] ?? 0);
    if (d > 0) runtimeErrors[op] = d;
  }

  const runtimeP99: Record<string, Quantile> = {};
  const opFam = family(last, ...OP_DURATION);
  const ops = new Set((opFam?.series ?? []).map((s) => s.labels.operation_type).filter(Boolean));
  for (const op of ops) {
    const q = quantiles(delta(OP_DURATION, (l) => l.operation_type === op));
    if (q && q.count > 0) runtimeP99[op] = q.p99;
  }
  for (const s of last.get(OP_LATENCY_OLD)?.series ?? []) {
    const op = s.labels.operation_type;
    const v = s.quantiles?.['0.99'];
    if (op && v !== undefined && !Number.isNaN(v)) runtimeP99[op] = { value: v / 1e6, saturated: false };
  }

  const discardNow = sumValues(family(last, 'kubelet_pleg_discard_events', 'kubelet_pleg_discard_events_total'));
  const discardPrev = prev ? sumValues(family(prev, 'kubelet_pleg_discard_events', 'kubelet_pleg_discard_events_total')) : null;
  const containersFam = family(last, 'kubelet_running_containers', 'kubelet_running_container_count');
  const feature = last.get('kubernetes_feature_enabled')?.series.find((s) => s.labels.name === 'EventedPLEG');
  const build = last.get('kubernetes_build_info')?.series[0]?.labels.git_version;

  return {
    mode: prev ? 'rate' : 'totals',
    windowSeconds: prev ? windowSeconds : null,
    legacy,
    relist,
    relistInterval,
    lastSeenUnix: gauge(last.get('kubelet_pleg_last_seen_seconds')),
    discardEvents: discardNow === null ? null : discardNow - (discardPrev ?? 0),
    eventedPleg: feature ? feature.value === 1 : null,
    runtimeErrors,
    runtimeP99,
    runningPods: gauge(family(last, 'kubelet_running_pods', 'kubelet_running_pod_count')),
    containers: {
      running: containersFam ? sumValues(containersFam, (l) => !l.container_state || l.container_state === 'running') : null,
      exited: containersFam?.series.some((s) => s.labels.container_state) ? sumValues(containersFam, (l) => l.container_state === 'exited') : null,
    },
    kubeletVersion: build ?? null,
  };
}
