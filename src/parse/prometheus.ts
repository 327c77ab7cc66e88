import parseText from 'parse-prometheus-text-format';

/**
 * Typed Prometheus text-format parsing. The parsing itself is parse-prometheus-text-format (the
 * one dedicated parser with real use); it has no types and returns numbers as strings, so this
 * file is the only place that touches it. Kubelet /metrics bodies are small (tens of KB), so the
 * library's whole-text parsing is not a bottleneck.
 */

/** One histogram bucket: cumulative count of observations <= le. */
export interface Bucket {
  le: number;
  count: number;
}

/** One series of a family. Which fields are set depends on the family type. */
export interface Series {
  labels: Record<string, string>;
  value?: number;
  buckets?: Bucket[];
  quantiles?: Record<string, number>;
  count?: number;
  sum?: number;
}

/** A metric family as exposed: name, type, help and its series. */
export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  series: Series[];
}

interface RawMetric {
  value?: string;
  labels?: Record<string, string>;
  buckets?: Record<string, string>;
  quantiles?: Record<string, string>;
  count?: string;
  sum?: string;
}

const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));

/** Parses exposition text into families keyed by name; throws with a clear message on bad text. */
export function parsePrometheus(text: string): Map<string, MetricFamily> {
  let raw: { name: string; help?: string; type: string; metrics: RawMetric[] }[];
  try {
    raw = (parseText as unknown as (t: string) => typeof raw)(text);
  } catch (err) {
    throw new Error(`not Prometheus text format: ${err instanceof Error ? err.message : String(err)}`);
  }
  const out = new Map<string, MetricFamily>();
  for (const f of raw) {
    out.set(f.name, {
      name: f.name,
      type: f.type.toLowerCase() as MetricFamily['type'],
      help: f.help ?? '',
      series: f.metrics.map((m) => ({
        labels: m.labels ?? {},
        value: num(m.value),
        buckets: m.buckets
          ? Object.entries(m.buckets)
              .map(([le, c]) => ({ le: le === '+Inf' ? Infinity : Number(le), count: Number(c) }))
              .sort((a, b) => a.le - b.le)
          : undefined,
        quantiles: m.quantiles ? Object.fromEntries(Object.entries(m.quantiles).map(([q, v]) => [q, Number(v)])) : undefined,
        count: num(m.count),
        sum: num(m.sum),
      })),
    });
  }
  for (const f of out.values()) {
    if (f.type !== 'histogram' && f.type !== 'summary') continue;
    const series = regroup(text, f);
    if (series.length > 1 || series.some((x) => Object.keys(x.labels).length)) f.series = series;
  }
  return out;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * parse-prometheus-text-format collapses every series of a histogram or summary into one and
 * drops their labels (its flattenMetrics keeps only `le`/`quantile`), so
 * `kubelet_runtime_operations_duration_seconds{operation_type=...}` would read as one series.
 * This regroups the sample lines of such families by their other labels.
 */
function regroup(text: string, fam: MetricFamily): Series[] {
  const key = fam.type === 'histogram' ? 'le' : 'quantile';
  const groups = new Map<string, Series>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(fam.name)) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const suffix = m[1].slice(fam.name.length);
    if (!['', '_bucket', '_sum', '_count'].includes(suffix)) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
    const k = labels[key];
    delete labels[key];
    const id = JSON.stringify(Object.entries(labels).sort());
    const s = groups.get(id) ?? { labels };
    groups.set(id, s);
    const v = Number(m[3]);
    if (suffix === '_sum') s.sum = v;
    else if (suffix === '_count') s.count = v;
    else if (suffix === '_bucket' && k !== undefined) (s.buckets ??= []).push({ le: k === '+Inf' ? Infinity : Number(k), count: v });
    else if (suffix === '' && k !== undefined) (s.quantiles ??= {})[k] = v;
  }
  for (const s of groups.values()) s.buckets?.sort((a, b) => a.le - b.le);
  return [...groups.values()];
}

/** The first family present among several names (e.g. `x_total` and the older `x`). */
export function family(metrics: Map<string, MetricFamily>, ...names: string[]): MetricFamily | undefined {
  for (const n of names) {
    const f = metrics.get(n);
    if (f) return f;
  }
  return undefined;
}

/** Adds up buckets of several series (or of two scrapes, with sign -1 for the older one). */
export function addBuckets(a: Bucket[], b: Bucket[], sign = 1): Bucket[] {
  const by = new Map(a.map((x) => [x.le, x.count]));
  for (const x of b) by.set(x.le, (by.get(x.le) ?? 0) + sign * x.count);
  return [...by.entries()].map(([le, count]) => ({ le, count })).sort((p, q) => p.le - q.le);
}

/**
 * histogram_quantile as Prometheus computes it (linear within the bucket). When the quantile
 * falls in the +Inf bucket the answer is the highest finite bound, with `saturated` set: for
 * kubelet_pleg_relist_duration_seconds that means "≥10s", never a number.
 */
export function histogramQuantile(q: number, buckets: Bucket[]): { value: number; saturated: boolean } | null {
  const bs = [...buckets].sort((a, b) => a.le - b.le);
  const total = bs.at(-1)?.count ?? 0;
  if (!bs.length || total <= 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of bs) {
    if (b.count >= rank) {
      if (b.le === Infinity) return { value: prevLe, saturated: true };
      const inBucket = b.count - prevCount;
      const value = inBucket > 0 ? prevLe + ((b.le - prevLe) * (rank - prevCount)) / inBucket : b.le;
      return { value, saturated: false };
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return { value: prevLe, saturated: true };
}
