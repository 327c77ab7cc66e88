import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { DataError, UsageError, messageOf } from '../../errors.js';
import type { SourceInfo, Unavailable } from '../../model/types.js';
import { diagnoseNode } from './diagnose.js';
import type { LogScan } from './logscan.js';
import { readKubeletMetrics } from './metrics.js';
import type { KubeletMetrics } from './metrics.js';
import { grouped } from '../../k8s/grouped.js';
import { eventsForNode } from './node-facts.js';
import { selectSuspectNodes } from './select.js';
import type { NodeDiagnosis, NodeInputs, PlegResult } from './types.js';
import { PLEG_SCHEMA } from '../../schemas.js';

/** The cluster-wide lists `pleg` reads (null when unavailable, the reason in `unavailable`). */
export interface PlegCluster {
  nodes: V1Node[] | null;
  events: CoreV1Event[] | null;
  pods: V1Pod[] | null;
  unavailable: Unavailable[];
  info: SourceInfo | null;
}

/** How the nodes were chosen. */
export type PlegSelectionMode = PlegResult['selection']['mode'];

/** What the user asked for: named nodes, --all, and whether a local log or scrape was given. */
export interface PlegRequest {
  nodes: string[];
  all: boolean;
  local: boolean;
  /** The host named in the local kubelet log, if one was given and names it. */
  logHost: string | null;
}

/** Chooses the nodes to diagnose: named, all, the local log's host, or the suspect ones. Throws usage/data errors. */
export function choosePlegNodes(cluster: PlegCluster, req: PlegRequest): { names: string[]; mode: PlegSelectionMode } {
  const known = cluster.nodes?.map((n) => n.metadata?.name ?? '') ?? null;
  if (req.local && req.all) throw new UsageError('--kubelet-log and --kubelet-metrics belong to one node, not --all', 'name that node');
  if (req.nodes.length) {
    if (req.local && req.nodes.length > 1) throw new UsageError('--kubelet-log and --kubelet-metrics belong to one node', 'name one node');
    const unknown = known ? req.nodes.filter((n) => !known.includes(n)) : [];
    if (unknown.length) throw new DataError(`node ${unknown.map((n) => `"${n}"`).join(', ')} not found`, 'kubectl get nodes lists them');
    return { names: req.nodes, mode: 'named' };
  }
  if (req.all) {
    if (!known) throw new DataError(`--all needs the node list: ${cluster.unavailable[0]?.reason ?? 'no cluster'}`, 'name the nodes, or give --from DIR');
    return { names: known, mode: 'all' };
  }
  if (req.local) {
    const host = req.logHost;
    if (known && !(host && known.includes(host))) {
      throw new UsageError('which node is this kubelet log or scrape from?', 'name it: podscope pleg NODE --kubelet-log FILE');
    }
    return { names: [host ?? '-'], mode: 'log' };
  }
  if (!cluster.nodes) throw new DataError(`cannot list nodes: ${cluster.unavailable[0]?.reason ?? 'no cluster'}`, 'name the nodes to diagnose, or pass --kubelet-log FILE');
  return { names: selectSuspectNodes(cluster.nodes, cluster.events ?? []).map((s) => s.name), mode: 'default' };
}

/** One kubelet /metrics scrape: its text, or why there is none, and when it was taken. */
export interface Scrape {
  text: string | null;
  at: Date;
  why?: Unavailable;
}

/** The kubelet metrics gathered for one node. */
export type NodeMetricsGathered =
  | { kind: 'local'; texts: string[] }
  | { kind: 'scraped'; first: Scrape; second?: Scrape }
  | { kind: 'none' };

/** The kubelet log gathered for one node, already scanned (logs are streamed, never held). */
export type NodeLogGathered = { kind: 'scan'; scan: LogScan } | { kind: 'unavailable'; unavailable: Unavailable } | { kind: 'none' };

