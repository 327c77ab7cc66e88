import assert from 'node:assert/strict';
import { STOP_CHECKS } from '../../src/analysis/stop/gather.js';
import { findCheck } from '../../src/checks/registry.js';
import { NOW, fixturesOf, loadInputs } from './load.js';

describe('STOP checks on fixtures', () => {
  it('registers STOP001 to STOP005 in order', () => {
    assert.deepEqual(STOP_CHECKS.map((c) => c.id), ['STOP001', 'STOP002', 'STOP003', 'STOP004', 'STOP005']);
  });

  for (const check of STOP_CHECKS) {
    const fails = fixturesOf(check.id, 'fail');
    const passes = fixturesOf(check.id, 'pass');
    it(`${check.id} has pass and fail fixtures`, () => {
      assert.ok(fails.length > 0 && passes.length > 0);
    });
    for (const f of fails) {
      it(`${check.id} finds ${f}`, () => {
        const found = check.run(loadInputs(check.id, f), NOW);
        assert.ok(found.length >= 1, 'expected a finding');
        for (const x of found) {
          assert.equal(x.checkId, check.id);
          assert.equal(x.subject.kind, 'Pod');
          assert.ok(x.evidence.length > 0);
          assert.ok(x.remediation);
        }
      });
    }
    for (const f of passes) {
      it(`${check.id} passes ${f}`, () => {
        assert.deepEqual(check.run(loadInputs(check.id, f), NOW), []);
      });
    }
  }

  it('STOP001 names the Service and suggests the sleep action', () => {
    const [f] = findCheck('STOP001')!.run(loadInputs('STOP001', 'fail-no-prestop.json'), NOW);
    assert.match(f!.message, /behind Service web/);
    assert.match(f!.remediation!, /preStop\.sleep\.seconds/);
  });

  it('STOP002 is critical when the sleep equals the grace period and a warning when little is left', () => {
    const c = findCheck('STOP002')!;
    const [eq] = c.run(loadInputs('STOP002', 'fail-sleep-equals-grace.json'), NOW);
    assert.equal(eq!.severity, 'critical');
    assert.equal(eq!.subject.container, 'web');
    const [little] = c.run(loadInputs('STOP002', 'fail-little-drain.json'), NOW);
    assert.equal(little!.severity, 'warning');
    assert.match(little!.message, /27\+ s\) leaves 3 s of the 30 s/);
  });

  it('STOP003 blames the finalizer or the lost node', () => {
    const c = findCheck('STOP003')!;
    const [fin] = c.run(loadInputs('STOP003', 'fail-finalizer.json'), NOW);
    assert.equal(fin!.severity, 'critical');
    assert.ok(fin!.evidence.includes('finalizers: example.com/drain-protection'));
    const [lost] = c.run(loadInputs('STOP003', 'fail-node-lost.json'), NOW);
    assert.ok(lost!.evidence.some((e) => /node node-b is Ready=Unknown \(NodeStatusUnknown\)/.test(e)));
    assert.match(lost!.remediation!, /--grace-period=0 --force/);
  });

  it('STOP004 points at the proxy container', () => {
    const [f] = findCheck('STOP004')!.run(loadInputs('STOP004', 'fail-istio-proxy.json'), NOW);
    assert.equal(f!.subject.container, 'istio-proxy');
    assert.match(f!.remediation!, /native sidecar/);
  });
});
