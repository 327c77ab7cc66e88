import { formatSeconds } from '../../parse/duration.js';
import { formatLogTime } from '../../parse/kubelet-log.js';
import { rankCauses } from './causes.js';
import { eventEvidence, notReadyCount, plegSymptomText, readiness } from './node-facts.js';
import type { NodeDiagnosis, NodeInputs } from './types.js';

/** The PLEG health threshold (pkg/kubelet/kubelet.go genericPlegRelistThreshold). */
export const PLEG_THRESHOLD_SECONDS = 180;
/** Kubelet start-up time during which `pleg has yet to be successful` is normal. */
const STARTUP_SECONDS = 300;
/**
 * While PLEG is unhealthy the sync loop logs "Skipping pod synchronization" at least every 5 s
 * (kubelet.go syncLoop backoff, max 5s): five minutes without one means it recovered.
 */
const QUIET_MS = 300_000;

interface Verdict {
  unhealthy: string[];
  degraded: string[];
  info: string[];
  lastSeen: number | null;
}

function fromCondition(v: Verdict, inp: NodeInputs): void {
  const r = readiness(inp.node);
  if (!inp.node || r.status === null) return;
  const since = r.since ? ` since ${r.since.toISOString().replace('.000Z', 'Z')}` : '';
  if (r.status === 'Unknown') {
    v.info.push(`Ready=Unknown${since}: the kubelet stopped posting node status, so the API cannot tell PLEG's state`);
    return;
  }
  const parts = [...r.parts].sort((a, b) => Number(b.kind === 'pleg-unhealthy') - Number(a.kind === 'pleg-unhealthy'));
  for (const p of parts) {
    if (p.kind === 'pleg-unhealthy') {
      v.unhealthy.push(`Ready=${r.status}${since}: ${p.text}`);
      if (p.lastSeenSeconds !== null) v.lastSeen = p.lastSeenSeconds;
    } else if (p.kind === 'runtime-down') {
      v.unhealthy.push(`Ready=${r.status}${since}: ${p.text}`);
    } else if (p.kind === 'pleg-not-yet-successful') {
      const age = r.since ? (inp.now.getTime() - r.since.getTime()) / 1000 : 0;
      if (age > STARTUP_SECONDS) v.unhealthy.push(`Ready=${r.status}${since}: PLEG has not succeeded once in ${formatSeconds(age)}`);
      else v.info.push(`Ready=${r.status}${since}: the kubelet is starting; "pleg has yet to be successful" is normal for its first minutes`);
    }
  }
}

function fromEvents(v: Verdict, inp: NodeInputs): void {
  const events = inp.events ?? [];
  const flaps = notReadyCount(events);
  if (flaps >= 2) v.degraded.push(`flapping: NodeNotReady ×${flaps} in the events`);
  const pleg = eventEvidence(events, (e) => plegSymptomText(e.message), 1);
  if (pleg.count) v.degraded.push(...pleg.lines);
}

function fromLog(v: Verdict, inp: NodeInputs): void {
  const log = inp.log;
  if (!log) return;
  const end = log.lastTime;
  const recoveredAfter = (t: number | null): boolean => {
    if (t === null) return false;
    const ready = log.hits['node-ready']?.last ?? null;
    return (ready !== null && ready > t) || (end !== null && end - t > QUIET_MS);
  };
  const h = log.hits['pleg-unhealthy'];
  if (h && log.plegAge) {
    const what = `log: PLEG is not healthy ×${h.count} (${formatLogTime(h.first)} → ${formatLogTime(h.last)}), longest ${formatSeconds(log.plegAge.max)} (threshold ${formatSeconds(log.plegAge.threshold)})`;
    if (recoveredAfter(h.last)) {
      v.degraded.push(`${what}; recovered afterwards`);
    } else {
      v.unhealthy.push(what);
      v.lastSeen ??= log.plegAge.last;
    }
  }
  if (log.lateNotYet) {
    const ny = log.hits['pleg-not-yet'];
    const line = `log: "pleg has yet to be successful" ×${log.lateNotYet} after the start-up window`;
    if (recoveredAfter(ny?.last ?? null)) v.degraded.push(line);
    else v.unhealthy.push(line);
  }
  for (const [id, what] of [['runtime-down', 'container runtime is down'], ['runtime-unreachable', 'container runtime unreachable']] as const) {
    const down = log.hits[id];
    if (!down) continue;
    const line = `log: ${what} ×${down.count} (${formatLogTime(down.first)} → ${formatLogTime(down.last)})`;
    if (recoveredAfter(down.last)) v.degraded.push(line);
    else v.unhealthy.push(line);
  }
  if (log.hits['relist-dump']) v.unhealthy.push('log: goroutine dump shows PLEG relist blocked on a channel send');
  const cri = (log.hits['cri-deadline']?.count ?? 0) + (log.hits['pleg-relist-error']?.count ?? 0);
  if (cri) v.degraded.push(`log: CRI calls timed out ×${cri}`);
  if (log.hits['channel-full']) v.degraded.push(`log: PLEG event channel full ×${log.hits['channel-full'].count} (events discarded)`);
}

