import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { diagnoseNode } from '../../src/analysis/pleg/diagnose.js';
import { scanKubeletLog } from '../../src/analysis/pleg/logscan.js';
import { readKubeletMetrics } from '../../src/analysis/pleg/metrics.js';
import type { NodeDiagnosis, NodeInputs } from '../../src/analysis/pleg/types.js';
import { fixture } from '../helpers/cli.js';

/** A fixture case directory under test/__fixtures__/pleg with its expectation. */
export interface PlegCase {
  name: string;
  dir: string;
  expect: { status: string; firstCause: string | null };
}

/** Every case directory (those with an expect.json). */
export function plegCases(): PlegCase[] {
  const root = fixture('pleg');
  return readdirSync(root)
    .filter((d) => statSync(path.join(root, d)).isDirectory() && existsSync(path.join(root, d, 'expect.json')))
    .sort()
    .map((d) => ({ name: d, dir: path.join(root, d), expect: JSON.parse(readFileSync(path.join(root, d, 'expect.json'), 'utf8')) }));
}

function items<T>(file: string): T[] | undefined {
  if (!existsSync(file)) return undefined;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { items?: T[] } | T;
  return (doc as { items?: T[] }).items ?? [doc as T];
}

/** The inputs a case gives, as `runPleg` would gather them offline. */
export async function caseInputs(c: PlegCase, now = new Date('2026-11-20T00:00:00Z')): Promise<NodeInputs> {
  const node = items<V1Node>(path.join(c.dir, 'node.json'))?.[0];
  const inp: NodeInputs = { name: node?.metadata?.name ?? '-', unavailable: [], now, node };
  inp.events = items<CoreV1Event>(path.join(c.dir, 'events.json'));
  inp.pods = items<V1Pod>(path.join(c.dir, 'pods.json'));
  const metrics = ['metrics.txt', 'metrics-2.txt'].map((f) => path.join(c.dir, f)).filter((f) => existsSync(f));
  if (metrics.length) inp.metrics = readKubeletMetrics(metrics.map((f) => readFileSync(f, 'utf8')), metrics.length > 1 ? 10 : null);
  const log = path.join(c.dir, 'kubelet.log');
  if (existsSync(log)) {
    inp.log = await scanKubeletLog(createReadStream(log), { year: 2026 });
    if (inp.name === '-' && inp.log.host) inp.name = inp.log.host;
  }
  return inp;
}

/** Diagnoses a log given as lines (and optionally a Node), offline, at a fixed time. */
export async function diagnoseLines(lines: string[], node?: V1Node): Promise<NodeDiagnosis> {
  const inp: NodeInputs = { name: '-', unavailable: [], now: new Date('2026-11-20T00:00:00Z'), node };
  inp.log = await scanKubeletLog(Readable.from([lines.join('\n')]), { year: 2026 });
  return diagnoseNode(inp);
}
