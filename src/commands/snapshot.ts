import { existsSync, statSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { PodscopeCommand } from '../cli/base.js';
import { durationSeconds, outputFlag, scopeFlags, sourceFlags } from '../cli/flags.js';
import { cliName } from '../cli/name.js';
import { startSpinner } from '../cli/spinner.js';
import { DataError, UsageError } from '../errors.js';
import type { SnapshotManifest } from '../source/layout.js';
import { recordSnapshot } from '../source/recorder.js';
import type { NodeDataMode } from '../source/recorder.js';
import { VERSION } from '../version.js';

/** `podscope snapshot DIR`: capture what the analyses read, for offline use. */
export default class Snapshot extends PodscopeCommand {
  static override summary = 'Capture what the other commands read into a directory, to analyse later offline with --from DIR.';
  static override description =
    'Captures nodes, pods, events, services and EndpointSlices in scope, and for chosen nodes the kubelet /metrics and kubelet log (through the API server node proxy). Secrets are never captured; environment variable values are redacted. What could not be read is listed in manifest.json with the reason.';
  static override examples = ['<%= config.bin %> snapshot ./incident-42 -A', '<%= config.bin %> snapshot ./snap -n shop --node-data all'];
  static override args = { dir: Args.string({ description: 'New or empty directory to write.', required: true }) };
  static override flags = {
    kubeconfig: sourceFlags.kubeconfig,
    context: sourceFlags.context,
    'request-timeout': sourceFlags['request-timeout'],
    // Hidden: snapshot reads only a live cluster; given anyway, they get a clear error below.
    from: Flags.string({ hidden: true }),
    file: Flags.string({ char: 'f', hidden: true }),
    ...scopeFlags,
    output: outputFlag,
    'node-data': Flags.option({
      description: 'Nodes whose kubelet metrics and log to capture (needs get nodes/proxy).',
      options: ['none', 'unhealthy', 'all'] as const,
      default: 'unhealthy' as const,
    })(),
    // One name with `pleg --since`; --log-since is the old name, kept as a hidden alias.
    since: Flags.string({ description: 'How far back to capture the kubelet log (e.g. 30m, 2h; a bare number is seconds).', default: '1h', aliases: ['log-since'] }),
  };

  async run(): Promise<SnapshotManifest> {
    const { args, flags } = await this.parse(Snapshot);
    if (flags.from || flags.file) throw new UsageError('snapshot captures a live cluster; --from and -f are for analysis', 'drop --from/-f');
    const since = durationSeconds('since', flags.since);
    if (existsSync(args.dir) && !statSync(args.dir).isDirectory()) throw new UsageError(`${args.dir} is a file, not a directory`, 'give podscope snapshot a new or empty directory');
    const human = flags.output === 'table' || flags.output === 'wide';
    const spinner = await startSpinner('capturing', human && !this.jsonEnabled());
    let manifest: SnapshotManifest;
    try {
      const source = await this.source(flags).catch((e: unknown) => {
        // The usual hint offers --from/-f, which snapshot cannot read: it captures a live cluster.
        throw e instanceof DataError && e.message.startsWith('no kubeconfig found') ? new DataError(e.message, 'snapshot captures a live cluster: give --kubeconfig FILE or set KUBECONFIG') : e;
      });
      manifest = await recordSnapshot({
        source,
        dir: args.dir,
        scope: this.scope(flags, source),
        nodeData: flags['node-data'] as NodeDataMode,
        logSinceSeconds: since,
        now: new Date(),
        version: VERSION,
        progress: (t) => spinner.text(`capturing ${t}`),
      });
    } finally {
      spinner.stop();
    }
    if (!this.emitData(flags.output, manifest)) {
      const counts = Object.entries(manifest.resources).map(([k, v]) => `${v} ${k}`).join(', ');
      const lines = [`Snapshot written to ${args.dir}: ${counts || 'no objects'}.`];
      lines.push(`Kubelet metrics from ${manifest.nodeData.metrics.length} node(s), kubelet logs from ${manifest.nodeData.kubeletLogs.length}.`);
      for (const u of manifest.unavailable) lines.push(`not captured: ${u.input}${'node' in u && u.node ? ` (${u.node})` : ''}: ${u.reason}`);
      lines.push(`Analyse it with: ${cliName()} check --from ${args.dir}`);
      this.emit(lines.join('\n'));
    }
    return manifest;
  }
}
