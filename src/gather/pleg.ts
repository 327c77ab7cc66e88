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

/**
 * Starts the cluster lists; `nodes` settles with the node list (and server info), `all` with
 * everything. --all and named nodes are chosen from the node list alone, so their kubelet calls
 * start while events and pods are still being listed.
 */
function gatherCluster(source: ClusterSource | null, noSource: Unavailable | undefined, onlyNode?: string): { nodes: Promise<PlegCluster>; all: Promise<PlegCluster> } {
  if (!source) {
    const u = noSource ?? { input: 'cluster', kind: 'not-captured' as const, reason: 'offline: no cluster was contacted' };
    const none = Promise.resolve({ nodes: null, events: null, pods: null, unavailable: [u], info: null });
    return { nodes: none, all: none };
  }
  const scope = { allNamespaces: true };
  const [nodes, events, pods] = LISTS.pleg;
  // One named node: only its pods (the API server filters; the diagnosis filters again).
  const podScope = onlyNode ? { ...scope, fieldSelector: FIELD_SELECTORS.podsOnNode(onlyNode) } : scope;
  const n = source.list(nodes, scope);
  const info = source.info();
  const rest = Promise.all([source.list(events, scope), source.list(pods, podScope)]);
  rest.catch(() => undefined); // awaited through `all`, possibly after the kubelet calls
  const cluster = (got: Awaited<typeof n>, i: Awaited<typeof info>, e: Awaited<typeof rest>[0] | null, p: Awaited<typeof rest>[1] | null): PlegCluster => ({
    nodes: got.ok ? got.value : null,
    events: e?.ok ? e.value : null,
    pods: p?.ok ? p.value : null,
    unavailable: [got, e, p].flatMap((g) => (g && !g.ok ? [g.unavailable] : [])),
    info: i,
  });
  const first = Promise.all([n, info]);
  const out = {
    nodes: first.then(([g, i]) => cluster(g, i, null, null)),
    all: Promise.all([first, rest]).then(([[g, i], [e, p]]) => cluster(g, i, e, p)),
  };
  // The caller awaits one or both; the other must not surface as an unhandled rejection.
  for (const x of [first, out.nodes, out.all]) x.catch(() => undefined);
  return out;
}

/** Lists the cluster, chooses the nodes, scrapes their kubelet metrics (twice with --sample) and scans their kubelet logs. */
export async function gatherPleg(opts: PlegGatherOptions): Promise<PlegGathered> {
  const lists = gatherCluster(opts.source, opts.noSource, opts.nodes.length === 1 && !opts.all ? opts.nodes[0] : undefined);
  const local = Boolean(opts.localLog || opts.localMetrics?.length || opts.localNode);
  // Chosen from the node list alone (no events needed): start the kubelet calls before the other lists end.
  const early = !local && (opts.all || opts.nodes.length > 0);
  let cluster = await (early ? lists.nodes : lists.all);
  const year = (cluster.info?.capturedAt ? new Date(cluster.info.capturedAt) : opts.now()).getUTCFullYear();
  let localScan: LogScan | undefined;
  if (opts.localLog) localScan = await scanKubeletLog(await opts.localLog(), { year });
  const { names, mode } = choosePlegNodes(cluster, { nodes: opts.nodes, all: opts.all, local, logHost: localScan?.host ?? opts.localNode?.metadata?.name ?? null });

  const source = opts.source;
  const limit = nodeRequestLimit(opts.concurrency);
  const metrics = new Map<string, NodeMetricsGathered>();
  const first = new Map<string, Scrape>();
  const logs = new Map<string, NodeLogGathered>();
  const scrape = async (s: ClusterSource, name: string): Promise<Scrape> => {
    const r = await s.nodeMetrics(name);
    return r.ok ? { text: r.value, at: opts.now() } : { text: null, at: opts.now(), why: r.unavailable };
  };
  const logOf = async (name: string): Promise<void> => {
    if (localScan) {
      logs.set(name, { kind: 'scan', scan: localScan });
    } else if (source) {
      const since = new Date(opts.now().getTime() - opts.sinceSeconds * 1000);
      const got = await limit(() => source.nodeLogs(name, { query: 'kubelet', sinceTime: since }));
      logs.set(name, got.ok ? { kind: 'scan', scan: await scanKubeletLog(got.value, { year }) } : { kind: 'unavailable', unavailable: got.unavailable });
    }
  };
  const scrapeLive = source !== null && !opts.localMetrics?.length;
  // Per node: metrics, then at once its log; no barrier between the two kinds of calls, so the
  // logs overlap the other nodes' scrapes (and the --sample wait). A node whose metrics call
  // found its kubelet down is not asked again (NodeCalls).
  const logTasks: Promise<void>[] = [];
  await Promise.all(
    names.map(async (n) => {
      if (scrapeLive) first.set(n, await limit(() => scrape(source, n)));
      const task = logOf(n);
      task.catch(() => undefined); // awaited below
      logTasks.push(task);
    }),
  );
  const second = new Map<string, Scrape>();
  if (scrapeLive && cluster.info?.kind === 'live' && opts.sampleSeconds) {
    // --sample: every first scrape, one wait, a second scrape (rates over the same window).
    await opts.sleep(opts.sampleSeconds * 1000);
    await Promise.all(names.filter((n) => first.get(n)?.text).map((n) => limit(async () => second.set(n, await scrape(source, n)))));
  }
  await Promise.all(logTasks);
  cluster = await lists.all;
  if (opts.localMetrics?.length) {
    for (const n of names) metrics.set(n, { kind: 'local', texts: opts.localMetrics });
  } else if (scrapeLive) {
    for (const n of names) metrics.set(n, { kind: 'scraped', first: first.get(n)!, second: second.get(n) });
  }
  return { cluster, names, mode, metrics, logs, localNode: opts.localNode, sampleSeconds: opts.sampleSeconds, now: opts.now() };
}
