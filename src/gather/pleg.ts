import type { V1Node } from '@kubernetes/client-node';
import type { Readable } from 'node:stream';
import { choosePlegNodes } from '../analysis/pleg/run.js';
import type { NodeLogGathered, NodeMetricsGathered, PlegCluster, PlegGathered, Scrape } from '../analysis/pleg/run.js';
import { scanKubeletLog } from '../analysis/pleg/logscan.js';
import type { LogScan } from '../analysis/pleg/logscan.js';
import type { Unavailable } from '../model/types.js';
import type { ClusterSource } from '../source/types.js';
import { FIELD_SELECTORS } from '../source/resources.js';
import { LISTS, nodeRequestLimit } from './budget.js';

/** What `podscope pleg` gathers from. */
export interface PlegGatherOptions {
  /** The cluster or snapshot, or null offline. */
  source: ClusterSource | null;
  /** Why there is no source (offline), listed under each node's `unavailable`. */
  noSource?: Unavailable;
  nodes: string[];
  all: boolean;
  /** `--kubelet-log`: opens the log (for the one node diagnosed). */
  localLog?: () => Promise<Readable>;
  /** `--describe-node`: the Node read from `kubectl describe node` text (used instead of the cluster's). */
  localNode?: V1Node;
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

async function gatherCluster(source: ClusterSource | null, noSource: Unavailable | undefined, onlyNode?: string): Promise<PlegCluster> {
  if (!source) {
    const u = noSource ?? { input: 'cluster', kind: 'not-captured' as const, reason: 'offline: no cluster was contacted' };
    return { nodes: null, events: null, pods: null, unavailable: [u], info: null };
  }
  const scope = { allNamespaces: true };
  const [nodes, events, pods] = LISTS.pleg;
  // One named node: only its pods (the API server filters; the diagnosis filters again).
  const podScope = onlyNode ? { ...scope, fieldSelector: FIELD_SELECTORS.podsOnNode(onlyNode) } : scope;
  const [n, e, p, info] = await Promise.all([source.list(nodes, scope), source.list(events, scope), source.list(pods, podScope), source.info()]);
  const unavailable = [n, e, p].flatMap((g) => (g.ok ? [] : [g.unavailable]));
  return { nodes: n.ok ? n.value : null, events: e.ok ? e.value : null, pods: p.ok ? p.value : null, unavailable, info };
}

/** Lists the cluster, chooses the nodes, scrapes their kubelet metrics (twice with --sample) and scans their kubelet logs. */
export async function gatherPleg(opts: PlegGatherOptions): Promise<PlegGathered> {
  const cluster = await gatherCluster(opts.source, opts.noSource, opts.nodes.length === 1 && !opts.all ? opts.nodes[0] : undefined);
  const local = Boolean(opts.localLog || opts.localMetrics?.length || opts.localNode);
  const year = (cluster.info?.capturedAt ? new Date(cluster.info.capturedAt) : opts.now()).getUTCFullYear();
  let localScan: LogScan | undefined;
  if (opts.localLog) localScan = await scanKubeletLog(await opts.localLog(), { year });
  const { names, mode } = choosePlegNodes(cluster, { nodes: opts.nodes, all: opts.all, local, logHost: localScan?.host ?? opts.localNode?.metadata?.name ?? null });

  // Live metrics: scrape every node, wait once, scrape again (rates over the same window).
  const source = opts.source;
  const limit = nodeRequestLimit(opts.concurrency);
  const metrics = new Map<string, NodeMetricsGathered>();
  if (opts.localMetrics?.length) {
    for (const n of names) metrics.set(n, { kind: 'local', texts: opts.localMetrics });
  } else if (source) {
    const scrape = async (name: string): Promise<Scrape> => {
      const r = await source.nodeMetrics(name);
      return r.ok ? { text: r.value, at: opts.now() } : { text: null, at: opts.now(), why: r.unavailable };
    };
    const first = new Map<string, Scrape>();
    await Promise.all(names.map((n) => limit(async () => first.set(n, await scrape(n)))));
    const second = new Map<string, Scrape>();
    if (cluster.info?.kind === 'live' && opts.sampleSeconds) {
      await opts.sleep(opts.sampleSeconds * 1000);
      await Promise.all(names.filter((n) => first.get(n)?.text).map((n) => limit(async () => second.set(n, await scrape(n)))));
    }
    for (const n of names) metrics.set(n, { kind: 'scraped', first: first.get(n)!, second: second.get(n) });
  }

  const logs = new Map<string, NodeLogGathered>();
  await Promise.all(
    names.map(async (name) => {
      if (localScan) {
        logs.set(name, { kind: 'scan', scan: localScan });
      } else if (source) {
        const since = new Date(opts.now().getTime() - opts.sinceSeconds * 1000);
        const got = await limit(() => source.nodeLogs(name, { query: 'kubelet', sinceTime: since }));
        logs.set(name, got.ok ? { kind: 'scan', scan: await scanKubeletLog(got.value, { year }) } : { kind: 'unavailable', unavailable: got.unavailable });
      }
    }),
  );
  return { cluster, names, mode, metrics, logs, localNode: opts.localNode, sampleSeconds: opts.sampleSeconds, now: opts.now() };
}
