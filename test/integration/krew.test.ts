/**
 * The kubectl plugin user's path: real krew v0.4.3 (built from its Go module by tools/build.sh)
 * installs the single-file executable from dist-bin/podscope-linux-amd64.tar.gz with a manifest
 * that `scripts/dist/build.mjs --base-url` writes for it (its real sha256, checked by krew); then
 * kubectl v1.36.3 finds and runs `kubectl podscope` against the control plane with no Node
 * anywhere on PATH and an otherwise empty environment; krew lists and uninstalls it.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Report } from '../../src/report/types.js';
import { ROOT } from '../helpers/cli.js';
import { parseValid } from '../helpers/schema.js';
import { binaries } from './cluster/binaries.js';
import { cluster } from './cluster/hooks.js';
import { dropNamespace, newNamespace, waitFor } from './helpers.js';

const ARCHIVE = join(ROOT, 'dist-bin', 'podscope-linux-amd64.tar.gz');
/** Never fetched: `--archive` gives krew the file, and krew checks it against the manifest's sha256. */
const BASE_URL = 'https://releases.invalid/podscope';

/** Runs a command to the end; stdout, stderr and the exit code. */
function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: opts.timeout ?? 60_000, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

describe('krew v0.4.3 installs the single-file executable; kubectl podscope runs with no Node on PATH', function () {
  let dir = '';
  let krewRoot = '';
  let manifest = '';
  let ns = '';
  let env: NodeJS.ProcessEnv = {};
  const kubectl = (args: string[]) => sh(join(dir, 'bin', 'kubectl'), args, { env });

  before(async function () {
    this.timeout(30 * 60_000); // a cold krew build (Go modules from the proxy) may run first
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    const t0 = Date.now();
    const built = sh('bash', [join(ROOT, 'tools', 'build.sh'), 'krew'], { timeout: 25 * 60_000 });
    assert.equal(built.code, 0, `tools/build.sh krew: ${built.stderr}`);
    const krew = built.stdout.trim().split('\n').pop()!;
    const t1 = Date.now();
    // test:dist (.ci/run) built the archive before; a run of the integration suite alone builds it.
    if (!existsSync(ARCHIVE)) {
      const r = sh(process.execPath, [join(ROOT, 'scripts', 'dist', 'build.mjs')], { timeout: 15 * 60_000 });
      assert.equal(r.code, 0, `scripts/dist/build.mjs: ${r.stderr}`);
    }
    dir = mkdtempSync(join(tmpdir(), 'podscope-krew-'));
    krewRoot = join(dir, 'krew-root');
    manifest = join(dir, 'plugins', 'podscope.yaml');
    const m = sh(process.execPath, [join(ROOT, 'scripts', 'dist', 'build.mjs'), '--manifest-only', '--base-url', BASE_URL, '--manifest', manifest]);
    assert.equal(m.code, 0, m.stderr);
    // One bin directory with kubectl and krew (as kubectl-krew, how kubectl finds it), then krew's own.
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'home'));
    symlinkSync(binaries().kubectl, join(dir, 'bin', 'kubectl'));
    symlinkSync(krew, join(dir, 'bin', 'kubectl-krew'));
    // krew list/uninstall need a cloned plugin index: a local git repo holding the same manifest
    // (KREW_DEFAULT_INDEX_URI, as krew's own tests do), cloned by `kubectl krew update` with git.
    const git = sh('/bin/sh', ['-c', 'command -v git']).stdout.trim();
    assert.ok(git, 'git is needed for krew\'s index');
    symlinkSync(git, join(dir, 'bin', 'git'));
    const index = join(dir, 'index-repo');
    mkdirSync(join(index, 'plugins'), { recursive: true });
    copyFileSync(manifest, join(index, 'plugins', 'podscope.yaml'));
    const gitEnv = { PATH: '/usr/bin:/bin', HOME: join(dir, 'home'), GIT_CONFIG_NOSYSTEM: '1' };
    for (const args of [['init', '-q'], ['add', 'plugins'], ['-c', 'user.name=podscope-test', '-c', 'user.email=test@podscope.invalid', 'commit', '-qm', 'index']]) {
      const g = sh(git, ['-C', index, ...args], { env: gitEnv });
      assert.equal(g.code, 0, `git ${args.join(' ')}: ${g.stderr}`);
    }
    const path = [join(krewRoot, 'bin'), join(dir, 'bin')];
    env = {
      PATH: path.join(':'), HOME: join(dir, 'home'), KREW_ROOT: krewRoot, KREW_DEFAULT_INDEX_URI: index,
      KREW_NO_UPGRADE_CHECK: '1', GIT_CONFIG_NOSYSTEM: '1', KUBECONFIG: cluster().kubeconfig, NO_COLOR: '1',
    };
    process.stderr.write(`      krew build ${((t1 - t0) / 1000).toFixed(1)} s, archive and manifest ${((Date.now() - t1) / 1000).toFixed(1)} s\n`);

    // Something for check -A to find: a pod whose requests no node can hold.
    const c = cluster();
    ns = await newNamespace(c.kc, 'krew');
    const core = c.kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({
      namespace: ns,
      body: { metadata: { name: 'huge-0' }, spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1', resources: { requests: { cpu: '500' } } }] } },
    });
    await waitFor('FailedScheduling of huge-0', async () =>
      (await core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.name=huge-0' })).items.some((e) => e.reason === 'FailedScheduling'),
    );
  });

  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('no node binary is reachable on the PATH kubectl and the plugin get', () => {
    const found = sh('/bin/sh', ['-c', 'command -v node'], { env });
    assert.notEqual(found.code, 0, `node on PATH: ${found.stdout}`);
    for (const d of env.PATH!.split(':')) assert.ok(!existsSync(join(d, 'node')), `${d}/node`);
  });

  it('refuses an archive that does not match the manifest\'s sha256', () => {
    const wrong = join(dir, 'podscope-linux-amd64.tar.gz');
    assert.equal(sh('tar', ['-czf', wrong, '-C', ROOT, 'LICENSE']).code, 0);
    const r = kubectl(['krew', 'install', `--manifest=${manifest}`, `--archive=${wrong}`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /checksum does not match/i);
    assert.ok(!existsSync(join(krewRoot, 'bin', 'kubectl-podscope')));
  });

  it('kubectl krew install --manifest --archive installs it under KREW_ROOT (sha256 checked by krew)', () => {
    const t0 = Date.now();
    const r = kubectl(['krew', 'install', `--manifest=${manifest}`, `--archive=${ARCHIVE}`]);
    process.stderr.write(`      krew install ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Installed plugin: podscope/);
    const link = join(krewRoot, 'bin', 'kubectl-podscope');
    assert.ok(lstatSync(link).isSymbolicLink(), 'krew links the plugin into its bin dir');
    const store = dirname(readlinkSync(link));
    assert.ok(store.startsWith(join(krewRoot, 'store', 'podscope')), store);
    // the manifest's files: the executable, the licence, kubectl's completion hook
    assert.deepEqual(readdirSync(store).sort(), ['LICENSE', 'kubectl-podscope', 'kubectl_complete-podscope']);
    assert.deepEqual(readdirSync(join(krewRoot, 'bin')), ['kubectl-podscope'], 'krew links only the bin');
  });

  it('kubectl krew update clones the index; krew info reads the same manifest from it', () => {
    const r = kubectl(['krew', 'update']);
    assert.equal(r.code, 0, r.stderr);
    const info = kubectl(['krew', 'info', 'podscope']);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /^NAME: podscope$/m);
    assert.match(info.stdout, new RegExp(`^URI: ${BASE_URL}/podscope-linux-amd64\\.tar\\.gz$`, 'm'));
  });

  it('kubectl plugin list and kubectl krew list show the krew-installed plugin', () => {
    const list = kubectl(['plugin', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.ok(list.stdout.split('\n').includes(join(krewRoot, 'bin', 'kubectl-podscope')), list.stdout);
    assert.doesNotMatch(list.stderr, /warning/i);
    const krewList = kubectl(['krew', 'list']);
    assert.equal(krewList.code, 0, krewList.stderr);
    // installed from --manifest, not from an index: krew names its source "detached"
    assert.ok(krewList.stdout.split('\n').includes('detached/podscope'), krewList.stdout);
  });

  it('kubectl podscope --version: the executable with its own Node 24', () => {
    const r = kubectl(['podscope', '--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^podscope\/\d+\.\d+\.\d+ linux-x64 node-v24\./);
  });

  it('kubectl podscope check -A reads the control plane: the unschedulable pod and the nodes', async () => {
    const nodes = (await cluster().kc.makeApiClient(CoreV1Api).listNode()).items.map((n) => n.metadata!.name!);
    assert.ok(nodes.length >= 3, nodes.join());
    const json = kubectl(['podscope', 'check', '-A', '-o', 'json']);
    assert.equal(json.code, 1, `critical finding expected: ${json.stderr}`);
    const report = parseValid<Report>(json.stdout, 'report');
    assert.equal(report.source.kind, 'live');
    assert.equal(report.source.location, cluster().state.server);
    assert.equal(report.scope.allNamespaces, true);
    assert.deepEqual(report.unavailable, [], 'every input was read');
    const huge = report.findings.filter((f) => f.subject.namespace === ns && f.subject.name === 'huge-0');
    assert.ok(huge.some((f) => f.checkId === 'SCH004'), JSON.stringify(huge));
    // the scheduling evidence names every node of the cluster, each with why it does not fit
    const evidence = huge.find((f) => f.checkId === 'SCH001')?.evidence.join('\n') ?? '';
    for (const node of nodes) assert.ok(evidence.includes(node), `${node} in ${evidence}`);
    const text = kubectl(['podscope', 'check', '-A']);
    assert.equal(text.code, 1, text.stderr);
    assert.ok(text.stdout.includes(`pod/${ns}/huge-0`), text.stdout);
  });

  it('kubectl completes `kubectl podscope` through the shipped kubectl_complete-podscope, once linked onto PATH', () => {
    // krew links only the bin: without the hook kubectl offers nothing for the plugin's arguments.
    const before = kubectl(['__complete', 'podscope', 'ch']);
    assert.equal(before.code, 0, before.stderr);
    assert.doesNotMatch(before.stdout, /^check/m);
    const store = dirname(readlinkSync(join(krewRoot, 'bin', 'kubectl-podscope')));
    symlinkSync(join(store, 'kubectl_complete-podscope'), join(dir, 'bin', 'kubectl_complete-podscope'));
    try {
      const names = kubectl(['__complete', 'podscope', 'ch']);
      assert.equal(names.code, 0, names.stderr);
      assert.deepEqual(names.stdout.split('\n').filter((l) => !l.startsWith(':') && l).map((l) => l.split('\t')[0]), ['check', 'checks']);
      // Live names have a 2 s request budget and are silently left out past it: a loaded machine may
      // need another TAB, as a user would press it.
      let pods = { code: -1, stdout: '', stderr: '' };
      for (let tab = 0; tab < 3 && !pods.stdout.split('\n').includes('huge-0'); tab++) {
        pods = kubectl(['__complete', 'podscope', 'inspect', '-n', ns, 'hu']);
        assert.equal(pods.code, 0, pods.stderr);
        assert.match(pods.stdout, /^:4$/m, 'the directive line');
      }
      assert.ok(pods.stdout.split('\n').includes('huge-0'), `live pod names: ${pods.stdout}`);
    } finally {
      rmSync(join(dir, 'bin', 'kubectl_complete-podscope'));
    }
  });

  it('kubectl krew uninstall podscope removes it, and kubectl no longer finds it', () => {
    const r = kubectl(['krew', 'uninstall', 'podscope']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(krewRoot, 'bin', 'kubectl-podscope')));
    assert.ok(!existsSync(join(krewRoot, 'store', 'podscope')));
    const krewList = kubectl(['krew', 'list']);
    assert.equal(krewList.code, 0, krewList.stderr);
    assert.doesNotMatch(krewList.stdout, /podscope/);
    const list = kubectl(['plugin', 'list']);
    assert.ok(!list.stdout.includes('kubectl-podscope'), list.stdout);
    const gone = kubectl(['podscope', '--version']);
    assert.notEqual(gone.code, 0);
  });
});
