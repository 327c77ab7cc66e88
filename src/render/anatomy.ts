import type { ChalkInstance } from 'chalk';
import { namespaceMeanings } from '../analysis/anatomy/namespaces.js';
import { exitMeaning } from '../analysis/anatomy/status.js';
import type { AnatomyResult, ContainerView, PortView } from '../analysis/anatomy/types.js';
import type { RenderOptions } from './options.js';
import { terminalSafe } from './escape.js';
import { blockWidth, fitLines } from './fit.js';
import { painter, paintSeverity, plainTable } from './style.js';

/** What the table shows besides the JSON contract: where the pod runs and where it came from. */
export interface AnatomyHeader {
  node: string | null;
  phase: string | null;
  /** `Deployment/web` when the pod was made from a workload's template (-f). */
  template: string | null;
  /** Lines about inputs that were not available (events). */
  notes: string[];
  /** The pod's latest Warning events, as evidence lines, oldest first. */
  warnings: string[];
}

function roleText(v: ContainerView): string {
  return v.sidecar ? `sidecar (${v.sidecar})` : v.role;
}

function portsText(ports: PortView[], hostNetwork: boolean): string {
  if (!ports.length) return '-';
  return ports
    .map((p) => `${p.containerPort}/${p.protocol}${p.hostPort !== null && !hostNetwork ? ` (host ${p.hostPort})` : ''}${p.name ? ` ${p.name}` : ''}`)
    .join('\n');
}

function lastTermText(v: ContainerView): string {
  const t = v.lastTermination;
  if (!t) return '-';
  return `${t.reason ?? 'unknown'}, exit ${t.exitCode}`;
}

function stateText(c: ChalkInstance, v: ContainerView): string {
  if (v.state === 'running') return v.ready === false ? c.yellow('running, not ready') : c.green('running');
  if (/CrashLoopBackOff|Error|OOMKilled|ImagePull|ErrImage|CreateContainer/.test(v.state)) return c.red(v.state);
  return v.state;
}

function orderLines(r: AnatomyResult, key: 'startOrder' | 'stopOrder'): string[] {
  const steps = new Map<number, ContainerView[]>();
  for (const v of r.containers) {
    const n = v[key];
    if (n !== null) steps.set(n, [...(steps.get(n) ?? []), v]);
  }
  const lines: string[] = [];
  for (const [n, vs] of [...steps.entries()].sort((a, b) => a[0] - b[0])) {
    const names = vs.map((v) => v.name).join(', ');
    let how: string;
    if (key === 'startOrder') {
      const v = vs[0];
      if (v.role === 'init') how = 'init container, runs to completion before the next step';
      else if (v.sidecar === 'native') how = 'native sidecar, keeps running; the next step waits for its startupProbe, or only for it to start without one';
      else how = vs.length > 1 ? 'started in list order without waiting for each other' : 'started';
      const later = r.containers.some((y) => (y.startOrder ?? 0) > n);
      if (v.role !== 'init' && v.sidecar !== 'native' && later) how += `; ${vs[vs.length - 1].name}'s postStart hook holds the next step until it returns`;
    } else {
      const v = vs[0];
      how = v.sidecar === 'native' ? 'native sidecar: TERM after every app container has exited, in reverse order of definition' : 'get TERM together when the pod is deleted';
    }
    lines.push(`  ${n}. ${names}  (${how})`);
  }
  const done = r.containers.filter((v) => v.role === 'init');
  if (key === 'stopOrder' && done.length) lines.push(`  -  ${done.map((v) => v.name).join(', ')}  (init containers, exited before the apps started)`);
  return lines;
}