function fromMetrics(v: Verdict, inp: NodeInputs): void {
  const m = inp.metrics;
  if (!m) return;
  // With Evented PLEG on, Healthy() sets last-seen to now (pkg/kubelet/pleg/evented.go): no age.
  if (m.lastSeenUnix !== null && inp.metricsAt && m.eventedPleg !== true) {
    const age = inp.metricsAt.getTime() / 1000 - m.lastSeenUnix;
    if (age >= 0) {
      v.lastSeen = Math.round(age * 10) / 10;
      const line = `metric kubelet_pleg_last_seen_seconds: last seen ${formatSeconds(age)} ago`;
      if (age > PLEG_THRESHOLD_SECONDS) v.unhealthy.push(`${line} (threshold 3m0s)`);
      else if (age > 60) v.degraded.push(`${line} (relists take minutes)`);
    }
  }
  const p99 = m.relist?.p99;
  // Relists run every second; p99 in seconds means PLEG falls behind (the alert waits for 10s).
  if (p99 && (p99.saturated || p99.value >= 5)) {
    v.degraded.push(`metric kubelet_pleg_relist_duration_seconds p99 ${p99.saturated ? '≥' : ''}${formatSeconds(p99.value)} (relists run every 1s; KubeletPlegDurationHigh fires at 10s)`);
  }
  if (m.mode === 'rate' && m.discardEvents) v.degraded.push(`metric kubelet_pleg_discard_events +${m.discardEvents} in ${formatSeconds(m.windowSeconds ?? 0)}`);
  if (m.eventedPleg) v.info.push('Evented PLEG is on: kubelet_pleg_last_seen_seconds is not a relist time');
}

/** A kubelet that does not answer through the node proxy is itself evidence: hung kubelet, runtime or node. */
function fromReachability(v: Verdict, inp: NodeInputs): void {
  const u = inp.unavailable.find((x) => x.kind === 'unreachable');
  if (u) v.degraded.push(`the kubelet did not answer through the API server's node proxy (${u.reason}); a hung kubelet or container runtime stops answering too`);
}

function whatWouldTell(inp: NodeInputs): string {
  const missing: string[] = [];
  if (!inp.log) missing.push(`the kubelet log (journalctl -u kubelet --since -1h | podscope pleg ${inp.name === '-' ? '' : `${inp.name} `}--kubelet-log -)`);
  if (!inp.metrics) missing.push('kubelet metrics (--kubelet-metrics FILE from kubectl get --raw /api/v1/nodes/NODE/proxy/metrics, twice)');
  if (!inp.node) missing.push('the Node object (conditions, versions)');
  if (!inp.pods) missing.push('the pods on the node');
  return missing.length ? `cause undetermined; what would tell: ${missing.join('; ')}` : 'cause undetermined from the available inputs';
}

/** Diagnoses one node's PLEG from whatever inputs it has (pure). */
export function diagnoseNode(inp: NodeInputs): NodeDiagnosis {
  const v: Verdict = { unhealthy: [], degraded: [], info: [], lastSeen: null };
  fromCondition(v, inp);
  fromEvents(v, inp);
  fromLog(v, inp);
  fromMetrics(v, inp);
  fromReachability(v, inp);
  const readyStatus = readiness(inp.node).status;
  const hasInput = Boolean((inp.node && readyStatus !== 'Unknown') || inp.metrics || inp.log || inp.events?.length);
  const status = v.unhealthy.length ? 'unhealthy' : v.degraded.length ? 'degraded' : hasInput ? 'healthy' : 'unknown';
  const causes = status === 'unhealthy' || status === 'degraded' ? rankCauses(inp, status === 'unhealthy') : [];
  const symptoms = [...v.unhealthy, ...v.degraded, ...v.info];
  if ((status === 'unhealthy' || status === 'degraded') && !causes.length) symptoms.push(whatWouldTell(inp));
  if (status === 'unknown') symptoms.push(whatWouldTell(inp).replace('cause undetermined', 'no PLEG input'));
  const relist = inp.metrics?.relist;
  return {
    name: inp.name,
    status,
    plegLastSeenSeconds: v.lastSeen === null ? null : Math.round(v.lastSeen * 10) / 10,
    relist: relist ? { p50: round(relist.p50.value), p99: round(relist.p99.value), saturated: relist.p99.saturated } : null,
    causes,
    unavailable: inp.unavailable,
    symptoms,
    metricsMode: inp.metrics?.mode ?? null,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
