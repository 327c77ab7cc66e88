import { strict as assert } from 'node:assert';
import { nodeNotReady } from '../../src/checks/node-not-ready.js';
import { podCrashLoop } from '../../src/checks/pod-crashloop.js';
import { podOomKilled } from '../../src/checks/pod-oomkilled.js';
import { fixture } from '../helpers/cli.js';
import { FIXTURE_NOW, loadInputs } from './fixtures.test.js';

describe('check messages', () => {
  it('POD001 names CrashLoopBackOff, the restart count and the last termination', async () => {
    const [f] = podCrashLoop.run(await loadInputs(fixture('POD001', 'fail-crashloopbackoff.json')), FIXTURE_NOW);
    assert.equal(f.severity, 'critical');
    assert.equal(f.subject.container, 'api');
    assert.match(f.message, /CrashLoopBackOff after 14 restarts/);
    assert.ok(f.evidence.includes('last termination: Error, exit code 2, finished 2026-11-21T09:01:42.000Z'));
    assert.match(f.remediation ?? '', /kubectl logs -n shop api-6d4cf56db6-tx9qz -c api --previous/);
    const [often] = podCrashLoop.run(await loadInputs(fixture('POD001', 'fail-restarting-often.json')), FIXTURE_NOW);
    assert.equal(often.severity, 'warning');
    const [init] = podCrashLoop.run(await loadInputs(fixture('POD001', 'fail-init-container-crashloop.json')), FIXTURE_NOW);
    assert.match(init.message, /^init container migrate/);
  });

  it('POD002 gives the memory limit and exit code 137', async () => {
    const [f] = podOomKilled.run(await loadInputs(fixture('POD002', 'fail-last-oomkilled.json')), FIXTURE_NOW);
    assert.match(f.message, /OOMKilled \(memory limit 256Mi\)/);
    assert.match(f.evidence[0], /exit code 137/);
  });

  it('NODE001 reads both message shapes, the PLEG age and points at podscope pleg', async () => {
    const [old] = nodeNotReady.run(await loadInputs(fixture('NODE001', 'fail-pleg-old-comma-shape.json')), FIXTURE_NOW);
    assert.match(old.message, /NotReady for 7m30s: runtime down; pleg unhealthy/);
    assert.ok(old.evidence.includes('PLEG last seen 1h56m24s ago (threshold 3m)'));
    assert.equal(old.remediation, 'Diagnose the kubelet\'s PLEG and runtime: podscope pleg aks-nodepool1-0');
    const [bracket] = nodeNotReady.run(await loadInputs(fixture('NODE001', 'fail-pleg-new-bracket-shape.json')), FIXTURE_NOW);
    assert.deepEqual(bracket.evidence.filter((e) => e.startsWith('message:')), [
      'message: container runtime is down',
      'message: PLEG is not healthy: pleg was last seen active 3m5.30015447s ago; threshold is 3m0s',
    ]);
    const [unknown] = nodeNotReady.run(await loadInputs(fixture('NODE001', 'fail-unknown.json')), FIXTURE_NOW);
    assert.match(unknown.message, /stopped posting node status/);
  });
});
