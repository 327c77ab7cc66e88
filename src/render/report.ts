import type { Report } from '../report/types.js';
import type { RenderOptions } from './options.js';
import { terminalSafe } from './escape.js';
import { fitLines } from './fit.js';
import { painter, paintSeverity, plainTable } from './style.js';

function subjectText(r: Report['findings'][number]['subject']): string {
  const ns = r.namespace ? `${r.namespace}/` : '';
  const c = r.container ? ` [${r.container}]` : '';
  return `${r.kind.toLowerCase()}/${ns}${r.name}${c}`;
}

/** The report as a table: findings first, then each check that did not pass cleanly, then totals. */
export function renderReportTable(data: Report, opts: RenderOptions & { wide: boolean }): string {
  const report = terminalSafe(data);
  const c = painter(opts.color);
  const out: string[] = [];
  if (report.findings.length) {
    const head = opts.wide ? ['SEVERITY', 'CHECK', 'OBJECT', 'NODE', 'MESSAGE', 'EVIDENCE'] : ['SEVERITY', 'CHECK', 'OBJECT', 'MESSAGE'];
    const rows = report.findings.map((f) => {
      const base = [paintSeverity(c, f.severity), f.checkId, subjectText(f.subject)];
      return opts.wide ? [...base, f.subject.node ?? '', f.message, f.evidence.join('\n')] : [...base, f.message];
    });
    out.push(plainTable(head, rows, c, opts.width));
    const steps = opts.wide ? wideSteps(report) : shortSteps(report);
    if (steps.length) out.push('', c.bold('Next steps:'));
    for (const step of steps) out.push(step); // not push(...steps): -o wide has one per finding, 150,000 overflow the call stack
  } else {
    out.push(c.green('No findings.'));
  }
  const notRun = report.checks.filter((k) => k.status === 'skipped' || k.status === 'errored');
  if (notRun.length) {
    out.push('');
    // Checks skipped for the same reason (typically one forbidden input) share one line.
    const groups = new Map<string, typeof notRun>();
    for (const k of notRun) {
      const key = `${k.status}\u0000${k.reason ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), k]);
    }
    for (const ks of groups.values()) {
      const label = ks[0].status === 'errored' ? c.red('errored') : c.yellow('skipped');
      const what = ks.length === 1 ? `${ks[0].id} ${ks[0].title}` : ks.map((k) => k.id).join(', ');
      out.push(`${label} ${what}: ${ks[0].reason ?? ''}`);
    }
  }
  const s = report.summary;
  out.push(
    '',
    `${report.checks.length} check${report.checks.length === 1 ? '' : 's'}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.errored} errored; ` +
      `findings: ${s.critical} critical, ${s.warning} warning, ${s.info} info`,
  );
  return fitLines(out.join('\n'), opts.width) + '\n';
}

/** Lines shown in the default table's "Next steps" before it points at -o wide. */
export const SHORT_STEPS = 8;

/** Every finding's remediation, per object (-o wide). */
function wideSteps(report: Report): string[] {
  return report.findings.filter((f) => f.remediation).map((f) => `  ${f.checkId} ${subjectText(f.subject)}: ${f.remediation}`);
}

/** The default table's next steps: one line per distinct remediation, naming its object or how many share it. */
function shortSteps(report: Report): string[] {
  const groups = new Map<string, Report['findings']>();
  for (const f of report.findings) {
    if (!f.remediation) continue;
    const key = `${f.checkId}\u0000${f.remediation}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const lines = [...groups.values()].map((fs) => {
    const who = fs.length === 1 ? subjectText(fs[0].subject) : `${fs.length} objects`;
    return `  ${fs[0].checkId} ${who}: ${fs[0].remediation}`;
  });
  if (lines.length <= SHORT_STEPS) return lines;
  return [...lines.slice(0, SHORT_STEPS), `  … ${lines.length - SHORT_STEPS} more (-o wide lists every object's step)`];
}

/** The report as Markdown, for CI step summaries. */
export function renderReportMarkdown(data: Report): string {
  const report = terminalSafe(data);
  const esc = (t: string) => t.replace(/\|/g, '\\|');
  const s = report.summary;
  const out = [
    '## podscope check',
    '',
    `Source: ${report.source.kind} \`${report.source.location}\`` + (report.source.context ? `, context \`${report.source.context}\`` : ''),
    '',
    `**${s.critical} critical, ${s.warning} warning, ${s.info} info** — ${s.passed} ${s.passed === 1 ? 'check' : 'checks'} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.errored} errored.`,
    '',
  ];
  if (report.findings.length) {
    out.push('| Severity | Check | Object | Message | Next step |', '|---|---|---|---|---|');
    for (const f of report.findings) {
      out.push(`| ${f.severity} | ${f.checkId} | \`${esc(subjectText(f.subject))}\` | ${esc(f.message)} | ${esc(f.remediation ?? '')} |`);
    }
    out.push('');
  }
  const notRun = report.checks.filter((k) => k.status === 'skipped' || k.status === 'errored');
  if (notRun.length) {
    out.push('| Check | Status | Reason |', '|---|---|---|');
    for (const k of notRun) out.push(`| ${k.id} ${esc(k.title)} | ${k.status} | ${esc(k.reason ?? '')} |`);
    out.push('');
  }
  return out.join('\n');
}
