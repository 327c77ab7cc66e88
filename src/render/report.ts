import type { Report } from '../report/types.js';
import type { RenderOptions } from './options.js';
import { painter, paintSeverity, plainTable } from './style.js';

function subjectText(r: Report['findings'][number]['subject']): string {
  const ns = r.namespace ? `${r.namespace}/` : '';
  const c = r.container ? ` [${r.container}]` : '';
  return `${r.kind.toLowerCase()}/${ns}${r.name}${c}`;
}

/** The report as a table: findings first, then each check that did not pass cleanly, then totals. */
export function renderReportTable(report: Report, opts: RenderOptions & { wide: boolean }): string {
  const c = painter(opts.color);
  const out: string[] = [];
  if (report.findings.length) {
    const head = opts.wide ? ['SEVERITY', 'CHECK', 'OBJECT', 'NODE', 'MESSAGE', 'EVIDENCE'] : ['SEVERITY', 'CHECK', 'OBJECT', 'MESSAGE'];
    const rows = report.findings.map((f) => {
      const base = [paintSeverity(c, f.severity), f.checkId, subjectText(f.subject)];
      return opts.wide ? [...base, f.subject.node ?? '', f.message, f.evidence.join('\n')] : [...base, f.message];
    });
    out.push(plainTable(head, rows, c));
    if (opts.wide) {
      const fixes = report.findings.filter((f) => f.remediation);
      if (fixes.length) {
        out.push('', c.bold('Next steps:'));
        for (const f of fixes) out.push(`  ${f.checkId} ${subjectText(f.subject)}: ${f.remediation}`);
      }
    }
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
  return out.join('\n') + '\n';
}

/** The report as Markdown, for CI step summaries. */
export function renderReportMarkdown(report: Report): string {
  const esc = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
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