/** The pod anatomy for people: header, namespaces, containers in start order, start/stop order, volumes, findings. */
export function renderAnatomyTable(result: AnatomyResult, header: AnatomyHeader, opts: RenderOptions & { wide: boolean }): string {
  const r = terminalSafe(result);
  const h = terminalSafe(header);
  const c = painter(opts.color);
  const w = opts.width;
  const out: string[] = [];
  const hostNet = r.namespaces.network === 'host';
  out.push(`${c.bold('Pod:')}   ${r.pod.namespace}/${r.pod.name}${h.template ? `  (from the template of ${h.template})` : ''}`);
  out.push(`${c.bold('Node:')}  ${h.node ?? '(not scheduled)'}${h.phase ? `   ${c.bold('Phase:')} ${h.phase}` : ''}`);
  out.push('', c.bold('NAMESPACES'));
  out.push(plainTable(['NAMESPACE', 'SHARED WITH', 'MEANING'], namespaceMeanings(r.namespaces).map((m) => [m.namespace, m.scope === 'pod' ? 'pod (sandbox)' : m.scope === 'host' ? 'host (node)' : 'container only', m.meaning]), c, w));

  out.push('', c.bold('CONTAINERS (start order)'));
  const head = ['#', 'NAME', 'ROLE', 'PATTERN', 'IMAGE', 'PORTS', 'STATE', 'RESTARTS', 'LAST TERMINATION'];
  const rows = r.containers.map((v) => {
    const row = [v.startOrder === null ? '-' : String(v.startOrder), v.name, roleText(v), v.pattern ?? '-', v.image, portsText(v.ports, hostNet), stateText(c, v), String(v.restarts), lastTermText(v)];
    return opts.wide ? [...row, v.ready === null ? '-' : v.ready ? 'yes' : 'no', v.patternReason ?? '-'] : row;
  });
  const full = plainTable(opts.wide ? [...head, 'READY', 'WHY'] : head, rows, c);
  if (opts.wide || !w || blockWidth(full) <= w) out.push(full);
  else {
    // A narrow terminal: IMAGE moves under the table and LAST TERMINATION is left to the "last exit" lines.
    const keep = [0, 1, 2, 3, 5, 6, 7];
    out.push(plainTable(keep.map((i) => head[i]), rows.map((row) => keep.map((i) => row[i])), c, w));
    for (const v of r.containers) out.push(`  ${c.dim('image')} ${v.name}: ${v.image}`);
  }
  if (!opts.wide) {
    for (const v of r.containers) if (v.patternReason) out.push(`  ${c.dim('why')} ${v.name}: ${v.patternReason}`);
  }
  for (const v of r.containers) {
    if (v.lastTermination) out.push(`  ${c.dim('last exit')} ${v.name}: ${exitMeaning(v.lastTermination.exitCode, v.lastTermination.reason)}${v.lastTermination.finishedAt ? `, at ${v.lastTermination.finishedAt}` : ''}`);
  }
  if (hostNet) out.push(`  ${c.yellow('hostNetwork')}: every port these containers listen on, declared or not, is a port of the node itself`);

  out.push('', c.bold('START ORDER'), ...orderLines(r, 'startOrder'));
  out.push('', c.bold('STOP ORDER'), ...orderLines(r, 'stopOrder'));

  out.push('', c.bold('VOLUMES'));
  // The service-account token volume is in every pod and mounted by every container: one line, unless wide.
  const token = (v: AnatomyResult['volumes'][number]) => !opts.wide && /^kube-api-access-/.test(v.name) && v.type === 'projected';
  const shown = r.volumes.filter((v) => !token(v));
  if (shown.length) {
    const vrows = shown.map((v) => [
      v.name,
      v.type,
      v.source ?? '-',
      v.mounts.length ? v.mounts.map((m) => `${m.container} ${m.readOnly ? 'ro' : 'rw'} ${m.path}`).join('\n') : '(not mounted)',
      v.sharing ?? '-',
    ]);
    out.push(plainTable(['VOLUME', 'TYPE', 'SOURCE', 'MOUNTS', 'SHARING'], vrows, c, w));
  } else out.push('  (none)');
  for (const v of r.volumes.filter(token)) out.push(`  ${c.dim('+')} ${v.name}: the service-account token, mounted read-only by ${v.mounts.map((m) => m.container).join(', ') || 'no container'}`);

  if (h.warnings.length) out.push('', c.bold('RECENT WARNING EVENTS'), ...h.warnings.map((w) => `  ${w}`));

  out.push('', c.bold('FINDINGS'));
  if (!r.findings.length) out.push(`  ${c.green('none')}`);
  for (const f of r.findings) {
    out.push(`  ${paintSeverity(c, f.severity)} ${f.checkId} ${f.subject.container ? `[${f.subject.container}] ` : ''}${f.message}`);
    for (const e of f.evidence) out.push(`      ${c.dim('-')} ${e}`);
    if (f.remediation) out.push(`      ${c.bold('fix:')} ${f.remediation}`);
  }
  for (const n of h.notes) out.push('', c.dim(n));
  return fitLines(out.join('\n'), w) + '\n';
}
