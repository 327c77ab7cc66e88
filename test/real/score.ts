import type { V1Pod } from '@kubernetes/client-node';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { placeContainers } from '../../src/analysis/anatomy/roles.js';
import { diagnoseNode } from '../../src/analysis/pleg/diagnose.js';
import { scanKubeletLog } from '../../src/analysis/pleg/logscan.js';
import type { NodeDiagnosis, NodeInputs } from '../../src/analysis/pleg/types.js';
import { keyedCounts, parseFailedScheduling } from '../../src/parse/failed-scheduling.js';
import { fixture } from '../helpers/cli.js';

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

/** Scoring of the real-world corpus under test/__fixtures__/real (see its SOURCES.md). */

const ROOT = fixture('real');
const NOW = new Date('2026-11-20T00:00:00Z');

/** One scored case. */
export interface Scored {
  area: 'pleg' | 'schedule' | 'inspect';
  name: string;
  right: boolean;
  negative: boolean;
  falseAlarm: boolean;
  /** Added after the fixes and scored as found (SOURCES.md "held out"). */
  heldOut: boolean;
  expected: string;
  got: string;
  detail: string;
}

function dirs(area: string): string[] {
  return readdirSync(path.join(ROOT, area)).filter((d) => existsSync(path.join(ROOT, area, d, 'expect.json'))).sort();
}

function expectOf<T>(area: string, d: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, area, d, 'expect.json'), 'utf8')) as T;
}

interface PlegExpect {
  status?: string[];
  cause?: string | null;
  unlabelable?: string;
  heldOut?: boolean;
}

/** The pleg diagnosis of one case directory (kubelet.log, or describe-node.txt when pleg can read it). */
export async function diagnoseCase(dir: string, readDescribe?: (text: string) => NodeInputs['node']): Promise<NodeDiagnosis | null> {
  const inp: NodeInputs = { name: '-', unavailable: [], now: NOW };
  const log = path.join(dir, 'kubelet.log');
  const describe = path.join(dir, 'describe-node.txt');
  if (existsSync(log)) inp.log = await scanKubeletLog(once(readFileSync(log)), { year: 2026 });
  if (existsSync(describe)) {
    if (!readDescribe) return null;
    inp.node = readDescribe(readFileSync(describe, 'utf8'));
  }
  return diagnoseNode(inp);
}

/** Scores every pleg case; unlabelable cases are listed apart. */
export async function scorePleg(readDescribe?: (text: string) => NodeInputs['node']): Promise<{ scored: Scored[]; unlabelable: string[] }> {
  const scored: Scored[] = [];
  const unlabelable: string[] = [];
  for (const d of dirs('pleg')) {
    const e = expectOf<PlegExpect>('pleg', d);
    if (e.unlabelable) {
      unlabelable.push(`${d}: ${e.unlabelable}`);
      continue;
    }
    const diag = await diagnoseCase(path.join(ROOT, 'pleg', d), readDescribe);
    const status = diag?.status ?? 'unreadable';
    const first = diag?.causes[0]?.id ?? null;
    const statusOk = (e.status ?? []).includes(status);
    const causeOk = status === 'healthy' || !e.cause || first === e.cause;
    const negative = e.status?.length === 1 && e.status[0] === 'healthy';
    scored.push({
      area: 'pleg',
      name: d,
      right: statusOk && causeOk,
      negative,
      falseAlarm: negative && (status === 'unhealthy' || status === 'degraded'),
      heldOut: e.heldOut === true,
      expected: `${(e.status ?? []).join('/')} ${e.cause ?? '—'}`,
      got: `${status} ${first ?? '—'}`,
      detail: diag ? diag.symptoms.slice(0, 2).join(' | ') : 'input form not readable',
    });
  }
  return { scored, unlabelable };
}

/** Scores every FailedScheduling text: podscope's reading must agree with the same verdict in today's wording. */
export function scoreSchedule(): Scored[] {
  return dirs('schedule').map((d) => {
    const e = expectOf<{ total: number | null; ours: Record<string, number>; heldOut?: boolean }>('schedule', d);
    const text = readFileSync(path.join(ROOT, 'schedule', d, 'event.txt'), 'utf8');
    const parsed = parseFailedScheduling(text);
    const theirs = parsed ? keyedCounts(parsed.main.counts) : null;
    const ours = keyedCounts(e.ours);
    const right = theirs !== null && JSON.stringify(sortKeys(theirs)) === JSON.stringify(sortKeys(ours)) && (e.total === null || parsed?.main.total === e.total);
    return { area: 'schedule', name: d, right, negative: false, falseAlarm: false, heldOut: e.heldOut === true, expected: JSON.stringify(sortKeys(ours)), got: theirs ? JSON.stringify(sortKeys(theirs)) : 'not parsed', detail: text.trim().slice(0, 120) };
  });
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** The pod of a manifest: a Pod, or the template of a workload. */
export function podOf(text: string): V1Pod {
  const doc = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown> | null).find(Boolean) as { kind?: string; metadata?: V1Pod['metadata']; spec?: { template?: V1Pod } } & V1Pod;
  if (doc.kind === 'Pod') return doc;
  const tpl = doc.spec?.template ?? {};
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: doc.metadata?.name, ...tpl.metadata }, spec: tpl.spec };
}

/** Scores every inspect case, one fact per container (role and pattern). */
export function scoreInspect(): { cases: Scored[]; facts: { right: number; total: number } } {
  const facts = { right: 0, total: 0 };
  const cases = dirs('inspect').map((d) => {
    const e = expectOf<{ containers: Record<string, { role: string; pattern: string | null }>; heldOut?: boolean }>('inspect', d);
    const pod = podOf(readFileSync(path.join(ROOT, 'inspect', d, 'pod.yaml'), 'utf8'));
    const views = new Map(placeContainers(pod).map((p) => [p.view.name, p.view]));
    const wrong: string[] = [];
    for (const [name, want] of Object.entries(e.containers)) {
      const v = views.get(name);
      facts.total++;
      if (v && v.role === want.role && v.pattern === want.pattern) facts.right++;
      else wrong.push(`${name}: ${v?.role ?? '?'}/${v?.pattern ?? '-'} (want ${want.role}/${want.pattern ?? '-'})`);
    }
    return { area: 'inspect' as const, name: d, right: wrong.length === 0, negative: false, falseAlarm: false, heldOut: e.heldOut === true, expected: '', got: '', detail: wrong.join('; ') };
  });
  return { cases, facts };
}

/** A confusion table of expected label against what podscope said. */
export function confusion(rows: Scored[]): string {
  const exp = [...new Set(rows.map((r) => r.expected.split(' ')[0]))].sort();
  const got = [...new Set(rows.map((r) => r.got.split(' ')[0]))].sort();
  const head = ['expected \\ got', ...got];
  const lines = exp.map((x) => [x, ...got.map((g) => String(rows.filter((r) => r.expected.split(' ')[0] === x && r.got.split(' ')[0] === g).length))]);
  const w = head.map((_, i) => Math.max(...[head, ...lines].map((l) => l[i].length)));
  return [head, ...lines].map((l) => l.map((c, i) => c.padEnd(w[i])).join('  ')).join('\n');
}
