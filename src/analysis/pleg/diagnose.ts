import { scrubText } from '../../parse/secret-text.js';
import { formatSeconds } from '../../parse/duration.js';
import { formatLogTime } from '../../parse/kubelet-log.js';
import { rankCauses } from './causes.js';
import { eventEvidence, notReadyCount, plegSymptomText, readiness } from './node-facts.js';
import type { LogScan } from './logscan.js';
import type { SignatureId } from './signatures.js';
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

/** Log signatures that mean the runtime was still failing at that time (no recovery before them). */
const RUNTIME_TROUBLE: readonly SignatureId[] = ['cri-deadline', 'pleg-relist-error', 'runtime-down', 'runtime-unreachable', 'runtime-status-pending'];

/**
 * Whether the log shows positive evidence that the node recovered after time `t` (the last sign
 * of trouble): a NodeReady after it, or a long stretch of other log lines with no PLEG line and no
 * runtime error. Grep output (nearly every line an error) and untimed lines never count as quiet.
 */
export function recoveryAfter(log: LogScan, t: number | null): string | null {
  if (t === null) return null;
  const ready = log.hits['node-ready']?.last ?? null;
  if (ready !== null && ready > t) return `NodeReady at ${formatLogTime(ready)} after it`;
  if (grepped(log) || log.lastTime === null || log.lastTime - t <= QUIET_MS || laterTrouble(log, t)) return null;
  return `${formatSeconds((log.lastTime - t) / 1000)} of log with no PLEG line and no runtime error after it`;
}

/** Why a log shows no recovery after `t` (said next to an unhealthy verdict, so readers see how it was reached). */
function noRecovery(log: LogScan, t: number | null): string {
  if (t === null) return 'the lines have no time, so no later recovery can be shown';
  if (laterTrouble(log, t)) return 'no NodeReady after it and runtime errors go on later';
  if (grepped(log)) return 'the input holds almost only error lines (grep output?), so silence after them proves nothing';
  return 'no NodeReady after it and the log ends within 5 minutes';
}

/** Whether nearly every line of the input is an error line (grep output): silence in it means nothing. */
function grepped(log: LogScan): boolean {
  return log.lines > 0 && log.matchedLines / log.lines >= 0.8;
}

/** Whether runtime errors (or hung CNI calls) were logged after time t. */
function laterTrouble(log: LogScan, t: number): boolean {
  return RUNTIME_TROUBLE.some((id) => (log.hits[id]?.last ?? -Infinity) > t) || (log.cniHangs > 0 && (log.hits.cni?.last ?? -Infinity) > t);
}

/** Whether a scanned input is a kubelet log at all: almost no line of it has a kubelet log shape. */
export function notAKubeletLog(log: LogScan): string | null {
  const { lines, recognised } = log.sample;
  if (lines > 0 && recognised / lines >= 0.2) return null;
  return `this does not look like a kubelet log (${recognised} of ${lines} lines recognised)${lines === 0 ? '; it is empty' : ''}`;
}

