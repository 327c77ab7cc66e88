import { strict as assert } from 'node:assert';
import { podNativeSidecarProbe } from '../../src/checks/pod-native-sidecar-probe.js';
import { fixture } from '../helpers/cli.js';
import { FIXTURE_NOW, loadInputs } from './fixtures.test.js';

describe('POD006 native sidecar without a startup probe', () => {
  it('is a warning for a proxy, noting its readiness probe does not gate the next container', async () => {
    const [f] = podNativeSidecarProbe.run(await loadInputs(fixture('POD006', 'fail-linkerd-no-await.json')), FIXTURE_NOW);
    assert.equal(f.severity, 'warning');
    assert.equal(f.subject.container, 'linkerd-proxy');
    assert.ok(f.evidence.includes('it has a readinessProbe (that gates pod readiness, not the start of the next container)'));
  });

  it('is info for a sidecar that carries no traffic', async () => {
    const inputs = await loadInputs(fixture('POD006', 'fail-linkerd-no-await.json'));
    const proxy = inputs.pods![0].spec!.initContainers![1];
    proxy.name = 'log-agent';
    proxy.image = 'cr.fluentbit.io/fluent/fluent-bit:3.1.9';
    proxy.ports = [];
    const [f] = podNativeSidecarProbe.run(inputs, FIXTURE_NOW);
    assert.equal(f.severity, 'info');
  });
});
