import { Args, Flags } from '@oclif/core';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { PodscopeCommand } from '../cli/base.js';
import { gateFlags, outputFlag, sourceFlags } from '../cli/flags.js';
import { eventLine, eventTime, eventsOfPod } from '../analysis/anatomy/events.js';
import { inspectPod } from '../analysis/anatomy/index.js';
import type { AnatomyResult } from '../analysis/anatomy/types.js';
import { DataError, UsageError } from '../errors.js';
import { renderAnatomyTable } from '../render/anatomy.js';
import { FROM_TEMPLATE } from '../source/files.js';
import { FIELD_SELECTORS } from '../source/resources.js';
import type { ClusterSource } from '../source/types.js';

const ref = (p: V1Pod) => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name ?? '?'}`;

/** Finds the pod to inspect: by name (in -n, or the only match offline), or the only pod of a file. */
async function findPod(source: ClusterSource, name: string | undefined, namespace: string | undefined, offline: boolean): Promise<V1Pod> {
  if (name && (namespace || !offline)) {
    const ns = namespace ?? source.defaultNamespace ?? 'default';
    const got = await source.getPod(ns, name);
    if (!got.ok) throw new DataError(got.unavailable.reason, got.unavailable.fix);
    return got.value;
  }
  if (!offline) throw new UsageError('name the pod to inspect', 'podscope inspect POD -n NAMESPACE');
  const listed = await source.list('pods', { namespace, allNamespaces: namespace === undefined });
  if (!listed.ok) throw new DataError(listed.unavailable.reason, listed.unavailable.fix);
  const pods = name ? listed.value.filter((p) => p.metadata?.name === name) : listed.value;
  if (pods.length === 1) return pods[0];
  const names = listed.value.slice(0, 10).map(ref).join(', ');
  if (!name) throw new UsageError(`name the pod to inspect: the input holds ${pods.length} pods`, pods.length ? `e.g. podscope inspect ${pods[0].metadata?.name} (pods: ${names})` : undefined);
  if (!pods.length) throw new DataError(`pod "${name}" is not in the input${namespace ? ` (namespace ${namespace})` : ''}`, names ? `pods there: ${names}` : 'check the name');
  throw new UsageError(`pod "${name}" is in several namespaces: ${pods.map(ref).join(', ')}`, 'pick one with -n NAMESPACE');
}

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
    pod: Args.string({ description: 'Pod name (optional with -f or --from when the input holds one pod).', required: false }),
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
    const pod = await findPod(source, args.pod, flags.namespace, Boolean(flags.from || flags.file));
    const notes: string[] = [];
    let events: CoreV1Event[] | undefined;
    const evScope = { namespace: pod.metadata?.namespace ?? 'default', allNamespaces: false, fieldSelector: FIELD_SELECTORS.eventsOfPod(pod.metadata?.name ?? '') };
    const evs = await source.list('events', evScope);
    if (evs.ok) events = evs.value;
    else if (!flags.file) notes.push(`events: ${evs.unavailable.reason}${evs.unavailable.fix ? ` (${evs.unavailable.fix})` : ''}; checks that read events were not run`);
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
    this.gate(result.findings, !evs.ok && !flags.file, flags);
    return result;
  }
}
