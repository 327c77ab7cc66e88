import { scrubText } from '../../parse/secret-text.js';
import { formatSeconds } from '../../parse/duration.js';
import { formatLogTime } from '../../parse/kubelet-log.js';
import { knownBadFor, kubeletBefore114 } from './known-bad.js';
import type { SignatureHits } from './logscan.js';
import { CNI_FAILED, CRI_TIMEOUT, RUNTIME_GONE, conditionTrue, density, eventEvidence, readiness } from './node-facts.js';
import { remediationFor } from './remediation.js';
import { RELIST_CALLS } from './signatures.js';
import type { CauseId, SignatureId } from './signatures.js';
import type { NodeInputs, PlegCause } from './types.js';

/** CRI operation_type labels on the relist path (pkg/kubelet/kuberuntime/instrumented_services.go). */
const RELIST_OPS = new Set(['list_podsandbox', 'list_containers', 'podsandbox_status', 'container_status']);

/** Causes that explain CRI timeouts: when one is strong, the timeouts are its symptom. */
const ROOTS: readonly CauseId[] = ['pid-exhaustion', 'cni-failure', 'disk-io', 'resource-starvation', 'known-bad-version', 'relist-deadlock'];

/** The smallest confidence worth reporting. */
const MIN_CONFIDENCE = 0.3;

/** Evidence lines for a log signature: the count and time span, then its distinct lines. */
export function logEvidence(h: SignatureHits | undefined, max = 2): string[] {
  if (!h) return [];
  const span = h.first !== null ? ` (${formatLogTime(h.first)} → ${formatLogTime(h.last)})` : '';
  const lines = h.examples.slice(-max);
  return lines.map((l, i) => (i === 0 ? `log ×${h.count}${span}: ${l}` : `log: ${l}`));
}

class Tally {
  private readonly w = new Map<CauseId, { miss: number; evidence: string[] }>();
  add(id: CauseId, weight: number, evidence: string[]): void {
    if (weight <= 0) return;
    const e = this.w.get(id) ?? { miss: 1, evidence: [] };
    e.miss *= 1 - Math.min(weight, 0.95);
    // Log lines, event and condition messages are quoted: credentials in them are scrubbed.
    e.evidence.push(...evidence.map(scrubText));
    this.w.set(id, e);
  }
  confidence(id: CauseId): number {
    const e = this.w.get(id);
    return e ? 1 - e.miss : 0;
  }
  scale(id: CauseId, factor: number, note: string): void {
    const e = this.w.get(id);
    if (!e) return;
    e.miss = 1 - (1 - e.miss) * factor;
    e.evidence.push(note);
  }
  entries(): [CauseId, { miss: number; evidence: string[] }][] {
    return [...this.w.entries()];
  }
}

function fromLog(t: Tally, inp: NodeInputs): void {
  const log = inp.log;
  if (!log) return;
  const hit = (id: SignatureId) => log.hits[id];
  const cri = hit('cri-deadline');
  if (cri) {
    const relistCalls = Object.keys(log.criCalls).filter((c) => RELIST_CALLS.includes(c));
    const calls = Object.entries(log.criCalls).filter(([c]) => c !== 'other').sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ×${n}`).join(', ');
    t.add('runtime-rpc-timeout', 0.55 + (relistCalls.length ? 0.15 : 0) + Math.min(0.15, cri.count / 100), [...logEvidence(cri), ...(calls ? [`CRI calls timing out: ${calls}`] : [])]);
  }
  t.add('runtime-rpc-timeout', hit('pleg-relist-error') ? 0.6 : 0, logEvidence(hit('pleg-relist-error'), 1));
  const gone = hit('runtime-unreachable');
  t.add('runtime-down', gone ? 0.85 + Math.min(0.1, gone.count / 50) : 0, logEvidence(gone));
  // "container runtime is down" also follows a hung runtime whose Status call times out: weaker then.
  const down = hit('runtime-down');
  t.add('runtime-down', down ? (cri ? 0.35 : 0.75) : 0, logEvidence(down, 1));
  t.add('pid-exhaustion', hit('pid') ? 0.85 : 0, logEvidence(hit('pid')));
  const cni = hit('cni');
  t.add('cni-failure', cni ? 0.75 + Math.min(0.15, cni.count / 50) + (log.cniHangs ? 0.05 : 0) : 0, logEvidence(cni));
  const dump = hit('cni-dump');
  t.add('cni-failure', dump ? 0.85 : 0, [
    ...logEvidence(dump, 1),
    `goroutine dump: the kubelet waits in the CNI status call${log.cniDumpMinutes ? ` for ${log.cniDumpMinutes} minutes` : ''} (kubernetes#45419, projectcalico/calico#2098)`,
  ]);
  t.add('cni-failure', log.lateCniNotReady ? 0.4 : 0, [`log: CNI not ready ×${log.lateCniNotReady} after the start-up window`, ...logEvidence(hit('cni-not-ready'), 1).slice(0, 1)]);
  t.add('disk-io', hit('disk') ? 0.75 + Math.min(0.1, (hit('disk')?.count ?? 0) / 50) : 0, logEvidence(hit('disk')));
  t.add('resource-starvation', hit('starvation') ? 0.6 : 0, logEvidence(hit('starvation')));
  t.add('relist-deadlock', hit('relist-dump') ? 0.9 : 0, [
    ...logEvidence(hit('relist-dump'), 1),
    'goroutine dump: PLEG relist blocked on a channel send (kubernetes#72482)',
  ]);
  t.add('pod-density', hit('channel-full') ? 0.3 : 0, logEvidence(hit('channel-full'), 1));
}