/** Everything `pleg` gathered: the cluster lists, the chosen nodes and their metrics and logs. */
export interface PlegGathered {
  cluster: PlegCluster;
  names: string[];
  mode: PlegSelectionMode;
  metrics: Map<string, NodeMetricsGathered>;
  logs: Map<string, NodeLogGathered>;
  /** `--describe-node`: the Node read from `kubectl describe node` text (used instead of the cluster's). */
  localNode?: V1Node;
  /** `--sample` seconds, also the window of two local scrapes. */
  sampleSeconds: number | null;
  now: Date;
}

function metricsOf(texts: string[], window: number | null, unavailable: Unavailable[]): KubeletMetrics | undefined {
  try {
    return readKubeletMetrics(texts, window);
  } catch (err) {
    unavailable.push({ input: 'node-metrics', kind: 'failed', reason: messageOf(err) });
    return undefined;
  }
}

/** The inputs of one node's diagnosis, from what was gathered for it. */
export function plegNodeInputs(g: PlegGathered, name: string): NodeInputs {
  const { cluster } = g;
  const unavailable: Unavailable[] = [...cluster.unavailable];
  const inp: NodeInputs = { name, unavailable, now: g.now };
  // Indexed once per list (grouped memoizes): a scan per node is quadratic at 1,000 nodes.
  inp.node = g.localNode ?? (cluster.nodes ? grouped(cluster.nodes, 'name', (n) => [n.metadata?.name ?? '']).get(name)?.[0] : undefined);
  if (cluster.events) inp.events = eventsForNode(cluster.events, name);
  if (cluster.pods) inp.pods = grouped(cluster.pods, 'nodeName', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : [])).get(name) ?? [];
  const m = g.metrics.get(name) ?? { kind: 'none' };
  if (m.kind === 'local') {
    inp.metrics = metricsOf(m.texts, null, unavailable);
    inp.metricsAt = null;
    if (inp.metrics && m.texts.length > 1) inp.metrics.windowSeconds = g.sampleSeconds;
  } else if (m.kind === 'scraped' && m.first.text) {
    const a = m.first;
    const b = m.second;
    const texts = b?.text ? [a.text!, b.text] : [a.text!];
    const window = b?.text ? (b.at.getTime() - a.at.getTime()) / 1000 : null;
    inp.metrics = metricsOf(texts, window, unavailable);
    inp.metricsAt = b?.text ? b.at : cluster.info?.kind === 'live' ? a.at : cluster.info?.capturedAt ? new Date(cluster.info.capturedAt) : null;
    if (b && !b.text && b.why) unavailable.push({ ...b.why, reason: `second scrape: ${b.why.reason}` });
  } else {
    const why = m.kind === 'scraped' ? m.first.why : undefined;
    unavailable.push(why ?? { input: 'node-metrics', kind: 'not-captured', reason: 'no kubelet metrics given', fix: 'pass --kubelet-metrics FILE (twice for rates)' });
  }
  const log = g.logs.get(name) ?? { kind: 'none' };
  if (log.kind === 'scan') inp.log = log.scan;
  else if (log.kind === 'unavailable') unavailable.push(log.unavailable);
  else unavailable.push({ input: 'kubelet-logs', kind: 'not-captured', reason: 'no kubelet log given', fix: 'pass --kubelet-log FILE or - (journalctl -u kubelet)' });
  if (inp.log?.incomplete) unavailable.push({ input: 'kubelet-logs', kind: 'failed', reason: `log read stopped early: ${inp.log.incomplete}` });
  return inp;
}

/** Diagnoses every chosen node from what was gathered (src/gather/pleg.ts gathers it). */
export function analysePleg(g: PlegGathered): PlegResult {
  const nodes: NodeDiagnosis[] = g.names.map((n) => diagnoseNode(plegNodeInputs(g, n)));
  return {
    $schema: PLEG_SCHEMA,
    schemaVersion: 1,
    generatedAt: g.now.toISOString(),
    source: g.cluster.info,
    selection: { mode: g.mode, considered: g.cluster.nodes?.length ?? g.names.length },
    nodes,
  };
}
