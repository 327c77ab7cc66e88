import assert from 'node:assert/strict';
import { podNativeSidecarProbe } from '../../src/checks/pod-native-sidecar-probe.js';
import { checkFixtures } from '../helpers/check-fixtures.js';

const NOW = new Date('2026-11-21T16:30:00Z');

describe('POD006 pod-native-sidecar-probe', () => {
  const fixtures = checkFixtures('pod-native-sidecar-probe');

  it('has pass and fail fixtures', () => {
    assert.ok(fixtures.some((f) => f.expect === 'pass'));
    assert.ok(fixtures.some((f) => f.expect === 'fail'));
  });

  for (const f of fixtures) {
    it(`${f.expect}: ${f.file}`, () => {
      const found = podNativeSidecarProbe.run({ ...f.inputs, events: f.inputs.events ?? [] }, NOW);
      if (f.expect === 'pass') assert.deepEqual(found, []);
      else {
        assert.ok(found.length > 0, 'expected a finding');
        for (const x of found) {
          assert.equal(x.checkId, 'POD006');
          assert.ok(x.evidence.length > 0);
          assert.ok(x.remediation);
          assert.equal(x.subject.kind, 'Pod');
        }
      }
    });
  }
});
