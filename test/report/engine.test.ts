import { strict as assert } from 'node:assert';
import { defineCheck } from '../../src/checks/types.js';
import { ExitCode } from '../../src/errors.js';
import { runChecks } from '../../src/gather/check.js';
import { sortFindings } from '../../src/report/engine.js';
import { gateExitCode } from '../../src/report/gate.js';
import type { Finding } from '../../src/report/types.js';
import { openDirectory } from '../../src/source/snapshot.js';
import { ROOT } from '../helpers/cli.js';

const f = (checkId: string, severity: Finding['severity'], name: string): Finding => ({
  checkId, severity, subject: { kind: 'Pod', namespace: 'a', name }, message: 'm', evidence: ['e'],
});

describe('engine', () => {
  it('runs checks in isolation: unavailable input → skipped with reason, a throw → errored, the rest runs', async () => {
    let podsSeen = 0;
    const ok = defineCheck({ id: 'T001', title: 'ok', severity: 'info', description: 'd', needs: ['pods'], run: ({ inputs }) => {
      podsSeen = inputs.pods.length;
      return [];
    } });
    const needsNodes = defineCheck({ id: 'T002', title: 'nodes', severity: 'critical', description: 'd', needs: ['nodes'], run: () => [f('T002', 'critical', 'x')] });
    const boom = defineCheck({ id: 'T003', title: 'boom', severity: 'warning', description: 'd', needs: ['pods'], run: () => {
      throw new Error('kaput');
    } });
    const report = await runChecks({ source: openDirectory(`${ROOT}/examples/shop-snapshot`), scope: { allNamespaces: true }, checks: [ok, needsNodes, boom], now: new Date('2026-11-21T09:10:00Z') });
    assert.equal(podsSeen, 5);
    assert.deepEqual(report.checks.map((c) => [c.id, c.status]), [['T001', 'passed'], ['T002', 'skipped'], ['T003', 'errored']]);
    assert.match(report.checks[1].reason ?? '', /^nodes: not captured: forbidden: list nodes cluster-wide; fix: grant list on nodes/);
    assert.match(report.checks[2].reason ?? '', /a podscope bug\): kaput/);
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.source.kind, 'snapshot');
    assert.deepEqual(report.unavailable.map((u) => u.input), ['nodes']);
    assert.deepEqual(report.summary, { critical: 0, warning: 0, info: 0, passed: 1, failed: 0, skipped: 1, errored: 1 });
  });

  it('sorts findings by severity, then check and subject', () => {
    const sorted = sortFindings([f('B', 'info', 'z'), f('A', 'warning', 'b'), f('A', 'warning', 'a'), f('C', 'critical', 'q')]);
    assert.deepEqual(sorted.map((x) => `${x.severity}:${x.checkId}:${x.subject.name}`), ['critical:C:q', 'warning:A:a', 'warning:A:b', 'info:B:z']);
  });
});

describe('gate', () => {
  const warn = [f('A', 'warning', 'a')];
  it('exits 1 at or above --fail-on, 0 below it', () => {
    assert.equal(gateExitCode(warn, false, { failOn: 'critical', strict: false }), ExitCode.OK);
    assert.equal(gateExitCode(warn, false, { failOn: 'warning', strict: false }), ExitCode.FINDINGS);
    assert.equal(gateExitCode(warn, false, { failOn: 'info', strict: false }), ExitCode.FINDINGS);
  });
  it('exits 4 for an incomplete run only with --strict, and findings win over it', () => {
    assert.equal(gateExitCode([], true, { failOn: 'critical', strict: false }), ExitCode.OK);
    assert.equal(gateExitCode([], true, { failOn: 'critical', strict: true }), ExitCode.INCOMPLETE);
    assert.equal(gateExitCode(warn, true, { failOn: 'warning', strict: true }), ExitCode.FINDINGS);
  });
});
