import type { V1Node } from '@kubernetes/client-node';
import { Args, Flags } from '@oclif/core';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { analysePleg } from '../analysis/pleg/run.js';
import type { PlegResult } from '../analysis/pleg/types.js';
import { PodscopeCommand } from '../cli/base.js';
import { durationSeconds, gateFlags, outputFlag, refuseTerminalStdin, sourceFlags } from '../cli/flags.js';
import { cliName } from '../cli/name.js';
import { startSpinner } from '../cli/spinner.js';
import { DataError, UsageError, messageOf } from '../errors.js';
import { gatherPleg } from '../gather/pleg.js';
import { parseDescribeNode } from '../parse/describe-node.js';
import { renderPlegTable } from '../render/pleg.js';
import { VERSION } from '../version.js';
import { openLocalLog, readLocalMetrics } from '../source/local-node-data.js';
import type { ClusterSource, Unavailable } from '../source/types.js';

function readDescribeNode(file: string): V1Node {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read --describe-node ${file}: ${(err as NodeJS.ErrnoException).code ?? messageOf(err)}`);
  }
  const node = parseDescribeNode(text);
  if (!node) throw new DataError(`--describe-node ${file} is not \`kubectl describe node\` output: no Conditions table found`, 'save it with kubectl describe node NODE > FILE');
  return node;
}

function seconds(flag: string, text: string | undefined): number | null {
  return text === undefined ? null : durationSeconds(flag, text);
}

/** `podscope pleg`: is PLEG healthy on these nodes, and if not, why. */
export default class Pleg extends PodscopeCommand {
  static override summary = 'Diagnose "PLEG is not healthy": per node status, ranked causes with evidence, and what to do.';
  static override description = `Reads node conditions and events, pods per node, kubelet /metrics through the node proxy and the kubelet log through node log query, or the same offline (--from DIR, --kubelet-log FILE, --kubelet-metrics FILE). Without NODE it diagnoses every node that is NotReady, flapping, or shows PLEG or runtime symptoms. Exit codes: 0 nothing at or above --fail-on; 1 a node at or above --fail-on (unhealthy counts as critical, degraded as warning); 2 usage error; 3 could not gather data; 4 with --strict, a node's status is unknown.`;
  static override examples = [
    '<%= config.bin %> pleg node-7',
    '$ journalctl -u kubelet --since -2h | <%= config.bin %> pleg node-7 --kubelet-log -',
    '<%= config.bin %> pleg --kubelet-log kubelet.log.gz --offline',
    '$ kubectl describe node node-7 > node-7.txt; <%= config.bin %> pleg --describe-node node-7.txt --kubelet-log kubelet.log --offline',
    '<%= config.bin %> pleg --all --sample 10s -o json',
  ];
  static override strict = false;
  // ignoreStdin: oclif would otherwise read piped stdin as the node name (stdin is the log with --kubelet-log -).
  static override args = { node: Args.string({ description: 'Node(s) to diagnose (default: the suspect ones).', ignoreStdin: true }) };
  static override flags = {
    ...sourceFlags,
    output: outputFlag,
    all: Flags.boolean({ description: 'Diagnose every node.', default: false }),
    'kubelet-log': Flags.string({ description: 'Kubelet log of the node (journalctl -u kubelet; plain or gzip); - reads standard input.', helpGroup: 'OFFLINE' }),
    'describe-node': Flags.string({ description: 'Saved `kubectl describe node NODE` text: its conditions and versions stand for the Node object.', helpGroup: 'OFFLINE' }),
    'kubelet-metrics': Flags.string({ description: 'A saved kubelet /metrics scrape; give it twice (older first) for rates.', multiple: true, helpGroup: 'OFFLINE' }),
    sample: Flags.string({ description: 'Scrape kubelet metrics twice this far apart and use rates (e.g. 10s); default one scrape.' }),
    since: Flags.string({ description: 'How far back to read the kubelet log through node log query (e.g. 30m, 2h; a bare number is seconds).', default: '1h' }),
    ...gateFlags,
    offline: Flags.boolean({ description: 'Contact no cluster: use only --kubelet-log, --kubelet-metrics (and --from/-f).', default: false }),
  };

