import type { ScheduleAnalysis } from '../analysis/schedule/index.js';
import type { RenderOptions } from './options.js';
import { terminalSafe } from './escape.js';
import { fitLines } from './fit.js';
import { painter, paintSeverity, plainTable } from './style.js';

/** `podscope schedule` for people: one row per node, podscope's summary, the event, findings. */
export function renderScheduleTable(a: ScheduleAnalysis, opts: RenderOptions & { wide: boolean; now: Date }): string {
  const c = painter(opts.color);
  const r = terminalSafe(a.result);
  const event = a.event && terminalSafe(a.event);
  const boundTo = a.boundTo && terminalSafe(a.boundTo);
  const where = boundTo ? ` — bound to ${boundTo}; rows show each node's verdict now, without the pod itself` : ' — not bound to a node';
  const out: string[] = [`${c.bold(`Pod ${r.pod.namespace}/${r.pod.name}`)}${where}`, ''];
  const rows = r.nodes.map((n) => [n.name, n.fits ? c.green('yes') : c.red('no'), n.failedFilter ?? '', n.reason ?? '', n.detail ?? '']);
  out.push(rows.length ? plainTable(['NODE', 'FITS', 'FILTER', 'REASON', 'DETAIL'], rows, c, opts.width) : c.yellow('No nodes.'));
  out.push('', `${c.bold('podscope:')} ${r.summary}`);
  if (event) {
    const age = event.at ? ` (${Math.max(0, Math.round((opts.now.getTime() - event.at.getTime()) / 60_000))} min ago)` : '';
    out.push(`${c.bold('event:   ')} ${event.message}${age}`);
    out.push(event.agrees ? `          ${c.green('podscope agrees with the scheduler')}` : `          ${c.yellow('disagrees:')} ${event.why.join('; ')}`);
  } else {
    out.push(`${c.bold('event:   ')} no FailedScheduling event for this pod`);
  }
  if (r.findings.length) {
    out.push('');
    for (const f of r.findings) {
      out.push(`${paintSeverity(c, f.severity)} ${f.checkId} ${f.message}`);
      const ev = opts.wide ? f.evidence : f.evidence.slice(0, 6);
      for (const e of ev) out.push(`  - ${e}`);
      if (!opts.wide && f.evidence.length > ev.length) out.push(`  - … ${f.evidence.length - ev.length} more (-o wide)`);
      if (f.remediation) out.push(`  ${c.dim('fix:')} ${f.remediation}`);
    }
  }
  return fitLines(out.join('\n'), opts.width) + '\n';
}
