import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/cli.js';

/**
 * The npm package as a user gets it (issue 16, item 6): `npm pack` of the built tree, installed
 * from the tarball into an empty prefix (dependencies from the npm cache or the registry), then
 * run with Node 24 (the Node running the tests) from an empty directory.
 */
describe('npm package: pack, install into an empty prefix, run', () => {
  let packed: string[];
  let prefix: string;
  let cwd: string;
  const nodeDir = path.dirname(process.execPath);
  const exec = (bin: string, args: string[]) => {
    const r = spawnSync(path.join(prefix, 'node_modules', '.bin', bin), args, {
      cwd,
      env: { PATH: `${nodeDir}:/usr/bin:/bin`, HOME: cwd, NO_COLOR: '1', KUBECONFIG: path.join(cwd, 'none') },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  before(function () {
    this.timeout(120_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'podscope-pack-'));
    // --ignore-scripts: pack the tree `npm run build` made (CI's npm test), do not rebuild it.
    const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    packed = info.files.map((f) => f.path);
    prefix = path.join(dir, 'prefix');
    cwd = mkdtempSync(path.join(os.tmpdir(), 'podscope-empty-'));
    const install = spawnSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--omit=dev', path.join(dir, info.filename)], {
      cwd: dir,
      encoding: 'utf8',
    });
    assert.equal(install.status, 0, install.stderr);
  });

  it('files ships the manifest, the help cache, deploy/, schema/, the example and every command, and no sources or tests', () => {
    for (const f of ['oclif.manifest.json', 'dist/help.txt', 'deploy/rbac.yaml', 'bin/run.js', 'bin/kubectl_complete-podscope', 'examples/shop-snapshot/manifest.json', 'LICENSE']) {
      assert.ok(packed.includes(f), `${f} is not in the package`);
    }
    for (const s of readdirSync(path.join(ROOT, 'schema')).filter((f) => f.endsWith('.schema.json'))) assert.ok(packed.includes(`schema/${s}`), s);
    for (const c of readdirSync(path.join(ROOT, 'src', 'commands'))) assert.ok(packed.includes(`dist/commands/${c.replace(/\.ts$/, '.js')}`), c);
    assert.deepEqual(packed.filter((f) => /^(src|test|bench|scripts)\//.test(f) || f.endsWith('.test.js')), []);
  });

  it('podscope and kubectl-podscope run from the prefix with Node 24', () => {
    const version = exec('podscope', ['--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /^podscope\/\d+\.\d+\.\d+ \S+ node-v24\./);
    const checks = exec('podscope', ['checks', '-o', 'json']);
    assert.equal(checks.code, 0, checks.stderr);
    assert.ok((JSON.parse(checks.stdout) as { checks: unknown[] }).checks.length > 10);
    const example = path.join(prefix, 'node_modules', 'podscope', 'examples', 'shop-snapshot');
    const check = exec('podscope', ['check', '--from', example]);
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, /POD001/);
    const help = exec('kubectl-podscope', ['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /\$ kubectl podscope \[COMMAND\]/);
    const inspectHelp = exec('kubectl-podscope', ['inspect', '--help']);
    assert.match(inspectHelp.stdout, /kubectl podscope inspect/);
    const complete = exec('kubectl_complete-podscope', ['sch']);
    assert.equal(complete.stdout, 'schedule\tExplain, node by node, why a pod is Pending (or where it can go) in the scheduler\'s own terms.\n:4\n');
  });
});
