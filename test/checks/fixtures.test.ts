import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../../src/checks/registry.js';
import type { Inputs } from '../../src/checks/types.js';
import { FilesSource } from '../../src/source/files.js';
import { RESOURCE_KINDS } from '../../src/source/types.js';
import { fixture } from '../helpers/cli.js';

/** Fixtures are judged at this instant (fixture timestamps are written around it). */
export const FIXTURE_NOW = new Date('2026-11-21T09:10:00Z');

/** Loads a fixture file (any kubectl-style JSON/YAML) as check inputs. */
export async function loadInputs(file: string): Promise<Inputs> {
  const src = FilesSource.load(file);
  const inputs: Record<string, unknown> = {};
  for (const kind of RESOURCE_KINDS) {
    const res = await src.list(kind, { allNamespaces: true });
    inputs[kind] = res.ok ? res.value : [];
  }
  return inputs as Inputs;
}

// Convention (as Polaris does with success/ and failure/): test/__fixtures__/<CHECK-ID>/pass-*.json
// must give no finding of that check, fail-*.json at least one, and every check has both.
describe('check fixtures', () => {
  for (const check of CHECKS) {
    describe(`${check.id} ${check.title}`, () => {
      const dir = fixture(check.id);
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(json|ya?ml)$/.test(f)) : [];

      it('has pass and fail fixtures', () => {
        assert.ok(files.some((f) => f.startsWith('pass-')), `no pass-* fixture in ${dir}`);
        assert.ok(files.some((f) => f.startsWith('fail-')), `no fail-* fixture in ${dir}`);
      });

      for (const f of files.filter((x) => x.startsWith('pass-') || x.startsWith('fail-'))) {
        it(`${f} ${f.startsWith('pass-') ? 'gives no finding' : 'gives findings of this check only'}`, async () => {
          const findings = check.run(await loadInputs(path.join(dir, f)), FIXTURE_NOW);
          if (f.startsWith('pass-')) assert.deepEqual(findings, []);
          else {
            assert.ok(findings.length > 0, 'expected a finding');
            for (const x of findings) {
              assert.equal(x.checkId, check.id);
              assert.ok(x.message && x.evidence.length > 0, 'a finding carries a message and evidence');
            }
          }
        });
      }
    });
  }
});
