import type { Inputs } from '../../src/checks/types.js';
import { FilesSource } from '../../src/source/files.js';
import { RESOURCE_KINDS } from '../../src/source/types.js';
import { fixture } from '../helpers/cli.js';

/** The clock the check fixtures are judged at (FIXTURE_NOW of test/checks/fixtures.test.ts). */
export const NOW = new Date('2026-11-21T09:10:00Z');

/** A fixture under test/__fixtures__ as check inputs, read the way -f reads files. */
export async function loadInputs(...parts: string[]): Promise<Inputs> {
  const src = FilesSource.load(fixture(...parts));
  const inputs: Record<string, unknown> = {};
  for (const kind of RESOURCE_KINDS) {
    const res = await src.list(kind, { allNamespaces: true });
    if (res.ok) inputs[kind] = res.value;
  }
  return inputs as Inputs;
}
