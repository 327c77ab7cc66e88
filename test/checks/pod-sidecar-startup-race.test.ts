import assert from 'node:assert/strict';
import { podSidecarStartupRace } from '../../src/checks/pod-sidecar-startup-race.js';
import { checkFixtures } from '../helpers/check-fixtures.js';

const NOW = new Date('2026-11-21T16:30:00Z');

describe('POD004 pod-sidecar-startup-race', () => {
  const fixtures = checkFixtures('pod-sidecar-startup-race');

  it('has pass and fail fixtures', () => {
    assert.ok(fixtures.some((f) => f.expect === 'pass'));
    assert.ok(fixtures.some((f) => f.expect === 'fail'));
  });

  for (const f of fixtures) {
    it(`${f.expect}: ${f.file}`, () => {
      const found = podSidecarStartupRace.run({ ...f.inputs, events: f.inputs.events ?? [] }, NOW);
      if (f.expect === 'pass') assert.deepEqual(found, []);
      else {
        assert.ok(found.length > 0, 'expected a finding');
        for (const x of found) {
          assert.equal(x.checkId, 'POD004');
          assert.ok(x.evidence.length > 0);
          assert.ok(x.remediation);
          assert.equal(x.subject.kind, 'Pod');
        }
      }
    });
  }
});
