/**
 * FailedScheduling event messages of any Kubernetes version, parsed into counts per reason
 * (kubernetes/kubernetes pkg/scheduler/framework/types.go `FitError.Error()`):
 *   current: `0/N nodes are available: <sorted "count reason" list>. preemption: 0/N nodes are available: ...`
 *   PreFilter rejection (no counts): `0/N nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: ...`
 *   1.18–1.23: no preemption part; taint reasons contain a comma (`had taint {k: v}, that the pod didn't tolerate`).
 *   very old: `0/N nodes are available to run pod x: ...`.
 *   1.6–1.8 (no node total): `No nodes are available that match all of the following predicates:: Insufficient cpu (9), MatchNodeSelector (18).`
 *   1.5: `pod (x) failed to fit in any node\nfit failure summary on nodes : Insufficient pods (2), PodToleratesNodeTaints (1)`.
 * Whitespace is collapsed first: pasted messages arrive folded by YAML or wrapped by a terminal.
 * Sources per wording: docs/schedule.md "Event wording across scheduler versions".
 */

/** One parsed "0/N nodes are available: ..." part. */
export interface AvailabilityPart {
  /** N, the number of nodes the scheduler considered (null in 1.5–1.8 messages, which do not say). */
  total: number | null;
  /** Count per reason, as written. */
  counts: Record<string, number>;
  /** A PreFilter message that applies to every node (no count), or null. */
  preFilter: string | null;
  /** Sentences after the histogram that are not counts (e.g. DRA notes). */
  notes: string[];
}

/** A parsed FailedScheduling message. */
export interface FailedScheduling {
  main: AvailabilityPart;
  /** The PostFilter (preemption) part, when present. */
  preemption: AvailabilityPart | null;
}

const HEAD = /^0\/(\d+) nodes are available(?: to (?:run|preempt)[^:]*)?:\s*/s;

/** Splits "3 a, 10 b, 1 c" into entries; a comma only starts an entry when a count follows. */
function histogram(text: string): Record<string, number> | null {
  if (!/^\d+ /.test(text)) return null;
  const counts: Record<string, number> = {};
  for (const entry of text.split(/, (?=\d+ )/)) {
    const m = /^(\d+) (.+)$/s.exec(entry.trim());
    if (!m) return null;
    const reason = m[2].trim();
    counts[reason] = (counts[reason] ?? 0) + Number(m[1]);
  }
  return counts;
}

function parsePart(text: string): AvailabilityPart | null {
  const head = HEAD.exec(text.trim());
  if (!head) return null;
  const total = Number(head[1]);
  let body = text.trim().slice(head[0].length).trim();
  // The histogram ends in "."; nested formatting yields "..", and old messages end in ".\n".
  body = body.replace(/\.+$/, '');
  const sentences = body.split(/\.\s+/);
  const first = sentences.shift() ?? '';
  const counts = histogram(first);
  const notes = sentences.map((s) => s.replace(/,$/, '').trim()).filter((s) => s !== '');
  if (counts) return { total, counts, preFilter: null, notes };
  return { total, counts: {}, preFilter: first || null, notes };
}

const OLD_PREDICATES = /^No nodes are available that match all of the following predicates::?\s*(.*?)\.?$/;
const OLD_FIT = /failed to fit in any node(?:\s*-)?\s*fit failure summary on nodes\s*:\s*(.*?)\.?$/;

/** Parses the 1.5–1.8 forms, `Reason (count), ...`, which give no node total. */
function parseOld(text: string): FailedScheduling | null {
  const m = OLD_PREDICATES.exec(text) ?? OLD_FIT.exec(text);
  if (!m) return null;
  const counts: Record<string, number> = {};
  for (const entry of m[1].split(/,\s*(?=[^,]*\(\d+\))/)) {
    const e = /^(.+?)\s*\((\d+)\)$/.exec(entry.trim());
    if (!e) return null;
    counts[e[1]] = (counts[e[1]] ?? 0) + Number(e[2]);
  }
  return { main: { total: null, counts, preFilter: null, notes: [] }, preemption: null };
}

/** Parses a FailedScheduling message, or returns null when it is not one of the "nodes are available" kind. */
export function parseFailedScheduling(message: string): FailedScheduling | null {
  const text = message.replace(/\s+/g, ' ').trim();
  const old = parseOld(text);
  if (old) return old;
  // "preemption:" joins the PostFilter part; 1.36 may put a DRA note and a comma before it.
  const split = /[.,]?\s+preemption:\s+(?=0\/\d+ nodes)/.exec(text);
  const mainText = split ? text.slice(0, split.index) : text;
  const preText = split ? text.slice(split.index + split[0].length) : null;
  const main = parsePart(mainText);
  if (!main) return null;
  return { main, preemption: preText ? parsePart(preText) : null };
}

/**
 * A version-independent key for a reason, so that `node(s) had taint {a: b}, that the pod didn't
 * tolerate` (1.19–1.24), `node(s) had untolerated taint {a: b}` (1.25–1.34) and
 * `node(s) had untolerated taint(s)` (1.35+, kubernetes/kubernetes#134740) compare equal.
 * Returns null for reasons that only restate another one (the old generic inter-pod reason).
 */
export function reasonKey(reason: string): string | null {
  const r = reason.trim();
  // 1.5–1.8 messages (and some 1.9–1.10 ones) name the predicate instead of describing it
  // (pkg/scheduler/algorithm/predicates/error.go NewPredicateFailureError(name, desc)).
  if (/taint|^PodToleratesNodeTaints$|^TaintToleration$/.test(r)) return 'TaintToleration';
  if (/were unschedulable|unknown conditions|^(?:Check)?NodeUnschedulable$/.test(r)) return 'NodeUnschedulable';
  if (/requested node name|requested hostname|^HostName$|^PodFitsHost$/.test(r)) return 'NodeName';
  if (/scheduler-enforced node affinity/.test(r)) return 'NodeAffinity:enforced';
  if (/Pod's node affinity|match node selector|didn't satisfy plugin\(s\) \[NodeAffinity\]|^MatchNodeSelector$|^NodeAffinity$/.test(r)) return 'NodeAffinity';
  if (/free ports|^PodFitsHostPorts$|^NodePorts$/.test(r)) return 'NodePorts';
  // "Insufficient pods" (predicates' InsufficientResourceError, ≤1.18) is today's "Too many pods"
  // (noderesources/fit.go): the node's pod count is at allocatable.pods.
  if (r === 'Too many pods' || r === 'Insufficient pods') return 'NodeResourcesFit:Too many pods';
  if (/^Insufficient /.test(r)) return `NodeResourcesFit:${r}`;
  if (/topology spread constraints/.test(r)) return 'PodTopologySpread';
  if (/existing pods anti-affinity|^ExistingPodsAntiAffinityRulesNotMatch$/.test(r)) return 'InterPodAffinity:existing-anti-affinity';
  if (/pod anti-affinity rules|^PodAntiAffinityRulesNotMatch$/.test(r)) return 'InterPodAffinity:anti-affinity';
  if (/pod affinity rules|^PodAffinityRulesNotMatch$/.test(r)) return 'InterPodAffinity:affinity';
  if (/pod affinity\/anti-affinity|^MatchInterPodAffinity$/.test(r)) return null;
  return `other:${r}`;
}

/** Counts per version-independent key (see reasonKey). */
export function keyedCounts(counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [reason, n] of Object.entries(counts)) {
    const k = reasonKey(reason);
    if (k !== null) out[k] = (out[k] ?? 0) + n;
  }
  return out;
}
