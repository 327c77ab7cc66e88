import type { StopResult } from '../analysis/stop/result.js';
import type { RenderOptions } from './options.js';
import { terminalSafe } from './escape.js';
import { fitLines } from './fit.js';
import { painter, paintSeverity, plainTable } from './style.js';

const signed = (ms: number) => `${ms >= 0 ? '+' : '-'}${Math.abs(ms)} ms`;

/** `podscope stop` for people: the pod's stop shape, the timeline when traced, the verdict, findings. */
export function renderStopTable(result: StopResult, opts: RenderOptions & { wide: boolean }): string {
  const r = terminalSafe(result);
  const c = painter(opts.color);
  const w = opts.width;
  const out: string[] = [];
  out.push(`${c.bold('POD')}       ${r.pod.namespace}/${r.pod.name}${r.node ? ` on ${r.node}` : ''}`);
  const slicesRead = !r.unavailable.some((u) => u.input === 'endpointslices');
  const pnr = r.endpoints.length || !slicesRead ? '' : r.services.length ? ' (no EndpointSlice lists the pod)' : '';
  out.push(`${c.bold('SERVICES')}  ${r.services.length ? r.services.join(', ') : 'none select this pod'}${pnr}`);
  out.push(`${c.bold('GRACE')}     ${r.gracePeriodSeconds} s   ${c.bold('PRESTOP')} ${r.preStopSeconds === null ? 'none known' : `${r.preStopSeconds} s`}`);
  if (r.endpoints.length) {
    out.push('', plainTable(['ENDPOINTSLICE', 'SERVICE', 'READY', 'SERVING', 'TERMINATING'],
      r.endpoints.map((e) => [e.slice, e.service ?? '', String(e.ready), String(e.serving), String(e.terminating)]), c, w));
  }
  out.push('', plainTable(['CONTAINER', 'ROLE', 'STOP ORDER', 'PRESTOP', 'READINESS'],
    r.containers.map((k) => [k.name, k.role, String(k.stopOrder), k.preStop ? k.preStop.detail : 'none', k.readinessProbe ? 'probe' : 'none']), c, w));
  if (r.timeline && !r.timeline.length) {
    out.push('', `${c.bold('TIMELINE')}  nothing changed while podscope watched`);
  } else if (r.timeline) {
    out.push('', c.bold('TIMELINE (from the deletion)'));
    const head = opts.wide ? ['OFFSET', 'WHAT', 'OBJECT', 'AT', 'RECORDED'] : ['OFFSET', 'WHAT', 'OBJECT'];
    out.push(plainTable(head, r.timeline.map((e) => {
      const base = [signed(e.offsetMs), e.what, e.object];
      return opts.wide ? [...base, `${e.at} (${e.clock})`, e.recordedAt ?? ''] : base;
    }), c, w));
  }
  if (r.verdict) {
    const head = r.verdict.atRisk ? c.red.bold('TRAFFIC AT RISK') : r.exposureMs === null ? c.yellow('UNKNOWN') : c.green('NO WINDOW');
    out.push('', `${c.bold('VERDICT')}   ${head}: ${r.verdict.summary}`);
    for (const a of r.verdict.advice) out.push(`  - ${a}`);
  }
  if (!r.verdict) {
    const risky = r.findings.filter((f) => f.severity !== 'info');
    const line = !r.services.length
      ? c.green('NO SERVICE') + ': no Service selects this pod; stopping it drops no Service traffic'
      : risky.length
        ? `${c.red.bold('TRAFFIC AT RISK')}: ${risky.map((f) => f.checkId).join(', ')} (below); --delete --yes or --watch measures the real window`
        : `${c.green('LOOKS SAFE')}: a preStop delay of ${r.preStopSeconds === null ? 'unknown length' : `${r.preStopSeconds} s`} covers the endpoint lag if it is shorter; --watch or --delete --yes measures it`;
    out.push('', `${c.bold('VERDICT')}   ${line}`);
  }
  for (const u of r.unavailable) out.push('', `${c.yellow('not measured')} ${u.input}: ${u.reason}${u.fix ? ` (${u.fix})` : ''}`);
  out.push('');
  if (r.findings.length) {
    const head = opts.wide ? ['SEVERITY', 'CHECK', 'CONTAINER', 'MESSAGE', 'EVIDENCE'] : ['SEVERITY', 'CHECK', 'MESSAGE'];
    out.push(plainTable(head, r.findings.map((f) => {
      const base = [paintSeverity(c, f.severity), f.checkId];
      return opts.wide ? [...base, f.subject.container ?? '', f.message, f.evidence.join('\n')] : [...base, f.message];
    }), c, w));
    const fixes = r.findings.filter((f) => f.remediation);
    if (fixes.length) {
      out.push('', c.bold('Next steps:'));
      for (const f of fixes) out.push(`  ${f.checkId}: ${f.remediation}`);
    }
  } else {
    out.push(c.green('No findings from the STOP checks.'));
  }
  return fitLines(out.join('\n'), w) + '\n';
}
