/**
 * The schedule oracle: random worlds and pods (generate.ts) are created on a real control plane,
 * the real kube-scheduler places or rejects each pod, and podscope's verdict on the same state is
 * compared: the node the scheduler chose must be one podscope says fits; a pod the scheduler
 * rejects must fit nowhere in podscope's view, and the counts of its FitError message must equal
 * podscope's summary. Needs only a KubeConfig, so it runs under the integration harness or against
 * any scratch cluster whose nodes kwok manages.
 */
import { CoreV1Api, type KubeConfig, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { analyseSchedule } from '../../src/analysis/schedule/index.js';
import { keyedCounts, parseFailedScheduling } from '../../src/parse/failed-scheduling.js';
import { Rand, incoming, nodeOf, world } from './generate.js';
import type { World } from './generate.js';

/** One scenario's outcome. */
export interface Outcome {
  id: string;
  scheduledTo: string | null;
  message: string | null;
  podscopeFits: string[];
  podscopeSummary: string;
  /** Verdict agreement: placement in podscope's fitting set, or no fitting node for a rejected pod. */
  agrees: boolean;
  /** For rejected pods: whether the message's counts equal podscope's. */
  countsAgree: boolean | null;
  disagreement: string | null;
  /** A copy pinned to one node (matchFields metadata.name): the scheduler's verdict for that node vs podscope's. */
  probe: { node: string; schedulerFits: boolean; podscopeFits: boolean; agrees: boolean; message: string | null } | null;
  /** Bound pods changed between podscope's read and the decision (e.g. another test's pods went away): not comparable. */
  unstable: boolean;
  pod: V1Pod;
}

function sortKeys(o: Record<string, number>): [string, number][] {
  return Object.entries(o).sort((a, b) => a[0].localeCompare(b[0]));
}

/** The bound, non-terminal pods on existing nodes: what the scheduler counts. */
function boundSet(pods: V1Pod[], skip: string, nodes: Set<string>): string {
  return pods
    .filter((p) => p.spec?.nodeName && nodes.has(p.spec.nodeName) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && `${p.metadata?.namespace}/${p.metadata?.name}` !== skip)
    .map((p) => `${p.metadata?.namespace}/${p.metadata?.name}@${p.spec?.nodeName}`)
    .sort()
    .join(',');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A kwok-managed Node object for a world node (kwok's annotation selector: kwok.x-k8s.io/node=fake). */
function kwokNode(n: V1Node): V1Node {
  return { ...n, metadata: { ...n.metadata, annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' } } };
}

/**
 * Creates the world's namespaces, nodes and bound pods. Nodes are plain kwok Node objects (no
 * kubelet endpoint: the scheduler does not need one). The harness's addNodes is not used: it
 * waits for nodes without any node.kubernetes.io/* taint, which a cordoned node never reaches.
 */
async function createWorld(core: CoreV1Api, w: World): Promise<void> {
  for (const ns of w.namespaces) await core.createNamespace({ body: { metadata: { name: ns } } });
  for (const s of w.nodes) await core.createNode({ body: kwokNode(nodeOf(s)) });
  const names = new Set(w.nodes.map((s) => s.name));
  // Ready, and the node lifecycle controller has lifted its not-ready taint.
  await waitFor('world nodes Ready', async () => {
    const nodes = (await core.listNode()).items.filter((n) => names.has(n.metadata?.name ?? ''));
    const ok = nodes.length === names.size && nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !(n.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/not-ready' || t.key === 'node.kubernetes.io/unreachable'));
    return ok ? true : undefined;
  }, 60_000);
  for (const ns of w.namespaces) await waitFor(`default service account in ${ns}`, async () => ((await core.listNamespacedServiceAccount({ namespace: ns })).items.length ? true : undefined));
  for (const p of w.pods) await core.createNamespacedPod({ namespace: p.metadata!.namespace!, body: p });
  // Give the scheduler's informers a moment to see the bound pods.
  await sleep(500);
}

async function dropWorld(core: CoreV1Api, w: World): Promise<void> {
  // Pods that landed on shared nodes would otherwise vanish during the next world, whenever the
  // namespace controller gets to them: remove them now and wait until they are gone.
  for (const ns of w.namespaces) {
    for (const p of (await core.listNamespacedPod({ namespace: ns })).items) await core.deleteNamespacedPod({ namespace: ns, name: p.metadata!.name!, gracePeriodSeconds: 0 }).catch(() => undefined);
  }
  await waitFor(`pods of ${w.id} gone`, async () => {
    for (const ns of w.namespaces) if ((await core.listNamespacedPod({ namespace: ns })).items.length) return undefined;
    return true;
  }, 60_000).catch(() => undefined);
  for (const s of w.nodes) await core.deleteNode({ name: s.name }).catch(() => undefined);
  for (const ns of w.namespaces) await core.deleteNamespace({ name: ns }).catch(() => undefined);
}

function classify(o: Omit<Outcome, 'agrees' | 'countsAgree' | 'disagreement' | 'unstable' | 'probe'>, podscopeCounts: Record<string, number>, nodes: number): Pick<Outcome, 'agrees' | 'countsAgree' | 'disagreement'> {
  if (o.scheduledTo) {
    if (o.podscopeFits.includes(o.scheduledTo)) return { agrees: true, countsAgree: null, disagreement: null };
    return { agrees: false, countsAgree: null, disagreement: `scheduler placed on ${o.scheduledTo}, podscope rejects it` };
  }
  const parsed = o.message ? parseFailedScheduling(o.message) : null;
  let countsAgree = false;
  const diffs: string[] = [];
  if (parsed) {
    const theirs = keyedCounts(parsed.main.counts);
    const ours = keyedCounts(podscopeCounts);
    for (const k of [...new Set([...Object.keys(theirs), ...Object.keys(ours)])].sort()) if ((theirs[k] ?? 0) !== (ours[k] ?? 0)) diffs.push(`${k}: scheduler ${theirs[k] ?? 0}, podscope ${ours[k] ?? 0}`);
    if (parsed.main.total !== nodes) diffs.push(`nodes: scheduler ${parsed.main.total}, podscope ${nodes}`);
    if (parsed.main.preFilter) diffs.push(`prefilter: ${parsed.main.preFilter}`);
    countsAgree = diffs.length === 0;
  }
  if (o.podscopeFits.length) return { agrees: false, countsAgree, disagreement: `scheduler rejects, podscope fits ${o.podscopeFits.join(',')}` };
  return { agrees: true, countsAgree, disagreement: countsAgree ? null : `counts differ: ${diffs.join('; ') || 'unparsed message'}` };
}

/**
 * A copy of the pod pinned to one node by `matchFields metadata.name In [node]` ANDed into every
 * required term, or null when pinning would change the verdict on other grounds: hard spread
 * constraints honour node affinity when picking domains, and terms that already pin by name.
 */
function pinned(spec: V1Pod, node: string, name: string): V1Pod | null {
  if ((spec.spec?.topologySpreadConstraints ?? []).some((c) => c.whenUnsatisfiable === 'DoNotSchedule' && c.nodeAffinityPolicy !== 'Ignore')) return null;
  const req = spec.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req?.nodeSelectorTerms.some((t) => (t.matchFields ?? []).length > 0)) return null;
  const pin = { key: 'metadata.name', operator: 'In', values: [node] };
  const terms = req ? req.nodeSelectorTerms.map((t) => ({ ...t, matchFields: [pin] })) : [{ matchFields: [pin] }];
  const copy = structuredClone(spec);
  copy.metadata = { ...copy.metadata, name };
  copy.spec!.affinity = { ...copy.spec!.affinity, nodeAffinity: { ...copy.spec!.affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
  return copy;
}

async function decide(core: CoreV1Api, ns: string, name: string): Promise<V1Pod> {
  return waitFor(`decision for ${ns}/${name}`, async () => {
    const p = await core.readNamespacedPod({ namespace: ns, name });
    const cond = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
    return p.spec?.nodeName || (cond?.status === 'False' && cond.reason === 'Unschedulable') ? p : undefined;
  }, 20_000);
}

/** Runs `worlds` worlds of `perWorld` incoming pods each; returns every outcome. */
export async function runOracle(kc: KubeConfig, opts: { seed: number; worlds: number; perWorld: number; log?: (s: string) => void }): Promise<Outcome[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const r = new Rand(opts.seed);
  const out: Outcome[] = [];
  // Unique per run: namespaces of an earlier run may still be terminating.
  const run = Date.now().toString(36).slice(-5);
  // Nodes left by an interrupted run would take part in every decision.
  for (const n of (await core.listNode()).items) if (n.metadata?.name?.startsWith('oracle-')) await core.deleteNode({ name: n.metadata.name });
  for (let wi = 0; wi < opts.worlds; wi++) {
    const w = world(r, `${run}w${wi}`);
    // Pods of other tests' dropped namespaces go away while they terminate: start from a still world.
    await waitFor('no terminating pods', async () => ((await core.listPodForAllNamespaces()).items.some((p) => p.metadata?.deletionTimestamp) ? undefined : true), 120_000);
    try {
      await createWorld(core, w);
      for (let i = 0; i < opts.perWorld; i++) {
        const spec = incoming(r, w, i);
        const ns = spec.metadata!.namespace!;
        const nodes = (await core.listNode()).items;
        const pods = (await core.listPodForAllNamespaces()).items;
        // The probe runs first, on the same state, and is gone before the pod itself is created.
        const probeNode = r.pick(nodes).metadata!.name!;
        const probeSpec = pinned(spec, probeNode, `probe-${i}`);
        let probeDecided: V1Pod | null = null;
        if (probeSpec) {
          await core.createNamespacedPod({ namespace: ns, body: probeSpec });
          probeDecided = await decide(core, ns, probeSpec.metadata!.name!);
          await core.deleteNamespacedPod({ namespace: ns, name: probeSpec.metadata!.name!, gracePeriodSeconds: 0 });
          await waitFor('probe gone', async () => ((await core.listNamespacedPod({ namespace: ns })).items.some((p) => p.metadata?.name === probeSpec.metadata!.name) ? undefined : true));
          await sleep(300);
        }
        const created = await core.createNamespacedPod({ namespace: ns, body: spec });
        const decided = await decide(core, ns, spec.metadata!.name!);
        const analysis = analyseSchedule({ pod: created, nodes, pods, events: [], serverVersion: 'v1.36.3', now: new Date() });
        const base = {
          id: `${w.id}/${i}`,
          scheduledTo: decided.spec?.nodeName ?? null,
          message: decided.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? null,
          podscopeFits: analysis.result.nodes.filter((n) => n.fits).map((n) => n.name),
          podscopeSummary: analysis.result.summary,
          pod: spec,
        };
        const after = (await core.listPodForAllNamespaces()).items;
        const self = `${ns}/${spec.metadata!.name}`;
        const names = new Set(nodes.map((n) => n.metadata?.name ?? ''));
        const unstable = boundSet(pods, self, names) !== boundSet(after, self, names);
        let probe: Outcome['probe'] = null;
        if (probeDecided) {
          const row = analysis.evaluation.nodes.find((n) => n.name === probeNode)!;
          const schedulerFits = probeDecided.spec?.nodeName === probeNode;
          const message = probeDecided.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? null;
          let agrees = schedulerFits === row.fits;
          if (agrees && !schedulerFits) {
            const expected: Record<string, number> = { "node(s) didn't satisfy plugin(s) [NodeAffinity]": nodes.length - 1 };
            for (const reason of row.reasons) expected[reason] = (expected[reason] ?? 0) + 1;
            const got = message ? parseFailedScheduling(message) : null;
            agrees = got !== null && JSON.stringify(sortKeys(keyedCounts(got.main.counts))) === JSON.stringify(sortKeys(keyedCounts(expected)));
          }
          probe = { node: probeNode, schedulerFits, podscopeFits: row.fits, agrees, message };
        }
        const o = { ...base, ...classify(base, analysis.evaluation.counts, nodes.length), unstable, probe };
        if (probe && !probe.agrees) opts.log?.(`${o.id}: probe on ${probe.node}: scheduler ${probe.schedulerFits ? 'fits' : `rejects (${probe.message})`}, podscope ${probe.podscopeFits ? 'fits' : `rejects (${analysis.evaluation.nodes.find((n) => n.name === probeNode)?.reasons.join(', ')})`}`);
        out.push(o);
        if (o.disagreement) opts.log?.(`${o.id}: ${o.disagreement}\n  scheduler: ${o.message ?? o.scheduledTo}\n  podscope:  ${o.podscopeSummary}`);
        // A rejected pod could be placed later (e.g. once an affine pod lands) and change the world.
        if (!o.scheduledTo) await core.deleteNamespacedPod({ namespace: ns, name: spec.metadata!.name!, gracePeriodSeconds: 0 }).catch(() => undefined);
      }
    } finally {
      await dropWorld(core, w);
    }
  }
  return out;
}

/** Agreement figures and disagreement classes. */
export function summarise(all: Outcome[]): { total: number; unstable: number; agree: number; rate: number; countsChecked: number; countsAgree: number; probes: number; probesAgree: number; classes: Record<string, number> } {
  const classes: Record<string, number> = {};
  const outcomes = all.filter((o) => !o.unstable);
  for (const o of outcomes) {
    if (!o.disagreement) continue;
    const k = o.disagreement.replace(/oracle-\S+?-n\d+/g, 'NODE').replace(/\d+/g, 'N');
    classes[k] = (classes[k] ?? 0) + 1;
  }
  for (const o of outcomes) if (o.probe && !o.probe.agrees) classes[`probe: scheduler ${o.probe.schedulerFits ? 'fits' : 'rejects'}, podscope ${o.probe.podscopeFits ? 'fits' : 'rejects'}`] = (classes[`probe: scheduler ${o.probe.schedulerFits ? 'fits' : 'rejects'}, podscope ${o.probe.podscopeFits ? 'fits' : 'rejects'}`] ?? 0) + 1;
  const probes = outcomes.filter((o) => o.probe);
  const agree = outcomes.filter((o) => o.agrees).length;
  const checked = outcomes.filter((o) => o.countsAgree !== null);
  return { total: outcomes.length, unstable: all.length - outcomes.length, agree, rate: outcomes.length ? agree / outcomes.length : 0, countsChecked: checked.length, countsAgree: checked.filter((o) => o.countsAgree).length, probes: probes.length, probesAgree: probes.filter((o) => o.probe?.agrees).length, classes };
}
