import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { symlinkSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runCli } from '../helpers/cli.js';
import { assertSarif, parseValid } from '../helpers/schema.js';

const EXAMPLE = path.join(ROOT, 'examples', 'shop-snapshot');
/** The foundation's checks, which the example snapshot's expectations were written for. */
const BASE = 'POD001,POD002,NODE001';

describe('podscope check (built CLI)', () => {
  it('prints the table for the shipped example and exits 1 on a critical finding (default --fail-on critical)', () => {
    const r = runCli(['check', '--from', EXAMPLE]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /CRITICAL\s+POD001\s+pod\/shop\/checkout/);
    assert.match(r.stdout, /skipped NODE001/);
    assert.equal(r.stderr, '');
  });

  it('-o json prints the Report contract with a skipped check; --json prints the same', () => {
    // Pinned to the foundation's checks so that new checks do not change these expectations.
    const r = runCli(['check', '--from', EXAMPLE, '--checks', BASE, '-o', 'json', '--fail-on', 'warning']);
    assert.equal(r.code, 1);
    const report = parseValid(r.stdout);
    assert.equal(report.schemaVersion, 1);
    assert.ok(report.checks.some((c: { status: string; reason?: string }) => c.status === 'skipped' && /forbidden/.test(c.reason ?? '')));
    assert.deepEqual(report.findings.map((f: { checkId: string }) => f.checkId), ['POD001', 'POD002']);
    const j = runCli(['check', '--from', EXAMPLE, '--checks', BASE, '--json']);
    const viaFlag = parseValid(j.stdout);
    assert.deepEqual({ ...viaFlag, generatedAt: 0 }, { ...report, generatedAt: 0 });
  });

  it('gates: --checks POD002 with --fail-on warning → 1, with --fail-on critical → 0, --strict with a skipped check → 4', () => {
    assert.equal(runCli(['check', '--from', EXAMPLE, '--checks', 'POD002', '--fail-on', 'warning']).code, 1);
    assert.equal(runCli(['check', '--from', EXAMPLE, '--checks', 'POD002']).code, 0);
    assert.equal(runCli(['check', '--from', EXAMPLE, '--checks', 'NODE001', '--strict']).code, 4);
    assert.equal(runCli(['check', '--from', EXAMPLE, '--checks', 'NODE001']).code, 0);
  });

  it('CI formats: junit, sarif, markdown', () => {
    assert.match(runCli(['check', '--from', EXAMPLE, '-o', 'junit']).stdout, /^<\?xml/);
    const sarif = JSON.parse(runCli(['check', '--from', EXAMPLE, '-o', 'sarif']).stdout) as { version: string };
    assertSarif(sarif);
    assert.equal(sarif.version, '2.1.0');
    assert.match(runCli(['check', '--from', EXAMPLE, '-o', 'markdown']).stdout, /^## podscope check/);
  });

  it('-n and -l narrow the scope offline', () => {
    const r = parseValid(runCli(['check', '--from', EXAMPLE, '--checks', BASE, '-o', 'json', '-l', 'app.kubernetes.io/name=cart']).stdout);
    assert.deepEqual(r.findings.map((f: { checkId: string }) => f.checkId), ['POD002']);
    // The example snapshot holds only shop: another namespace is not in the input (exit 3, issue 13 item 7).
    const none = runCli(['check', '--from', EXAMPLE, '-o', 'json', '-n', 'kube-system']);
    assert.equal(none.code, 3, none.stderr);
    assert.match(none.stderr, /^podscope: namespace "kube-system" not found in the input\n/);
  });

  it('usage errors: one line, exit 2, no stack', () => {
    for (const args of [['check', '--bogus'], ['check', '-o', 'pdf'], ['check', '--checks', 'NOPE001', '--from', EXAMPLE], ['check', '--from', EXAMPLE, '-f', 'x.yaml'], ['check', '--from', EXAMPLE, '-l', 'a=(b']]) {
      const r = runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^podscope: /);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('data errors: no kubeconfig, unreadable snapshot, bad file: one line, exit 3', () => {
    const noKube = runCli(['check'], { env: { KUBECONFIG: '' } });
    assert.equal(noKube.code, 3);
    assert.match(noKube.stderr, /^podscope: no kubeconfig found: \/nonexistent-home\/\.kube\/config does not exist\n  hint: /);
    const missing = runCli(['check', '--from', '/nonexistent/snap']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /is not a directory/);
    const notK8s = runCli(['check', '-f', '-'], { stdin: '{"hello":"world"}' });
    assert.equal(notK8s.code, 3);
    assert.match(notK8s.stderr, /standard input holds no Kubernetes objects/);
    for (const r of [noKube, missing, notK8s]) assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('reads -f - from standard input', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { containerStatuses: [{ name: 'c', restartCount: 3, ready: true, image: 'i', imageID: '', state: { running: {} }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] } };
    const r = runCli(['check', '-f', '-', '-o', 'json', '--fail-on', 'warning'], { stdin: JSON.stringify(pod) });
    assert.equal(r.code, 1);
    assert.equal(parseValid(r.stdout).findings[0].checkId, 'POD002');
  });
});

describe('podscope CLI surface', () => {
  it('lists its commands in --help, also through the kubectl plugin name', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    const plugin = path.join(dir, 'kubectl-podscope');
    symlinkSync(path.join(ROOT, 'bin', 'run.js'), plugin);
    const r = runCli(['--help']);
    assert.equal(r.code, 0);
    for (const cmd of ['check', 'checks', 'snapshot']) assert.match(r.stdout, new RegExp(`\\n  ${cmd}\\s`));
    assert.match(r.stdout, /EXIT CODES\n  0  nothing at or above --fail-on\n  1  findings/);
    // The cached fast-path help is oclif's own screen: the same text as without the fast path.
    assert.equal(runCli(['--help'], { env: { PODSCOPE_NO_FASTPATH: '1' } }).stdout, r.stdout);
    // kubectl runs a plugin by executing the kubectl-<name> file it finds on PATH with the rest of the args.
    const viaPlugin = spawnSync('kubectl-podscope', ['--help'], { env: { PATH: `${dir}:${process.env.PATH}`, HOME: '/nonexistent-home' }, encoding: 'utf8' });
    assert.equal(viaPlugin.status, 0, viaPlugin.stderr);
    assert.match(viaPlugin.stdout, /\n  check\s+Run every check/);
  });

  it('checks lists the catalogue, and -o json carries each check\'s RBAC', () => {
    const r = runCli(['checks', '-o', 'json']);
    assert.equal(r.code, 0);
    const cat = parseValid(r.stdout);
    const node = cat.checks.find((c: { id: string }) => c.id === 'NODE001');
    assert.deepEqual(node.rbac, ['list nodes (cluster-wide)']);
    assert.match(runCli(['checks']).stdout, /^ID\s+SEVERITY\s+TITLE\s+NEEDS\nPOD001/);
  });

  it('snapshot refuses offline inputs and a bad --log-since (exit 2)', () => {
    assert.equal(runCli(['snapshot', '/tmp/x', '--from', EXAMPLE]).code, 2);
    assert.equal(runCli(['snapshot', '/tmp/x', '--log-since', 'soon']).code, 2);
    assert.equal(runCli(['snapshot']).code, 2);
  });
});
