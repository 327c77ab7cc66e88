import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/gather/check.js';
import { renderJson } from '../../src/render/data.js';
import { renderReportMarkdown, renderReportTable } from '../../src/render/report.js';
import type { Report } from '../../src/report/types.js';
import { FilesSource } from '../../src/source/files.js';
import { openDirectory } from '../../src/source/snapshot.js';
import type { ClusterSource } from '../../src/source/types.js';
import { ROOT, fixture, runCli } from '../helpers/cli.js';

// Pins podscope check's whole output (JSON, markdown, wide table) on the shipped example, the
// cluster-info dump and every check fixture, byte for byte: speed work must not change a result.
// After an intended change of output: PODSCOPE_UPDATE_GOLDEN=1 npx mocha test/report/golden.test.ts
const NOW = new Date('2026-11-21T09:10:00Z');
const GOLDEN = fixture('golden');
const update = Boolean(process.env.PODSCOPE_UPDATE_GOLDEN);

async function reportOf(source: ClusterSource, location: string, now = NOW): Promise<Report> {
  try {
    const report = await runChecks({ source, scope: { allNamespaces: true }, checks: CHECKS, now });
    return { ...report, source: { ...report.source, location } };
  } finally {
    await source.close();
  }
}

function same(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (update || !existsSync(file)) writeFileSync(file, actual);
  assert.ok(readFileSync(file, 'utf8') === actual, `${name} differs from the golden file (PODSCOPE_UPDATE_GOLDEN=1 rewrites it)`);
}

/** Every input file of the check fixtures (test/__fixtures__/<CHECK-ID>/), relative to the repository. */
function checkFixtures(): string[] {
  return CHECKS.flatMap((c) => {
    const dir = fixture(c.id);
    return existsSync(dir) ? readdirSync(dir).filter((f) => /\.(json|ya?ml)$/.test(f)).sort().map((f) => path.relative(ROOT, path.join(dir, f))) : [];
  });
}

describe('golden output of check', () => {
  for (const dir of ['examples/shop-snapshot', 'test/__fixtures__/cluster-info-dump', 'test/__fixtures__/schedule/shop-snapshot']) {
    it(`${dir}: JSON, markdown and the wide table are unchanged`, async () => {
      const report = await reportOf(openDirectory(path.join(ROOT, dir)), dir);
      const base = dir.replaceAll('/', '_');
      same(`${base}.json`, renderJson(report));
      same(`${base}.md`, renderReportMarkdown(report));
      same(`${base}.txt`, renderReportTable(report, { color: false, width: 160, wide: true }));
    });
  }

  it('every check fixture: the findings of all checks are unchanged', async () => {
    const parts: string[] = [];
    for (const rel of checkFixtures()) {
      const { findings, unavailable, summary } = await reportOf(FilesSource.load(path.join(ROOT, rel)), rel);
      // Reasons name the file by the path it was opened with: the checkout's own root is not part of the result.
      parts.push(`== ${rel}\n${renderJson({ findings, unavailable, summary }).replaceAll(ROOT + path.sep, '<repo>/')}`);
    }
    same('check-fixtures.txt', parts.join(''));
  });

  it('the CLI prints exactly the rendered report (check --from examples/shop-snapshot -o json)', async () => {
    const r = runCli(['check', '-A', '--from', 'examples/shop-snapshot', '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const now = new Date(JSON.parse(r.stdout).generatedAt);
    const report = await reportOf(openDirectory(path.join(ROOT, 'examples/shop-snapshot')), 'examples/shop-snapshot', now);
    assert.ok(r.stdout === renderJson(report), 'CLI JSON differs from renderJson of the same report');
  });
});
