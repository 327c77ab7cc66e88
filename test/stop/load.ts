import { readFileSync, readdirSync } from 'node:fs';
import type { Inputs } from '../../src/checks/types.js';
import { resourceOfKind } from '../../src/source/resources.js';
import { fixture } from '../helpers/cli.js';

/** The fixed clock of the STOP fixtures. */
export const NOW = new Date('2026-11-21T18:00:00Z');

/** A kubectl List fixture split into check inputs by kind. */
export function loadInputs(...parts: string[]): Inputs {
  const list = JSON.parse(readFileSync(fixture(...parts), 'utf8')) as { items: { kind: string }[] };
  const inputs: Record<string, unknown[]> = {};
  for (const item of list.items) {
    const r = resourceOfKind(item.kind);
    if (!r) throw new Error(`fixture ${parts.join('/')}: unexpected kind ${item.kind}`);
    (inputs[r] ??= []).push(item);
  }
  return inputs as Inputs;
}

/** Fixture files of a check, by outcome prefix. */
export function fixturesOf(check: string, prefix: 'pass' | 'fail'): string[] {
  return readdirSync(fixture(check)).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.json')).sort();
}
