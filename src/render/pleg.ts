import type { ChalkInstance } from 'chalk';
import stringWidth from 'string-width';
import type { NodeDiagnosis, PlegResult, PlegStatus } from '../analysis/pleg/types.js';
import { formatSeconds } from '../parse/duration.js';
import type { RenderOptions } from './options.js';
import { terminalSafe } from './escape.js';
import { fitLines } from './fit.js';
import { painter, plainTable } from './style.js';

function paintStatus(c: ChalkInstance, s: PlegStatus): string {
  if (s === 'unhealthy') return c.red.bold('UNHEALTHY');
  if (s === 'degraded') return c.yellow('DEGRADED');
  if (s === 'healthy') return c.green('healthy');
  return c.gray('unknown');
}

function relistText(n: NodeDiagnosis): string {
  if (!n.relist) return '-';
  return n.relist.saturated ? '≥10s' : formatSeconds(n.relist.p99);
}

const JOURNAL = /^(log(?: ×\d+ \([^)]*\))?: )(?:[A-Z][a-z]{2} +\d+ [\d:.]+|\d{4}-\d\d-\d\dT\S+) \S+ [^\s:[]+(?:\[\d+\])?: /;
const KLOG = /^(log(?: ×\d+ \([^)]*\))?: )[IWEF]\d{4} [\d:.]+ +\d+ /;

/** A log evidence line without the journald and klog prefixes (the table has no room; JSON keeps them). */
function compact(e: string): string {
  return e.replace(JOURNAL, '$1').replace(KLOG, '$1');
}

/** A log line cut to what is left of a terminal line after its `  evidence: ` label; whole off a terminal. */
function clip(s: string, width: number | undefined): string {
  if (!width) return s;
  const max = Math.max(20, width - EVIDENCE_LABEL);
  return stringWidth(s) > max ? `${sliceWidth(s, max - 1)}…` : s;
}

const EVIDENCE_LABEL = '  evidence: '.length;

/** The longest start of s that is at most `width` columns wide. */
function sliceWidth(s: string, width: number): string {
  let used = 0;
  let end = 0;
  for (const ch of s) {
    used += stringWidth(ch);
    if (used > width) break;
    end += ch.length;
  }
  return s.slice(0, end);
}

function detail(n: NodeDiagnosis, c: ChalkInstance, opts: RenderOptions & { wide: boolean }): string[] {
  const out: string[] = [];
  const top = n.causes[0];
  const head = top ? `${top.id} (${Math.round(top.confidence * 100)}%)` : n.status === 'healthy' ? 'no PLEG trouble found' : 'cause undetermined';
  out.push(`${c.bold(n.name)}  ${paintStatus(c, n.status)}  ${head}`);
  const symptoms = opts.wide ? n.symptoms : n.symptoms.slice(0, 2);
  for (const s of symptoms) out.push(`  ${c.dim('why:')} ${s}`);
  const causes = opts.wide ? n.causes : n.causes.slice(0, 1);
  for (const [i, cause] of causes.entries()) {
    if (i > 0) out.push(`  ${c.bold(`${cause.id} (${Math.round(cause.confidence * 100)}%)`)}`);
    const ev = opts.wide ? cause.evidence : cause.evidence.slice(0, 3);
    for (const e of ev) out.push(`  ${c.dim('evidence:')} ${opts.wide ? e : clip(compact(e), opts.width)}`);
    out.push(`  ${c.cyan('next:')} ${cause.remediation}`);
  }
  if (!opts.wide && n.causes.length > 1) {
    out.push(`  ${c.dim('also:')} ${n.causes.slice(1).map((x) => `${x.id} (${Math.round(x.confidence * 100)}%)`).join(', ')}`);
  }
  if (n.unavailable.length) {
    const list = opts.wide ? n.unavailable.map((u) => `${u.input}: ${u.reason}${u.fix ? ` (${u.fix})` : ''}`) : [...new Set(n.unavailable.map((u) => u.input))];
    out.push(`  ${c.dim('not available:')} ${list.join(opts.wide ? '; ' : ', ')}`);
    // Why an input the cluster was asked for is missing (offline inputs that were never captured need no line).
    const asked = opts.wide ? undefined : n.unavailable.find((u) => u.kind !== 'not-captured');
    if (asked) out.push(`  ${c.dim('skipped:')} ${clip(`${asked.input}: ${asked.reason}`, opts.width)}`);
  }
  return out;
}

/** `podscope pleg` as a table for people: one summary row per node, then each node's story. */
export function renderPlegTable(data: PlegResult, opts: RenderOptions & { wide: boolean }): string {
  const result = terminalSafe(data);
  const c = painter(opts.color);
  if (!result.nodes.length) {
    const n = result.selection.considered;
    return fitLines(`${c.green('No node shows PLEG symptoms')} (${n} node${n === 1 ? '' : 's'} checked: none NotReady, flapping, or with PLEG or runtime errors).\nUse --all to diagnose every node, or name one: podscope pleg NODE`, opts.width);
  }
  const rows = result.nodes.map((n) => [
    n.name,
    paintStatus(c, n.status),
    n.plegLastSeenSeconds === null ? '-' : `${formatSeconds(n.plegLastSeenSeconds)} ago`,
    relistText(n),
    n.causes[0] ? `${n.causes[0].id} (${Math.round(n.causes[0].confidence * 100)}%)` : n.status === 'healthy' ? '-' : 'undetermined',
  ]);
  const out = [plainTable(['NODE', 'STATUS', 'PLEG LAST SEEN', 'RELIST P99', 'TOP CAUSE'], rows, c, opts.width)];
  for (const n of result.nodes) {
    if (n.status === 'healthy' && !opts.wide) continue;
    out.push('', ...detail(n, c, opts));
  }
  const modes = new Set(result.nodes.map((n) => n.metricsMode));
  if (modes.has('totals')) out.push('', c.dim('metrics: one scrape (totals since kubelet start); --sample 10s takes two for rates'));
  else if (modes.has('rate')) out.push('', c.dim('metrics: two scrapes, rates over the interval'));
  return fitLines(out.join('\n'), opts.width);
}
