import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { collectObjects } from '../../src/source/files.js';
import type { Inputs } from '../../src/checks/types.js';
import { fixture } from './cli.js';

/** One fixture of a check: its file name, the expected outcome from the name, and its inputs. */
export interface CheckFixture {
  file: string;
  expect: 'pass' | 'fail' | 'skip';
  inputs: Inputs;
}

/** Loads `test/__fixtures__/<dir>/{pass,fail,skip}-*.json` (a Pod, or a List with pods and events). */
export function checkFixtures(dir: string): CheckFixture[] {
  const base = fixture(dir);
  return readdirSync(base)
    .filter((f) => /^(pass|fail|skip)-.*\.json$/.test(f))
    .sort()
    .map((file) => {
      const by = collectObjects([JSON.parse(readFileSync(path.join(base, file), 'utf8')) as unknown]);
      const inputs: Inputs = { pods: (by.get('pods') ?? []) as V1Pod[] };
      if (by.has('events')) inputs.events = by.get('events') as CoreV1Event[];
      return { file, expect: file.split('-')[0] as CheckFixture['expect'], inputs };
    });
}
