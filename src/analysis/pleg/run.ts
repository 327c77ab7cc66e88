import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import type { Readable } from 'node:stream';
import { DataError, UsageError, messageOf } from '../../errors.js';
import { FIELD_SELECTORS } from '../../source/resources.js';
import type { ClusterSource, SourceInfo, Unavailable } from '../../source/types.js';
import { diagnoseNode } from './diagnose.js';
import { scanKubeletLog } from './logscan.js';
import type { LogScan } from './logscan.js';
import { readKubeletMetrics } from './metrics.js';
import type { KubeletMetrics } from './metrics.js';
import { eventsForNode } from './node-facts.js';
import { selectSuspectNodes } from './select.js';
import type { NodeInputs, PlegResult } from './types.js';

/** What a `podscope pleg` run is given. */
export interface PlegRunOptions {
  /** The cluster or snapshot, or null offline. */
  source: ClusterSource | null;
  /** Why there is no source (offline), listed under each node's `unavailable`. */
  noSource?: Unavailable;
  nodes: string[];
  all: boolean;
  /** `--kubelet-log`: opens the log (for the one node diagnosed). */
  localLog?: () => Promise<Readable>;
  /** `--kubelet-metrics`: saved scrapes, oldest first. */
  localMetrics?: string[];
  /** `--sample`: seconds between two live scrapes (rates), or null for one scrape. */
  sampleSeconds: number | null;
  /** How far back to query the kubelet log live. */
  sinceSeconds: number;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  concurrency?: number;
}

interface Cluster {
  nodes: V1Node[] | null;
  events: CoreV1Event[] | null;
  pods: V1Pod[] | null;
  unavailable: Unavailable[];
  info: SourceInfo | null;
}

async function gatherCluster(source: ClusterSource | null, noSource: Unavailable | undefined, onlyNode?: string): Promise<Cluster> {
  if (!source) {
    const u = noSource ?? { input: 'cluster', kind: 'not-captured' as const, reason: 'offline: no cluster was contacted' };
    return { nodes: null, events: null, pods: null, unavailable: [u], info: null };
  }
  const scope = { allNamespaces: true };
  // One named node: only its pods (the API server filters; the diagnosis filters again).
  const podScope = onlyNode ? { ...scope, fieldSelector: FIELD_SELECTORS.podsOnNode(onlyNode) } : scope;
  const [nodes, events, pods, info] = await Promise.all([source.list('nodes', scope), source.list('events', scope), source.list('pods', podScope), source.info()]);
  const unavailable = [nodes, events, pods].flatMap((g) => (g.ok ? [] : [g.unavailable]));
  return { nodes: nodes.ok ? nodes.value : null, events: events.ok ? events.value : null, pods: pods.ok ? pods.value : null, unavailable, info };
}

function metricsOf(texts: string[], window: number | null, unavailable: Unavailable[]): KubeletMetrics | undefined {
  try {
    return readKubeletMetrics(texts, window);
  } catch (err) {
    unavailable.push({ input: 'node-metrics', kind: 'failed', reason: messageOf(err) });
    return undefined;
  }
}

