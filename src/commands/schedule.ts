import { Args } from '@oclif/core';
import { analyseSchedule } from '../analysis/schedule/index.js';
import type { ScheduleResult } from '../analysis/schedule/index.js';
import { PodscopeCommand } from '../cli/base.js';
import { gateFlags, outputFlag, sourceFlags } from '../cli/flags.js';
import { scopeFlags } from '../cli/flags.js';
import { startSpinner } from '../cli/spinner.js';
import { DataError } from '../errors.js';
import { gatherSchedule } from '../gather/schedule.js';
import { escapeControl } from '../render/escape.js';
import { renderScheduleTable } from '../render/schedule.js';

/** The live cluster a node-less -f file is checked against could not be opened: say why it was needed. */
function noNodes(err: unknown, file: string | undefined): unknown {
  if (!(err instanceof DataError)) return err;
  return new DataError(`${file} holds no nodes, so schedule checks it against the live cluster's nodes, but ${err.message}`, 'give --kubeconfig or --context, or add the nodes to the file (kubectl get nodes -o yaml)');
}

/** `podscope schedule POD`: why is this pod Pending, node by node, in the scheduler's own terms. */
export default class Schedule extends PodscopeCommand {
  static override summary = "Explain, node by node, why a pod is Pending (or where it can go) in the scheduler's own terms.";
  static override description = `Evaluates every node against the scheduler's filters in its default order (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity), prints the first failing filter per node with the scheduler's reason, the "0/N nodes are available" line podscope computes, and whether the pod's latest FailedScheduling event agrees. With -f, a file without nodes is checked against the live cluster's nodes (a "will this schedule?" dry run). Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on (default critical); 2 usage error; 3 could not gather data; 4 with --strict, some input was unavailable.`;
  static override examples = [
    '<%= config.bin %> schedule web-7d9f -n shop',
    '<%= config.bin %> schedule -f deploy.yaml            # will this Deployment schedule on the current cluster?',
    '<%= config.bin %> schedule web-7d9f -n shop --from ./snapshot -o json',
  ];
  static override args = { pod: Args.string({ description: 'Pod name (pod/NAME accepted); optional when the input (-f, or the namespace) holds one pod, or one Pending pod.' }) };
  static override flags = { ...sourceFlags, namespace: scopeFlags.namespace, output: outputFlag, ...gateFlags };

  async run(): Promise<ScheduleResult> {
    const { args, flags } = await this.parse(Schedule);
    const human = flags.output === 'table' || flags.output === 'wide';
    const spinner = await startSpinner('gathering', human && !this.jsonEnabled());
    let analysis;
    let now = new Date();
    try {
      const source = await this.source(flags);
      const g = await gatherSchedule(source, { pod: args.pod, namespace: flags.namespace, fromFile: flags.file !== undefined, cluster: () => this.source({ ...flags, file: undefined }).catch((e: unknown) => { throw noNodes(e, flags.file); }) });
      if (g.podsPartial) process.stderr.write(`podscope: ${escapeControl(g.podsPartial)}\n`);
      // Offline, "now" is when the snapshot was taken, so event ages read as they did then.
      now = (g.info.capturedAt ? new Date(g.info.capturedAt) : undefined) ?? new Date();
      analysis = analyseSchedule({ pod: g.pod, nodes: g.nodes, pods: g.pods, events: g.events, serverVersion: g.info.serverVersion, now });
    } finally {
      spinner.stop();
    }
    if (!this.emitData(flags.output, analysis.result)) {
      this.emit(renderScheduleTable(analysis, { ...this.renderOptions(), wide: flags.output === 'wide', now }));
    }
    this.gate(analysis.result.findings, analysis.result.findings.some((f) => f.checkId === 'SCH007'), flags);
    return analysis.result;
  }
}
