import { strict as assert } from 'node:assert';
import { podLivenessRestarts } from '../../src/checks/pod-liveness-restarts.js';
import { fixture } from '../helpers/cli.js';
import { FIXTURE_NOW, loadInputs } from './fixtures.test.js';

describe('POD007 liveness restarts', () => {
  it("quotes the kubelet's probe failure and kill events for the container", async () => {
    const [f] = podLivenessRestarts.run(await loadInputs(fixture('POD007', 'fail-liveness-kill.json')), FIXTURE_NOW);
    assert.equal(f.subject.container, 'checkout');
    assert.equal(f.message, 'checkout is restarted by its failing liveness probe (4 restarts)');
    assert.deepEqual(f.evidence, [
      '2026-11-21T16:20:01.000Z Warning Unhealthy (x12): Liveness probe failed: Get "http://10.0.3.160:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      '2026-11-21T16:20:02.000Z Normal Killing (x4): Container checkout failed liveness probe, will be restarted',
    ]);
  });

  it('ignores events of another pod with the same name (a different uid)', async () => {
    const inputs = await loadInputs(fixture('POD007', 'fail-liveness-kill.json'));
    inputs.pods![0].metadata!.uid = '00000000-0000-4000-8000-000000000000';
    assert.deepEqual(podLivenessRestarts.run(inputs, FIXTURE_NOW), []);
  });
});
