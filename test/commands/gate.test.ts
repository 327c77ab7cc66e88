import { strict as assert } from 'node:assert';
import { fixture, runCli } from '../helpers/cli.js';
import { parseValid } from '../helpers/schema.js';

// DESIGN.md §2: every analysing command exits 1 for findings at or above --fail-on (default
// critical), 0 below it, and 4 with --strict when some input was unavailable.
describe('exit codes of the analysing commands', () => {
  it('inspect: a port collision (critical) exits 1; a warning-only pod exits 0 unless --fail-on warning', () => {
    const collision = runCli(['inspect', '-f', fixture('inspect', 'port-collision.json')]);
    assert.equal(collision.code, 1, collision.stderr);
    assert.match(collision.stdout, /POD003/);
    const warnOnly = runCli(['inspect', '-f', fixture('inspect', 'istio-classic.json'), '-o', 'json']);
    const severities = (parseValid(warnOnly.stdout) as { findings: { severity: string }[] }).findings.map((f) => f.severity);
    assert.ok(severities.includes('warning') && !severities.includes('critical'), `fixture has warnings only: ${severities.join(',')}`);
    assert.equal(warnOnly.code, 0);
    assert.equal(runCli(['inspect', '-f', fixture('inspect', 'istio-classic.json'), '--fail-on', 'warning']).code, 1);
  });

  it('schedule: an unschedulable pod exits 1; --fail-on is validated', () => {
    assert.equal(runCli(['schedule', 'trainer-0', '-n', 'shop', '--from', fixture('schedule', 'shop-snapshot')]).code, 1);
    assert.equal(runCli(['schedule', 'trainer-0', '-n', 'shop', '--from', fixture('schedule', 'shop-snapshot'), '--fail-on', 'fatal']).code, 2);
  });

  it('pleg: an unhealthy node exits 1, a healthy start-up log exits 0', () => {
    assert.equal(runCli(['pleg', '--kubelet-log', fixture('pleg', 'disk-io-1.9', 'kubelet.log')]).code, 1);
    const healthy = runCli(['pleg', '--kubelet-log', fixture('pleg', 'negative-startup-1.28', 'kubelet.log'), '-o', 'json']);
    assert.equal((parseValid(healthy.stdout) as { nodes: { status: string }[] }).nodes[0].status, 'healthy');
    assert.equal(healthy.code, 0, healthy.stderr);
  });
});
