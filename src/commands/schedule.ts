import { Args } from '@oclif/core';
import type { V1Pod } from '@kubernetes/client-node';
import { analyseSchedule } from '../analysis/schedule/index.js';
import type { ScheduleResult } from '../analysis/schedule/index.js';
import { PodscopeCommand } from '../cli/base.js';
import { gateFlags, outputFlag, sourceFlags } from '../cli/flags.js';
import { scopeFlags } from '../cli/flags.js';
import { startSpinner } from '../cli/spinner.js';
import { DataError, UsageError } from '../errors.js';
import { renderScheduleTable } from '../render/schedule.js';
import { FIELD_SELECTORS } from '../source/resources.js';
import type { ClusterSource, ResourceKind, ResourceMap } from '../source/types.js';

async function need<K extends ResourceKind>(source: ClusterSource, kind: K, namespace?: string): Promise<ResourceMap[K][]> {
  const r = await source.list(kind, namespace ? { namespace, allNamespaces: false } : { allNamespaces: true });
  if (r.ok) return r.value;
  throw new DataError(`cannot get ${kind}: ${r.unavailable.reason}`, r.unavailable.fix ?? 'check permissions (podscope checks lists the RBAC each input needs)');
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
  static override args = { pod: Args.string({ description: 'Pod name (pod/NAME accepted); optional with -f when the file holds one pod or workload.' }) };
  static override flags = { ...sourceFlags, namespace: scopeFlags.namespace, output: outputFlag, ...gateFlags };

  async run(): Promise<ScheduleResult> {
    const { args, flags } = await this.parse(Schedule);
    const human = flags.output === 'table' || flags.output === 'wide';
    const spinner = await startSpinner('gathering', human && !this.jsonEnabled());
    let analysis;
    let now = new Date();
    try {
      const source = await this.source(flags);
      const pod = await this.findPod(source, args.pod, flags.namespace);
      // A manifest file without nodes is a dry run against the cluster of the current context.
      const fromFile = flags.file !== undefined;
      const fileNodes = fromFile ? await source.list('nodes', { allNamespaces: true }) : undefined;
      const cluster = fromFile && !(fileNodes?.ok && fileNodes.value.length) ? await this.source({ ...flags, file: undefined }) : source;
      const ns = pod.metadata?.namespace ?? 'default';
      const nodes = await need(cluster, 'nodes');
      const allPods = await cluster.list('pods', { allNamespaces: true });
      const pods = allPods.ok ? allPods.value : await need(cluster, 'pods', ns);
      if (!allPods.ok) process.stderr.write(`podscope: pods of other namespaces unavailable (${allPods.unavailable.reason}); node usage counts only ${ns}\n`);
      const events = await cluster.list('events', { namespace: ns, allNamespaces: false, fieldSelector: FIELD_SELECTORS.eventsOfPod(pod.metadata?.name ?? '') });
      const info = await cluster.info();
      // Offline, "now" is when the snapshot was taken, so event ages read as they did then.
      now = (info.capturedAt ? new Date(info.capturedAt) : undefined) ?? new Date();
      analysis = analyseSchedule({ pod, nodes, pods, events: events.ok ? events.value : [], serverVersion: info.serverVersion, now });
    } finally {
      spinner.stop();
    }
    if (!this.emitData(flags.output, analysis.result)) {
      this.emit(renderScheduleTable(analysis, { ...this.renderOptions(), wide: flags.output === 'wide', now }));
    }
    this.gate(analysis.result.findings, analysis.result.findings.some((f) => f.checkId === 'SCH007'), flags);
    return analysis.result;
  }

  private async findPod(source: ClusterSource, arg: string | undefined, namespace: string | undefined): Promise<V1Pod> {
    const name = arg?.replace(/^pods?\//, '');
    if (name) {
      const ns = namespace ?? source.defaultNamespace;
      if (ns) {
        const got = await source.getPod(ns, name);
        if (got.ok) return got.value;
        throw new DataError(`pod ${ns}/${name}: ${got.unavailable.reason}`, got.unavailable.fix ?? 'check the name and namespace');
      }
      const all = await need(source, 'pods');
      const hits = all.filter((p) => p.metadata?.name === name);
      if (hits.length === 1) return hits[0];
      if (hits.length === 0) throw new DataError(`pod "${name}" not found`, 'check the name, or pass -n NAMESPACE');
      throw new UsageError(`pod "${name}" exists in several namespaces (${hits.map((p) => p.metadata?.namespace).join(', ')})`, 'pass -n NAMESPACE');
    }
    const pods = await need(source, 'pods', namespace);
    const pending = pods.filter((p) => !p.spec?.nodeName);
    if (pods.length === 1) return pods[0];
    if (pending.length === 1) return pending[0];
    throw new UsageError('which pod?', pods.length ? `name one of: ${pods.slice(0, 5).map((p) => p.metadata?.name).join(', ')}` : 'podscope schedule POD -n NAMESPACE');
  }
}