function fromMetrics(t: Tally, inp: NodeInputs): void {
  const m = inp.metrics;
  if (!m) return;
  const how = m.mode === 'rate' ? `in ${formatSeconds(m.windowSeconds ?? 0)}` : 'since kubelet start';
  const errs = Object.entries(m.runtimeErrors).filter(([op]) => RELIST_OPS.has(op));
  if (errs.length) {
    t.add('runtime-rpc-timeout', m.mode === 'rate' ? 0.45 : 0.25, errs.map(([op, n]) => `metric kubelet_runtime_operations_errors_total{operation_type="${op}"} ${m.mode === 'rate' ? '+' : ''}${n} ${how}`));
  }
  for (const [op, q] of Object.entries(m.runtimeP99)) {
    if (RELIST_OPS.has(op) && q.value >= 10) {
      t.add('runtime-rpc-timeout', 0.5, [`metric kubelet_runtime_operations_duration_seconds{operation_type="${op}"} p99 ${q.saturated ? '≥' : ''}${formatSeconds(q.value)}`]);
    }
  }
  if (m.runningPods !== null && m.runningPods > 110 && !inp.pods) {
    t.add('pod-density', 0.45, [`metric kubelet_running_pods ${m.runningPods} (default max-pods is 110)`]);
  }
  if (m.containers.exited !== null && m.containers.exited >= 1000) {
    t.add('pod-density', 0.4, [`metric kubelet_running_containers{container_state="exited"} ${m.containers.exited}: relist lists every one`]);
  }
  if (m.discardEvents !== null && m.discardEvents > 0) {
    t.add('pod-density', 0.3, [`metric kubelet_pleg_discard_events ${m.mode === 'rate' ? '+' : ''}${m.discardEvents} ${how}: more pod events than the sync loop consumes`]);
  }
  const p99 = m.relist?.p99;
  if (p99 && (p99.saturated || p99.value >= 5) && !errs.length) {
    t.add('pod-density', 0.35, [`metric kubelet_pleg_relist_duration_seconds p99 ${p99.saturated ? '≥' : ''}${formatSeconds(p99.value)} with no CRI errors: the relist itself is slow`]);
  }
}

function fromCluster(t: Tally, inp: NodeInputs, unhealthy: boolean): void {
  const events = inp.events ?? [];
  const msg = (re: RegExp) => (e: { message?: string }) => re.test(e.message ?? '');
  const criEv = eventEvidence(events, (e) => CRI_TIMEOUT.test(e.message ?? '') && !CNI_FAILED.test(e.message ?? ''));
  t.add('runtime-rpc-timeout', criEv.count ? 0.45 : 0, criEv.lines);
  const goneEv = eventEvidence(events, msg(RUNTIME_GONE));
  t.add('runtime-down', goneEv.count ? 0.5 : 0, goneEv.lines);
  const cniEv = eventEvidence(events, msg(CNI_FAILED));
  t.add('cni-failure', cniEv.count ? 0.5 : 0, cniEv.lines);
  const oomEv = eventEvidence(events, (e) => e.reason === 'SystemOOM');
  t.add('resource-starvation', oomEv.count ? 0.5 : 0, oomEv.lines);

  const node = inp.node;
  const ready = readiness(node);
  if (ready.status === 'False' && ready.parts.some((p) => p.kind === 'runtime-down')) {
    t.add('runtime-down', inp.log?.hits['cri-deadline'] ? 0.35 : 0.7, [`condition Ready=False: ${ready.message}`]);
  }
  const pid = conditionTrue(node, 'PIDPressure');
  t.add('pid-exhaustion', pid ? 0.6 : 0, pid ? [`condition ${pid.message}`] : []);
  const disk = conditionTrue(node, 'DiskPressure');
  t.add('disk-io', disk ? 0.35 : 0, disk ? [`condition ${disk.message}`] : []);
  const mem = conditionTrue(node, 'MemoryPressure');
  t.add('resource-starvation', mem ? 0.5 : 0, mem ? [`condition ${mem.message}`] : []);
  const net = conditionTrue(node, 'NetworkUnavailable');
  t.add('cni-failure', net ? 0.4 : 0, net ? [`condition ${net.message}`] : []);

  if (inp.pods) {
    const d = density(node, inp.pods);
    if (d.pods > 110 || d.pods >= 0.95 * d.capacity) {
      t.add('pod-density', 0.45, [`${d.pods} pods on the node, capacity ${d.capacity} (default max-pods is 110)`]);
    }
    if (d.containers + d.exited > 500) {
      t.add('pod-density', 0.3, [`${d.containers} containers in pod specs and ${d.exited} exited ones kept: relist inspects each`]);
    }
  }

  for (const { release, version } of knownBadFor(node?.status?.nodeInfo)) {
    t.add('known-bad-version', 0.75, [`${release.component} ${version}: ${release.what}`, `sources: ${release.sources.join(' ')}`]);
  }

  const version = node?.status?.nodeInfo?.kubeletVersion ?? inp.log?.kubeletVersion ?? inp.metrics?.kubeletVersion ?? null;
  if (unhealthy && kubeletBefore114(version)) {
    const condAge = ready.parts.reduce((a, p) => (p.kind === 'pleg-unhealthy' && p.lastSeenSeconds !== null ? Math.max(a, p.lastSeenSeconds) : a), 0);
    const age = Math.max(inp.log?.plegAge?.max ?? 0, condAge);
    const runtimeAnswers = !inp.log?.hits['cri-deadline'] && !inp.log?.hits['runtime-unreachable'] && !inp.log?.hits['runtime-down'] && ready.parts.every((p) => p.kind !== 'runtime-down');
    const ev = [`kubelet ${version} predates the relist deadlock fix (kubernetes#72482, fixed by PR #72709 in 1.14)`];
    // A version is a prior, not evidence (issue 12 class 4): at most 0.5 on its own. Last-seen
    // growing for a long time while the runtime answers is the deadlock's own evidence.
    let w = 0.35;
    if (age > 900 && runtimeAnswers) {
      w = 0.6;
      ev.push(`PLEG last seen ${formatSeconds(age)} ago and growing while the runtime answers: the relist never returns`, ...logEvidence(inp.log?.hits['pleg-unhealthy'], 1));
    }
    t.add('relist-deadlock', w, ev);
  }
}

