/**
 * `kubectl podscope` through kubectl's own plugin discovery, with the kubectl v1.36.3 that
 * build.sh builds: a directory on PATH holding `kubectl-podscope` (a link to bin/run.js, as npm
 * installs it), found by `kubectl plugin list` and run by `kubectl podscope ...` against the
 * cluster. kubectl runs the plugin with the first `node` on PATH, so the test puts one there.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/types.js';
import { ROOT } from '../helpers/cli.js';
import { binaries } from './cluster/binaries.js';
import { cluster } from './cluster/hooks.js';

/** The Node 20 of the system, if there is one: older than podscope's 22.19. */
const OLD_NODE = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
  if (!existsSync(p)) return false;
  const v = spawnSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim().split('.').map(Number);
  return v[0]! < 22 || (v[0] === 22 && v[1]! < 19);
});

describe('kubectl podscope (kubectl v1.36.3 plugin discovery)', () => {
  let dir = '';
  let plugins = '';
  const kubectl = binaries().kubectl;

  /** Runs kubectl with PATH = a dir whose `node` links to `node`, then the plugin dir, then the system. */
  function run(args: string[], node: string) {
    const nodeDir = mkdtempSync(join(dir, 'node-'));
    symlinkSync(node, join(nodeDir, 'node'));
    const env = { PATH: `${nodeDir}:${plugins}:/usr/bin:/bin`, HOME: '/nonexistent-home', NO_COLOR: '1', KUBECONFIG: cluster().kubeconfig };
    const r = spawnSync(kubectl, args, { env, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'podscope-kubectl-'));
    plugins = join(dir, 'plugins');
    mkdirSync(plugins);
    symlinkSync(join(ROOT, 'bin', 'run.js'), join(plugins, 'kubectl-podscope'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('kubectl plugin list finds kubectl-podscope on PATH', () => {
    const r = run(['plugin', 'list'], process.execPath);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.split('\n').includes(join(plugins, 'kubectl-podscope')), r.stdout);
    assert.doesNotMatch(r.stderr, /warning/i, 'kubectl warned about the plugin');
  });

  it('kubectl podscope check -A reads the cluster of the kubeconfig', () => {
    const r = run(['podscope', 'check', '-A', '-o', 'json'], process.execPath);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.source.kind, 'live');
    assert.equal(report.source.location, cluster().state.server);
    assert.equal(report.scope.allNamespaces, true);
    assert.ok(report.summary.passed > 0, 'checks ran');
    assert.deepEqual(report.unavailable, [], 'every input was read');
  });

  it('help and usage name `kubectl podscope` when kubectl runs the plugin', () => {
    const top = run(['podscope', '--help'], process.execPath);
    assert.equal(top.code, 0, top.stderr);
    assert.match(top.stdout, /\$ kubectl podscope/);
    const sub = run(['podscope', 'check', '--help'], process.execPath);
    assert.equal(sub.code, 0, sub.stderr);
    assert.match(sub.stdout, /kubectl podscope check/);
    assert.doesNotMatch(sub.stdout, /\$ podscope /);
  });

  it('kubectl podscope passes arguments and the exit code through (usage error: 2)', () => {
    const r = run(['podscope', 'check', '--no-such-flag'], process.execPath);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /no-such-flag/);
  });

  (OLD_NODE ? it : it.skip)(`with an older Node first on PATH (${OLD_NODE ?? 'none on this machine'}), one line says what a kubectl user should do`, () => {
    const r = run(['podscope', 'check', '-A'], OLD_NODE!);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^kubectl podscope: needs Node\.js >= 22\.19/);
    assert.match(lines[0]!, /first "node" on PATH/);
    assert.match(lines[0]!, /then run kubectl podscope again/);
  });
});