function fromLog(v: Verdict, inp: NodeInputs): void {
  const log = inp.log;
  if (!log) return;
  const last = (...ids: SignatureId[]) => Math.max(...ids.map((id) => log.hits[id]?.last ?? -Infinity));
  // Trouble goes on until the latest PLEG or runtime error line: recovery must come after that.
  const lastTrouble = last('pleg-unhealthy', 'pleg-not-yet', 'node-not-ready', ...RUNTIME_TROUBLE);
  const trouble = Number.isFinite(lastTrouble) ? lastTrouble : null;
  const judge = (line: string, t: number | null, severe = true): void => {
    const at = trouble !== null && (t === null || trouble > t) ? trouble : t;
    const rec = recoveryAfter(log, at);
    if (rec) v.degraded.push(`${line}; recovered afterwards (${rec})`);
    else {
      const until = at !== null && t !== null && at > t ? `runtime errors go on until ${formatLogTime(at)}, then ` : '';
      (severe ? v.unhealthy : v.degraded).push(`${line}; not recovered: ${until}${noRecovery(log, at)}`);
    }
  };
  const h = log.hits['pleg-unhealthy'];
  if (h) {
    const age = log.plegAge
      ? `longest ${formatSeconds(log.plegAge.max)} (threshold ${formatSeconds(log.plegAge.threshold)})`
      : 'duration unreadable (cut or broken in the paste), so the age is unknown';
    const unreadable = log.plegAge && log.plegUnreadable ? `; ${log.plegUnreadable} line(s) with an unreadable duration` : '';
    judge(`log: PLEG is not healthy ×${h.count} (${formatLogTime(h.first)} → ${formatLogTime(h.last)}), ${age}${unreadable}`, h.last);
    if (log.plegAge) v.lastSeen ??= log.plegAge.last;
  }
  if (log.lateNotYet) {
    const ny = log.hits['pleg-not-yet'];
    const never = log.neverRelisted ? ' (last seen = Go\'s maximum duration: PLEG never completed a relist since the kubelet started)' : '';
    judge(`log: "pleg has yet to be successful" ×${log.lateNotYet} after the start-up window${never}`, ny?.last ?? null);
  }
  if (log.lateStatusPending) judge(`log: "container runtime status check may not have completed yet" ×${log.lateStatusPending} long after the start`, log.hits['runtime-status-pending']?.last ?? null);
  for (const [id, what] of [['runtime-down', 'container runtime is down'], ['runtime-unreachable', 'container runtime unreachable']] as const) {
    const down = log.hits[id];
    if (!down) continue;
    judge(`log: ${what} ×${down.count} (${formatLogTime(down.first)} → ${formatLogTime(down.last)})`, down.last);
  }
  const nnr = log.hits['node-not-ready'];
  if (nnr && !h) judge(`log: the node went NotReady ×${nnr.count} (${formatLogTime(nnr.last)})`, nnr.last, false);
  if (log.hits['relist-dump']) v.unhealthy.push('log: goroutine dump shows PLEG relist blocked on a channel send');
  if (log.hits['cni-dump']) {
    const mins = log.cniDumpMinutes;
    const line = `log: goroutine dump shows the kubelet blocked in the CNI status call (GetPodNetworkStatus)${mins ? ` for ${mins} minutes` : ''}`;
    if (mins !== null && mins * 60 > PLEG_THRESHOLD_SECONDS) v.unhealthy.push(line);
    else v.degraded.push(line);
  }
  const cri = (log.hits['cri-deadline']?.count ?? 0) + (log.hits['pleg-relist-error']?.count ?? 0);
  if (cri) v.degraded.push(`log: CRI calls timed out ×${cri}`);
  if (log.cniHangs) v.degraded.push(`log: CNI calls hung (timed out or killed) ×${log.cniHangs}`);
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
export function diagnoseNode(input: NodeInputs): NodeDiagnosis {
  const v: Verdict = { unhealthy: [], degraded: [], info: [], lastSeen: null };
  const foreign = input.log ? notAKubeletLog(input.log) : null;
  // Text that is not a kubelet log says nothing about PLEG: diagnose without it, and say so.
  const inp: NodeInputs = foreign ? { ...input, log: undefined } : input;
  if (foreign) v.info.push(`${foreign}; it was not used`);
  fromCondition(v, inp);
  fromEvents(v, inp);
  fromLog(v, inp);
  fromMetrics(v, inp);
  fromReachability(v, inp);
  const readyStatus = readiness(inp.node).status;
  const hasInput = Boolean((inp.node && readyStatus !== 'Unknown') || inp.metrics || inp.log || inp.events?.length);
  const status = v.unhealthy.length ? 'unhealthy' : v.degraded.length ? 'degraded' : hasInput ? 'healthy' : 'unknown';
  const causes = status === 'unhealthy' || status === 'degraded' ? rankCauses(inp, status === 'unhealthy') : [];
  // Symptoms quote the Ready message, events and log lines: credentials in them are scrubbed.
  const symptoms = [...v.unhealthy, ...v.degraded, ...v.info].map(scrubText);
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
