import { strict as assert } from 'node:assert';
import { podJobClassicSidecar } from '../../src/checks/pod-job-classic-sidecar.js';
import { fixture } from '../helpers/cli.js';
import { FIXTURE_NOW, loadInputs } from './fixtures.test.js';

describe('POD005 classic sidecar in a Job pod', () => {
  it('is critical when the work is done and the sidecar still runs', async () => {
    const [f] = podJobClassicSidecar.run(await loadInputs(fixture('POD005', 'fail-job-cloud-sql-proxy.json')), FIXTURE_NOW);
    assert.equal(f.severity, 'critical');
    assert.equal(f.message, "the job's work is done but cloud-sql-proxy is still running, so Job db-migrate-29384710 cannot complete");
    assert.ok(f.evidence.includes('observed: migrate terminated: Completed (exit 0); cloud-sql-proxy still running'));
  });

  it('is a warning before the work is done, and passes when the app tells the sidecar to quit', async () => {
    const inputs = await loadInputs(fixture('POD005', 'fail-job-cloud-sql-proxy.json'));
    delete inputs.pods![0].status;
    const [f] = podJobClassicSidecar.run(inputs, FIXTURE_NOW);
    assert.equal(f.severity, 'warning');
    inputs.pods![0].spec!.containers[0].command = ['sh', '-c', '/app/migrate up; curl -fsS -X POST localhost:9091/quitquitquit'];
    assert.deepEqual(podJobClassicSidecar.run(inputs, FIXTURE_NOW), []);
  });
});