/** Whether relist-deadlock has evidence of its own (a dump, a full event channel, discarded events), beyond a version. */
function deadlockEvidence(inp: NodeInputs): boolean {
  return Boolean(inp.log?.hits['relist-dump'] || inp.log?.hits['channel-full'] || (inp.metrics?.discardEvents ?? 0) > 0);
}

/** Causes with direct evidence outrank priors: a version-only suspicion stays at or below 0.5 and below them. */
function capPriors(t: Tally, inp: NodeInputs): void {
  const prior = t.confidence('relist-deadlock');
  if (prior === 0 || deadlockEvidence(inp)) return;
  const grown = prior > 0.5 && !inp.log?.hits['cri-deadline'] && !inp.log?.hits['cni'];
  const others = t.entries().filter(([id]) => id !== 'relist-deadlock').map(([id]) => t.confidence(id));
  const best = Math.max(0, ...others);
  let cap = grown ? prior : 0.5;
  if (best > 0) cap = Math.min(cap, best - 0.05);
  if (prior > cap) t.scale('relist-deadlock', Math.max(cap, 0) / prior, 'only a version prior: ranked below causes with direct evidence');
}

/** Ranks the likely causes of a node's PLEG trouble from whatever inputs it has. */
export function rankCauses(inp: NodeInputs, unhealthy: boolean): PlegCause[] {
  const t = new Tally();
  fromLog(t, inp);
  fromMetrics(t, inp);
  fromCluster(t, inp, unhealthy);
  capPriors(t, inp);
  // CRI timeouts are what PID exhaustion, CNI hangs, disk stalls, starvation and buggy runtimes
  // look like from the kubelet: when one of those is well supported, it is the root.
  const root = ROOTS.find((id) => t.confidence(id) >= 0.5 && (id !== 'relist-deadlock' || deadlockEvidence(inp) || t.confidence(id) > 0.5));
  if (root && t.confidence('runtime-rpc-timeout') > 0) {
    t.scale('runtime-rpc-timeout', root === 'known-bad-version' ? 0.7 : 0.6, `CRI timeouts are likely a consequence of ${root}`);
  }
  // A hung CNI call (IPAM, teardown) holds the runtime until the kubelet calls it down.
  if (inp.log && (inp.log.cniHangs || inp.log.hits['cni-dump']) && t.confidence('cni-failure') > 0 && t.confidence('runtime-down') > 0) {
    t.scale('runtime-down', 0.6, 'the runtime stopped answering while CNI calls hung: likely a consequence of cni-failure');
  }
  const causes = t
    .entries()
    .map(([id, e]) => ({ id, confidence: Math.round(Math.min(0.95, 1 - e.miss) * 100) / 100, evidence: [...new Set(e.evidence)], remediation: remediationFor(id, inp) }))
    .filter((c) => c.confidence >= MIN_CONFIDENCE);
  return causes.sort((a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id));
}
