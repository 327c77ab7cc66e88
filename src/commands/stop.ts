import { createInterface } from 'node:readline/promises';
import { Args, Flags } from '@oclif/core';
import { PodscopeCommand } from '../cli/base.js';
import { durationSeconds, gateFlags, outputFlag, sourceFlags } from '../cli/flags.js';
import { stopResult } from '../analysis/stop/result.js';
import type { StopResult } from '../analysis/stop/result.js';
import { stopVerdict } from '../analysis/stop/verdict.js';
import { UsageError } from '../errors.js';
import { gatherStop } from '../gather/stop.js';
import { runTrace } from '../gather/trace.js';
import { escapeControl } from '../render/escape.js';
import { renderStopTable } from '../render/stop.js';
import { analyseStop } from '../report/findings.js';
import { isOffline } from '../source/open.js';
import { StopTracer } from '../source/stop-trace.js';

/** `podscope stop POD`: will stopping this pod drop traffic? Static verdict, or a live trace of a deletion. */
export default class Stop extends PodscopeCommand {
  static override summary = 'Will stopping this pod drop traffic? Static check, or a live trace of endpoint and kube-proxy lag.';
  static override description = `Without --watch or --delete, reads the pod, the Services that select it and their EndpointSlices, and runs the STOP checks (preStop delay, grace period, sidecar stop order). With --watch (someone else deletes the pod) or --delete --yes (podscope deletes exactly this pod, its only write), watches the pod, the EndpointSlices and the pod's events and prints a timeline in milliseconds from the deletion, and the window in which new connections could still reach the stopping app. Ctrl-C prints the timeline so far. Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on; 2 usage error (also --delete without --yes off a terminal); 3 could not gather data.`;
  static override examples = [
    '<%= config.bin %> stop web-7d9f8-abcde -n shop',
    '<%= config.bin %> stop web-7d9f8-abcde -n shop --delete --yes',
    '<%= config.bin %> stop web-7d9f8-abcde -n shop --watch --timeout 5m -o json',
    '<%= config.bin %> stop -f deploy.yaml web',
  ];
  static override args = { pod: Args.string({ description: 'Pod name (pod/NAME accepted); optional when the input (-f, or the namespace) holds one pod.' }) };
  static override flags = {
    ...sourceFlags,
    namespace: Flags.string({ char: 'n', description: "Namespace (default: the context's namespace; offline: wherever the pod is)." }),
    ...gateFlags,
    output: outputFlag,
    watch: Flags.boolean({ description: 'Wait for someone else to delete the pod and trace it.', default: false, exclusive: ['delete'] }),
    delete: Flags.boolean({ description: 'Delete exactly this pod (its own grace period) and trace it. Asks first unless --yes.', default: false }),
    yes: Flags.boolean({ char: 'y', description: 'Do not ask before --delete.', default: false }),
    timeout: Flags.string({ description: 'How long a trace may run (e.g. 90s, 5m; a bare number is seconds).', default: '2m' }),
    'kube-proxy-metrics': Flags.string({ description: "URL of a kube-proxy's /metrics (default: the pod's node through the API server, port 10249)." }),
  };

  async run(): Promise<StopResult> {
    const { args, flags } = await this.parse(Stop);
    const tracing = flags.watch || flags.delete;
    if (tracing && isOffline(flags)) throw new UsageError('--watch and --delete trace a live cluster; they cannot read --from or -f', 'drop --from/-f, or drop --watch/--delete for the static check');
    if (flags.yes && !flags.delete) throw new UsageError('--yes only confirms --delete', 'add --delete, or drop --yes');
    const timeoutSec = durationSeconds('timeout', flags.timeout);

    const source = await this.source(flags);
    const g = analyseStop(await gatherStop(source, { pod: args.pod, namespace: flags.namespace }), new Date());
    let result: StopResult;
    if (!tracing) {
      result = stopResult(g.static, g.findings, g.unavailable);
    } else {
      const tracer = StopTracer.of(source);
      if (!tracer) throw new UsageError('tracing needs a live cluster', 'drop --from/-f');
      const ref = `${g.static.pod.namespace}/${g.static.pod.name}`;
      if (g.pod.metadata?.deletionTimestamp) throw new UsageError(`pod ${ref} is already terminating`, 'trace a pod that is still running');
      if (flags.delete && !flags.yes) await this.confirm(`Delete pod ${ref} (grace period ${g.static.gracePeriodSeconds} s) and trace it? [y/N] `);
      const ac = new AbortController();
      const onSigint = () => ac.abort();
      process.once('SIGINT', onSigint);
      const human = (flags.output === 'table' || flags.output === 'wide') && !this.jsonEnabled();
      try {
        const trace = await runTrace({
          driver: tracer,
          pod: g.pod,
          mode: flags.delete ? 'delete' : 'watch',
          timeoutMs: timeoutSec * 1000,
          signal: ac.signal,
          kubeProxyUrl: flags['kube-proxy-metrics'],
          services: g.static.services.map((s) => s.name),
          progress: human ? (line) => process.stderr.write(`${escapeControl(line)}\n`) : undefined,
        });
        const unknownPreStop = g.static.containers.some((c) => c.role === 'app' && c.preStop !== null && c.preStop.seconds === null);
        const verdict = stopVerdict({
          timeline: trace.timeline,
          preStopSeconds: g.static.preStopSeconds,
          preStopUnknown: unknownPreStop,
          gracePeriodSeconds: trace.timeline.gracePeriodSeconds ?? g.static.gracePeriodSeconds,
          kubeProxy: trace.kubeProxy,
          ended: trace.ended,
        });
        result = stopResult(g.static, g.findings, g.unavailable, { result: trace, verdict });
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    }
    if (!this.emitData(flags.output, result)) {
      this.emit(renderStopTable(result, { ...this.renderOptions(), wide: flags.output === 'wide' }));
    }
    this.gate(result.findings, result.unavailable.length > 0, flags);
    return result;
  }

  /** Asks on the terminal; refuses (exit 2) when there is none to ask on. */
  private async confirm(question: string): Promise<void> {
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw new UsageError('--delete needs --yes when not run on a terminal', 'add --yes to delete without asking');
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(question);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('not deleted: the answer was not yes', 'run again and answer y, or pass --yes');
  }
}