  async run(): Promise<PlegResult & { tool: { name: 'podscope'; version: string } }> {
    const { flags, argv } = await this.parse(Pleg);
    const nodes = (argv as string[]).filter(Boolean);
    if (flags.all && nodes.length) throw new UsageError('--all and node names cannot be used together', 'pick one');
    const sample = seconds('sample', flags.sample);
    const since = seconds('since', flags.since) ?? 3600;
    const metricsFiles = flags['kubelet-metrics'] ?? [];
    if (metricsFiles.length > 2) throw new UsageError('--kubelet-metrics takes one or two scrapes', 'give the older scrape first');
    refuseTerminalStdin('--kubelet-log', flags['kubelet-log'], `journalctl -u kubelet --since -1h | ${cliName()} pleg NODE --kubelet-log -`);
    const localNode = flags['describe-node'] ? readDescribeNode(flags['describe-node']) : undefined;
    const local = Boolean(flags['kubelet-log'] || metricsFiles.length || localNode);
    const human = flags.output === 'table' || flags.output === 'wide';

    let source: ClusterSource | null = null;
    let noSource: Unavailable | undefined;
    if (flags.offline && !flags.from && !flags.file) {
      noSource = { input: 'cluster', kind: 'not-captured', reason: '--offline: no cluster was contacted' };
    } else {
      try {
        source = await this.source(flags);
      } catch (err) {
        // A local log or scrape given and no cluster to read (no kubeconfig, or the node's cluster is
        // down, which is when people read a log by hand): diagnose from those, list the cluster as unavailable.
        if (!(local && err instanceof DataError)) throw err;
        const offline = err.message.startsWith('no kubeconfig found');
        noSource = { input: 'cluster', kind: offline ? 'not-captured' : 'failed', reason: `${offline ? 'offline' : 'unavailable'}: ${err.message}` };
      }
    }
    if (sample && !source && metricsFiles.length < 2) throw new UsageError('--sample needs a live cluster', 'or give --kubelet-metrics twice');
    const localMetrics = metricsFiles.map((f) => readLocalMetrics(f).text);
    const logFile = flags['kubelet-log'];

    const spinner = await startSpinner(sample && source ? `sampling kubelet metrics for ${flags.sample}` : 'gathering', human && !this.jsonEnabled());
    let result: PlegResult;
    try {
      const gather = (src: ClusterSource | null, why: Unavailable | undefined) => gatherPleg({
        source: src,
        noSource: why,
        nodes,
        all: flags.all,
        localLog: logFile ? () => openLocalLog(logFile) : undefined,
        localMetrics: localMetrics.length ? localMetrics : undefined,
        localNode,
        sampleSeconds: sample,
        sinceSeconds: since,
        now: () => new Date(),
        sleep: (ms) => sleep(ms),
      });
      let gathered;
      try {
        gathered = await gather(source, noSource);
      } catch (err) {
        // The cluster went away while we read it (node down, API server unreachable): the local
        // log or scrape still answers; the cluster is listed as unavailable with the reason.
        if (!(local && source && err instanceof DataError)) throw err;
        gathered = await gather(null, { input: 'cluster', kind: 'failed', reason: `unavailable: ${err.message}` });
        process.stderr.write(`podscope: cluster unavailable (${err.message}); diagnosing from the local input only\n`);
      }
      result = analysePleg(gathered);
    } finally {
      spinner.stop();
    }
    // The same `tool` field as the check report's JSON contract.
    const { schemaVersion, ...rest } = result;
    const out = { schemaVersion, tool: { name: 'podscope' as const, version: VERSION }, ...rest };
    if (!this.emitData(flags.output, out)) {
      this.emit(renderPlegTable(result, { ...this.renderOptions(), wide: flags.output === 'wide' }));
    }
    const severity = { unhealthy: 'critical', degraded: 'warning' } as const;
    const gated = result.nodes.flatMap((n) => (n.status === 'unhealthy' || n.status === 'degraded' ? [{ severity: severity[n.status] }] : []));
    this.gate(gated, result.nodes.some((n) => n.status === 'unknown'), flags);
    return out;
  }
}