/** Gathers what each chosen node has and diagnoses it. */
export async function runPleg(opts: PlegRunOptions): Promise<PlegResult> {
  const cluster = await gatherCluster(opts.source, opts.noSource, opts.nodes.length === 1 && !opts.all ? opts.nodes[0] : undefined);
  const local = Boolean(opts.localLog || opts.localMetrics?.length);
  const year = (cluster.info?.capturedAt ? new Date(cluster.info.capturedAt) : opts.now()).getUTCFullYear();
  let localScan: LogScan | undefined;
  if (opts.localLog) localScan = await scanKubeletLog(await opts.localLog(), { year });

  let names: string[];
  let mode: PlegResult['selection']['mode'];
  const known = cluster.nodes?.map((n) => n.metadata?.name ?? '') ?? null;
  if (local && opts.all) throw new UsageError('--kubelet-log and --kubelet-metrics belong to one node, not --all', 'name that node');
  if (opts.nodes.length) {
    if (local && opts.nodes.length > 1) throw new UsageError('--kubelet-log and --kubelet-metrics belong to one node', 'name one node');
    const unknown = known ? opts.nodes.filter((n) => !known.includes(n)) : [];
    if (unknown.length) throw new DataError(`node ${unknown.map((n) => `"${n}"`).join(', ')} not found`, 'kubectl get nodes lists them');
    names = opts.nodes;
    mode = 'named';
  } else if (opts.all) {
    if (!known) throw new DataError(`--all needs the node list: ${cluster.unavailable[0]?.reason ?? 'no cluster'}`, 'name the nodes, or give --from DIR');
    names = known;
    mode = 'all';
  } else if (local) {
    const host = localScan?.host ?? null;
    if (known && !(host && known.includes(host))) {
      throw new UsageError('which node is this kubelet log or scrape from?', 'name it: podscope pleg NODE --kubelet-log FILE');
    }
    names = [host ?? '-'];
    mode = 'log';
  } else {
    if (!cluster.nodes) throw new DataError(`cannot list nodes: ${cluster.unavailable[0]?.reason ?? 'no cluster'}`, 'name the nodes to diagnose, or pass --kubelet-log FILE');
    names = selectSuspectNodes(cluster.nodes, cluster.events ?? []).map((s) => s.name);
    mode = 'default';
  }

  // Live metrics: scrape every node, wait once, scrape again (rates over the same window).
  const first = new Map<string, { text: string | null; at: Date; why?: Unavailable }>();
  const limit = pLimit(opts.concurrency ?? 4);
  const scrape = async (name: string) => {
    const r = await opts.source!.nodeMetrics(name);
    return r.ok ? { text: r.value, at: opts.now() } : { text: null, at: opts.now(), why: r.unavailable };
  };
  const liveMetrics = opts.source && !opts.localMetrics?.length && cluster.info?.kind === 'live';
  const snapshotMetrics = opts.source && !opts.localMetrics?.length && cluster.info?.kind !== 'live';
  if (liveMetrics || snapshotMetrics) await Promise.all(names.map((n) => limit(async () => first.set(n, await scrape(n)))));
  const second = new Map<string, { text: string | null; at: Date; why?: Unavailable }>();
  if (liveMetrics && opts.sampleSeconds) {
    await opts.sleep(opts.sampleSeconds * 1000);
    await Promise.all(names.filter((n) => first.get(n)?.text).map((n) => limit(async () => second.set(n, await scrape(n)))));
  }

  const diagnose = async (name: string) => {
    const unavailable: Unavailable[] = [...cluster.unavailable];
    const inp: NodeInputs = { name, unavailable, now: opts.now() };
    inp.node = cluster.nodes?.find((n) => n.metadata?.name === name);
    if (cluster.events) inp.events = eventsForNode(cluster.events, name);
    if (cluster.pods) inp.pods = cluster.pods.filter((p) => p.spec?.nodeName === name);
    if (opts.localMetrics?.length) {
      inp.metrics = metricsOf(opts.localMetrics, null, unavailable);
      inp.metricsAt = null;
      if (inp.metrics && opts.localMetrics.length > 1) inp.metrics.windowSeconds = opts.sampleSeconds;
    } else if (first.get(name)?.text) {
      const a = first.get(name)!;
      const b = second.get(name);
      const texts = b?.text ? [a.text!, b.text] : [a.text!];
      const window = b?.text ? (b.at.getTime() - a.at.getTime()) / 1000 : null;
      inp.metrics = metricsOf(texts, window, unavailable);
      inp.metricsAt = b?.text ? b.at : cluster.info?.kind === 'live' ? a.at : cluster.info?.capturedAt ? new Date(cluster.info.capturedAt) : null;
      if (b && !b.text && b.why) unavailable.push({ ...b.why, reason: `second scrape: ${b.why.reason}` });
    } else {
      const why = first.get(name)?.why;
      unavailable.push(why ?? { input: 'node-metrics', kind: 'not-captured', reason: 'no kubelet metrics given', fix: 'pass --kubelet-metrics FILE (twice for rates)' });
    }
    if (localScan) {
      inp.log = localScan;
    } else if (opts.source) {
      const since = new Date(opts.now().getTime() - opts.sinceSeconds * 1000);
      const logs = await limit(() => opts.source!.nodeLogs(name, { query: 'kubelet', sinceTime: since }));
      if (logs.ok) inp.log = await scanKubeletLog(logs.value, { year });
      else unavailable.push(logs.unavailable);
    } else {
      unavailable.push({ input: 'kubelet-logs', kind: 'not-captured', reason: 'no kubelet log given', fix: 'pass --kubelet-log FILE or - (journalctl -u kubelet)' });
    }
    if (inp.log?.incomplete) unavailable.push({ input: 'kubelet-logs', kind: 'failed', reason: `log read stopped early: ${inp.log.incomplete}` });
    return diagnoseNode(inp);
  };
  const nodes = await Promise.all(names.map((n) => diagnose(n)));
  return {
    schemaVersion: 1,
    generatedAt: opts.now().toISOString(),
    source: cluster.info,
    selection: { mode, considered: cluster.nodes?.length ?? names.length },
    nodes,
  };
}
