import assert from 'node:assert/strict';
import { diagnoseNode } from '../../src/analysis/pleg/diagnose.js';
import { caseInputs, plegCases } from './helpers.js';

const cases = plegCases();

describe('pleg diagnosis on fixtures of every cause and era', () => {
  it('has a fixture for every cause and at least three negatives', () => {
    const causes = new Set(cases.map((c) => c.expect.firstCause).filter(Boolean));
    assert.deepEqual([...causes].sort(), [
      'cni-failure', 'disk-io', 'known-bad-version', 'pid-exhaustion', 'pod-density', 'relist-deadlock',
      'resource-starvation', 'runtime-down', 'runtime-rpc-timeout',
    ]);
    assert.ok(cases.filter((c) => c.expect.firstCause === null).length >= 3);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.expect.status}, first cause ${c.expect.firstCause ?? 'none'}`, async () => {
      const d = diagnoseNode(await caseInputs(c));
      assert.equal(d.status, c.expect.status, d.symptoms.join('\n'));
      if (c.expect.firstCause === null) {
        assert.deepEqual(d.causes, []);
      } else {
        assert.equal(d.causes[0]?.id, c.expect.firstCause, JSON.stringify(d.causes.map((x) => [x.id, x.confidence])));
        assert.ok(d.causes[0].evidence.length > 0, 'the first cause has evidence');
        assert.ok(d.causes[0].remediation.length > 20, 'the first cause says what to do');
      }
    });
  }
});
