import { strict as assert } from 'node:assert';
import { podSidecarStartupRace } from '../../src/checks/pod-sidecar-startup-race.js';
import { fixture } from '../helpers/cli.js';
import { FIXTURE_NOW, loadInputs } from './fixtures.test.js';

describe('POD004 classic sidecar proxy startup race', () => {
  it('Istio without hold: names the racing app and the Istio fix', async () => {
    const [f] = podSidecarStartupRace.run(await loadInputs(fixture('POD004', 'fail-istio-classic.json')), FIXTURE_NOW);
    assert.equal(f.severity, 'warning');
    assert.equal(f.subject.container, 'istio-proxy');
    assert.equal(f.message, 'reviews may start before the proxy istio-proxy is ready; early connections fail');
    assert.match(f.remediation ?? '', /proxy\.istio\.io\/config: '\{"holdApplicationUntilProxyStarts": true\}'/);
    assert.match(f.remediation ?? '', /sidecar\.istio\.io\/nativeSidecar/);
  });

  it('a proxy with a postStart hook listed after the app still races, and says why', async () => {
    const inputs = await loadInputs(fixture('POD004', 'pass-istio-hold.json'));
    inputs.pods![0].spec!.containers.reverse();
    const [f] = podSidecarStartupRace.run(inputs, FIXTURE_NOW);
    assert.ok(f.evidence.includes('istio-proxy has a postStart hook, but reviews is listed before it'));
    assert.ok(f.evidence.includes('proxy.istio.io/config holdApplicationUntilProxyStarts: true'));
  });

  it('an ambassador outside any mesh gets the native-sidecar fix', async () => {
    const [f] = podSidecarStartupRace.run(await loadInputs(fixture('POD004', 'fail-job-cloud-sql-proxy.json')), FIXTURE_NOW);
    assert.match(f.message, /the ambassador cloud-sql-proxy/);
    assert.match(f.remediation ?? '', /^Move cloud-sql-proxy to initContainers with restartPolicy: Always and a startupProbe/);
  });
});
