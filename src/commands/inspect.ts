import { Args, Flags } from '@oclif/core';
import { PodscopeCommand } from '../cli/base.js';
import { gateFlags, outputFlag, sourceFlags } from '../cli/flags.js';
import { eventLine, eventTime, eventsOfPod } from '../analysis/anatomy/events.js';
import type { AnatomyResult } from '../analysis/anatomy/types.js';
import { gatherPod } from '../gather/pod.js';
import { renderAnatomyTable } from '../render/anatomy.js';
import { inspectPod } from '../report/findings.js';
import { FROM_TEMPLATE } from '../source/files.js';

/** `podscope inspect POD`: the pod's anatomy. */
export default class Inspect extends PodscopeCommand {
  static override summary = 'Show what is inside a pod: shared namespaces, sidecars, start and stop order, volumes, ports, restart reasons.';
  static override description =
    'Works on a live pod, on a manifest (-f: a Pod, or a Deployment/StatefulSet/DaemonSet/Job/CronJob template) and on a snapshot (--from). ' +
    'Findings come from the registered pod checks (POD001...), so `podscope check` reports the same across a namespace. Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on (default critical); 2 usage error; 3 could not gather data; 4 with --strict, some input was unavailable.';
  static override examples = [
    '<%= config.bin %> inspect web-7d9c8b6f5-x2x9q -n shop',
    '<%= config.bin %> inspect -f deployment.yaml',
    '<%= config.bin %> inspect web-0 -n shop --from ./snapshot -o json',
  ];
  static override args = {
    pod: Args.string({ description: 'Pod name (pod/NAME accepted); optional when the input (-f, or the namespace) holds one pod.', required: false }),
  };
  static override flags = {
    ...sourceFlags,
    namespace: Flags.string({ char: 'n', description: "Namespace of the pod (default: the context's namespace; offline: wherever the name is found)." }),
    output: outputFlag,
    ...gateFlags,
  };

  async run(): Promise<AnatomyResult> {
    const { args, flags } = await this.parse(Inspect);
    const source = await this.source(flags);
    const { pod, events, eventsUnavailable: missing } = await gatherPod(source, { pod: args.pod, namespace: flags.namespace });
    const notes: string[] = [];
    if (missing && !flags.file) notes.push(`events: ${missing.reason}${missing.fix ? ` (${missing.fix})` : ''}; checks that read events were not run`);
    const result = inspectPod({ pod, events, now: new Date() });
    if (!this.emitData(flags.output, result)) {
      const template = pod.metadata?.annotations?.[FROM_TEMPLATE] ?? null;
      if (template) notes.push(`${template} is a template: containers have no runtime state until a pod is created from it`);
      const warnings = eventsOfPod(pod, events ?? [])
        .filter((e) => e.type === 'Warning')
        .sort((a, b) => (eventTime(a) < eventTime(b) ? -1 : eventTime(a) > eventTime(b) ? 1 : 0))
        .slice(-5)
        .map(eventLine);
      const header = { node: pod.spec?.nodeName ?? null, phase: pod.status?.phase ?? null, template, notes, warnings };
      this.emit(renderAnatomyTable(result, header, { ...this.renderOptions(), wide: flags.output === 'wide' }));
    }
    // Events missing (live) means the event-based checks did not run: incomplete for --strict.
    this.gate(result.findings, missing !== undefined && !flags.file, flags);
    return result;
  }
}
