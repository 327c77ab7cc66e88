import assert from 'node:assert/strict';
import { STOP_CHECKS } from '../../src/report/findings.js';
import { findCheck } from '../../src/checks/registry.js';
import { NOW, loadInputs } from './load.js';

// The pass/fail convention over every fixture is test/checks/fixtures.test.ts; these pin messages and severities.
describe('STOP checks on fixtures', () => {
  it('registers STOP001 to STOP005 in order', () => {
    assert.deepEqual(STOP_CHECKS.map((c) => c.id), ['STOP001', 'STOP002', 'STOP003', 'STOP004', 'STOP005']);
  });

  it('STOP001 names the Service and suggests the sleep action', async () => {
    const [f] = findCheck('STOP001')!.run(await loadInputs('STOP001', 'fail-no-prestop.json'), NOW);
    assert.match(f!.message, /behind Service web/);
    assert.match(f!.remediation!, /preStop\.sleep\.seconds/);
  });

  it('STOP002 is critical when the sleep equals the grace period and a warning when little is left', async () => {
    const c = findCheck('STOP002')!;
    const [eq] = c.run(await loadInputs('STOP002', 'fail-sleep-equals-grace.json'), NOW);
    assert.equal(eq!.severity, 'critical');
    assert.equal(eq!.subject.container, 'web');
    const [little] = c.run(await loadInputs('STOP002', 'fail-little-drain.json'), NOW);
    assert.equal(little!.severity, 'warning');
    assert.match(little!.message, /27\+ s\) leaves 3 s of the 30 s/);
  });

  it('STOP003 blames the finalizer or the lost node', async () => {
    const c = findCheck('STOP003')!;
    const [fin] = c.run(await loadInputs('STOP003', 'fail-finalizer.json'), NOW);
    assert.equal(fin!.severity, 'critical');
    assert.ok(fin!.evidence.includes('finalizers: example.com/drain-protection'));
    const [lost] = c.run(await loadInputs('STOP003', 'fail-node-lost.json'), NOW);
    assert.ok(lost!.evidence.some((e) => /node node-b is Ready=Unknown \(NodeStatusUnknown\)/.test(e)));
    assert.match(lost!.remediation!, /--grace-period=0 --force/);
  });

  it('STOP004 points at the proxy container', async () => {
    const [f] = findCheck('STOP004')!.run(await loadInputs('STOP004', 'fail-istio-proxy.json'), NOW);
    assert.equal(f!.subject.container, 'istio-proxy');
    assert.match(f!.remediation!, /native sidecar/);
  });
});
