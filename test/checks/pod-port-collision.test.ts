import assert from 'node:assert/strict';
import { podPortCollision } from '../../src/checks/pod-port-collision.js';
import { checkFixtures } from '../helpers/check-fixtures.js';

const NOW = new Date('2026-11-21T16:30:00Z');

describe('POD003 pod-port-collision', () => {
  const fixtures = checkFixtures('pod-port-collision');

  it('has pass and fail fixtures', () => {
    assert.ok(fixtures.some((f) => f.expect === 'pass'));
    assert.ok(fixtures.some((f) => f.expect === 'fail'));
  });

  for (const f of fixtures) {
    it(`${f.expect}: ${f.file}`, () => {
      const found = podPortCollision.run({ ...f.inputs, events: f.inputs.events ?? [] }, NOW);
      if (f.expect === 'pass') assert.deepEqual(found, []);
      else {
        assert.ok(found.length > 0, 'expected a finding');
        for (const x of found) {
          assert.equal(x.checkId, 'POD003');
          assert.ok(x.evidence.length > 0);
          assert.ok(x.remediation);
          assert.equal(x.subject.kind, 'Pod');
        }
      }
    });
  }
});
