// The linux-amd64 single-file executable (npm run dist), run as a kubectl plugin user would: from
// an empty directory, with an empty environment (no Node on PATH). Run by `npm run test:dist`.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, fixture } from '../helpers/cli.js';
import { parseValid } from '../helpers/schema.js';

const ARCHIVE = path.join(ROOT, 'dist-bin', 'podscope-linux-amd64.tar.gz');

describe('single-file executable (linux-amd64)', function () {
  let dir = '';
  let exe = '';
  const run = (args: string[]) => {
    const r = spawnSync(exe, args, { cwd: dir, env: {}, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  before(function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    assert.ok(fs.existsSync(ARCHIVE), `${ARCHIVE} missing: npm run dist`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-sea-'));
    const r = spawnSync('tar', ['-xzf', ARCHIVE, '-C', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    exe = path.join(dir, 'kubectl-podscope');
    // the archive holds exactly the binary, the licence and kubectl's completion hook; then run
    // from an empty directory
    assert.deepEqual(fs.readdirSync(dir).sort(), ['LICENSE', 'kubectl-podscope', 'kubectl_complete-podscope']);
    const sum = fs.readFileSync(`${ARCHIVE}.sha256`, 'utf8');
    assert.match(sum, /^[0-9a-f]{64} {2}podscope-linux-amd64\.tar\.gz\n$/);
    fs.rmSync(path.join(dir, 'LICENSE'));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-sea-cwd-'));
  });

  it('answers --version with the package version and its own embedded Node 24', function () {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = run(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^podscope/${version.replaceAll('.', '\\.')} linux-x64 node-v24\\.`));
  });

  it('lists the checks (oclif command discovery inside the bundle)', function () {
    const r = run(['checks']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ID\s+SEVERITY/);
    assert.ok(r.stdout.includes('PLEG001'));
  });

  it('gates the shipped example snapshot with the same verdict as bin/run.js', function () {
    const r = run(['check', '--from', path.join(ROOT, 'examples', 'shop-snapshot'), '-o', 'json']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
    const report = parseValid<{ schemaVersion: number; findings: { checkId: string }[] }>(r.stdout, 'report');
    assert.equal(report.schemaVersion, 1);
    assert.ok(report.findings.some((f) => f.checkId === 'STOP001'));
  });

  it('reads a kubelet log (pleg --kubelet-log)', function () {
    const r = run(['pleg', '--kubelet-log', fixture('pleg', 'starvation-1.27', 'kubelet.log')]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1, 'starvation log: node UNHEALTHY');
    assert.match(r.stdout, /ip-10-0-7-19\s+UNHEALTHY/);
  });

  it('shows help for a command and exits 2 on an unknown one, without a stack trace', function () {
    const help = run(['check', '--help']);
    assert.equal(help.code, 0);
    assert.ok(help.stdout.includes('--fail-on'));
    // The archive's binary is kubectl-podscope (krew), so usage says `kubectl podscope`.
    assert.match(help.stdout, /\$ kubectl podscope check/);
    const verb = run(['help', 'check']);
    assert.equal(verb.code, 0, verb.stderr);
    assert.ok(verb.stdout.includes('--fail-on'));
    const bad = run(['no-such-command']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^kubectl podscope: unknown command "no-such-command"|^podscope: unknown command "no-such-command"/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });
});

describe('single-file executable: shell completion (cobra protocol, as kubectl runs it)', function () {
  let dir = '';
  before(function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-sea-compl-'));
    const r = spawnSync('tar', ['-xzf', ARCHIVE, '-C', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs a file of the archive with an empty environment but PATH (no Node on it). */
  const run = (file: string, args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(file, args, { cwd: os.tmpdir(), env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  it('kubectl-podscope __complete answers command names and flags with a directive line', () => {
    const names = run(path.join(dir, 'kubectl-podscope'), ['__complete', 'ch']);
    assert.equal(names.code, 0, names.stderr);
    assert.equal(names.stderr, '');
    assert.deepEqual(names.stdout.split('\n').map((l) => l.split('\t')[0]), ['check', 'checks', ':4', '']);
    const flags = run(path.join(dir, 'kubectl-podscope'), ['__complete', 'check', '-o', 's']);
    assert.equal(flags.stdout, 'sarif\n:4\n');
  });

  it('the shipped kubectl_complete-podscope answers through the executable beside it', () => {
    const r = run(path.join(dir, 'kubectl_complete-podscope'), ['check', '--fail']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--fail-on\t.*\n:4\n$/);
  });

  it('through a link elsewhere on PATH, it finds kubectl-podscope on PATH; live names stay silent without a cluster', () => {
    const links = fs.mkdtempSync(path.join(dir, 'links-'));
    fs.symlinkSync(path.join(dir, 'kubectl_complete-podscope'), path.join(links, 'kubectl_complete-podscope'));
    const env = { PATH: `${links}:${dir}:/usr/bin:/bin`, KUBECONFIG: path.join(dir, 'no-such-kubeconfig'), HOME: dir };
    const r = run(path.join(links, 'kubectl_complete-podscope'), ['inspect', ''], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, ':4\n');
  });
});
