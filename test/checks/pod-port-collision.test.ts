import { strict as assert } from 'node:assert';
import { podPortCollision } from '../../src/checks/pod-port-collision.js';
import { fixture } from '../helpers/cli.js';
import { FIXTURE_NOW, loadInputs } from './fixtures.test.js';

describe('POD003 port collision', () => {
  it('names the port, both containers and the shared network namespace, as critical', async () => {
    const found = podPortCollision.run(await loadInputs(fixture('POD003', 'fail-exporter-9090.json')), FIXTURE_NOW);
    assert.equal(found.length, 1);
    assert.equal(found[0].severity, 'critical');
    assert.equal(found[0].subject.container, 'statsd-exporter');
    assert.equal(found[0].message, 'port 9090/TCP is declared by api and statsd-exporter, which share one network namespace');
  });

  it("says the port is the node's with hostNetwork", async () => {
    const inputs = await loadInputs(fixture('POD003', 'fail-exporter-9090.json'));
    inputs.pods![0].spec!.hostNetwork = true;
    const [f] = podPortCollision.run(inputs, FIXTURE_NOW);
    assert.match(f.message, /share the node's network namespace/);
    assert.ok(f.evidence.includes("hostNetwork: true, so the port is the node's port"));
  });
});
