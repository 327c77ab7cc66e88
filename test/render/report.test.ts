import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/gather/check.js';
import type { Report } from '../../src/report/types.js';
import { renderJson, renderYaml } from '../../src/render/data.js';
import { renderJunit } from '../../src/render/junit.js';
import { wantColor } from '../../src/render/options.js';
import { renderReportMarkdown, renderReportTable } from '../../src/render/report.js';
import { renderSarif } from '../../src/render/sarif.js';
import { openDirectory } from '../../src/source/snapshot.js';
import { ROOT } from '../helpers/cli.js';
import { assertSarif, parseValid } from '../helpers/schema.js';

async function exampleReport(): Promise<Report> {
  return runChecks({ source: openDirectory(`${ROOT}/examples/shop-snapshot`), scope: { allNamespaces: true }, checks: CHECKS, now: new Date('2026-11-21T09:10:00Z') });
}

describe('renderers', () => {
  it('table: plain without colour, findings, skipped checks with reasons, totals', async () => {
    const out = renderReportTable(await exampleReport(), { color: false, wide: false });
    assert.doesNotMatch(out, /\u001b\[/);
    const lines = out.split('\n');
    assert.match(lines[0], /^SEVERITY\s+CHECK\s+OBJECT\s+MESSAGE$/);
    assert.match(lines[1], /^CRITICAL\s+POD001\s+pod\/shop\/checkout-5f6b8c7d9-2hvzl \[checkout\]/);
    assert.match(out, /\nskipped NODE001, PLEG001, [A-Z0-9, ]+: nodes: not captured: forbidden: list nodes cluster-wide; fix: /);
    assert.equal(out.match(/^skipped /gm)?.length, 1, 'checks skipped for the same reason share one line');
    // Counts follow the registry: checks added later pass or are skipped on this snapshot, except
    // STOP001, which fails on its four serving pods (no preStop delay).
    assert.match(out, new RegExp(`${CHECKS.length} checks: \\d+ passed, 3 failed, \\d+ skipped, 0 errored; findings: 1 critical, 5 warning, 0 info`));
    const coloured = renderReportTable(await exampleReport(), { color: true, wide: true });
    assert.match(coloured, /\u001b\[/);
    assert.match(coloured, /Next steps:/);
  });

  it('json and yaml carry the same contract with schemaVersion', async () => {
    const r = await exampleReport();
    const j = parseValid<Report>(renderJson(r), 'report');
    assert.equal(j.schemaVersion, 1);
    assert.deepEqual(Object.keys(j), ['$schema', 'schemaVersion', 'tool', 'generatedAt', 'source', 'scope', 'checks', 'findings', 'unavailable', 'summary']);
    assert.deepEqual(parse(renderYaml(r)), j);
  });

  it('junit: a suite per check, failures per finding, skipped case with its reason', async () => {
    const xml = renderJunit(await exampleReport());
    assert.match(xml, /<testsuites name="podscope" tests="\d+" failures="6"/); // POD001, POD002, STOP001 ×4
    assert.match(xml, /<testcase classname="POD001" name="Pod\/shop\/checkout-5f6b8c7d9-2hvzl \[checkout\]">\s*<failure message="critical: container checkout is in CrashLoopBackOff/);
    assert.match(xml, /<testsuite name="NODE001 Node not Ready"[^>]*skipped="1"/);
  });

  it('sarif 2.1.0: a rule per check, a result per finding with its level', async () => {
    const s = JSON.parse(renderSarif(await exampleReport()));
    assertSarif(s);
    assert.equal(s.version, '2.1.0');
    const run = s.runs[0];
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), CHECKS.map((c) => c.id));
    assert.deepEqual(run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`), [
      'POD001:error',
      'POD002:warning',
      ...Array<string>(4).fill('STOP001:warning'),
    ]);
    assert.equal(run.results[0].locations[0].logicalLocations[0].fullyQualifiedName, 'Pod/shop/checkout-5f6b8c7d9-2hvzl/checkout');
  });

  it('markdown: summary line and a table row per finding, pipes escaped', async () => {
    const md = renderReportMarkdown(await exampleReport());
    assert.match(md, /\*\*1 critical, 5 warning, 0 info\*\*/);
    assert.match(md, /\| critical \| POD001 \| `pod\/shop\/checkout-5f6b8c7d9-2hvzl \[checkout\]` \|/);
    assert.match(md, /\| NODE001 Node not Ready \| skipped \|/);
  });

  it('colour follows NO_COLOR, FORCE_COLOR, TERM=dumb and the TTY', () => {
    assert.equal(wantColor({ isTTY: true }, {}), true);
    assert.equal(wantColor({ isTTY: false }, {}), false);
    assert.equal(wantColor({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(wantColor({ isTTY: true }, { TERM: 'dumb' }), false);
    assert.equal(wantColor({ isTTY: false }, { FORCE_COLOR: '1' }), true);
  });
});
