// The control-plane build must not float: every Go module it fetches is pinned to an exact
// version and checksum in the repository (issue: CI broke when k8s.io/kubernetes v1.37.2 came
// out and a version-less `go get` picked it up).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaries, cacheKey, clusterDir, pinnedFiles, readVersions } from '../integration/cluster/binaries.js';
import { goModVersions, pinningViolations, scriptViolations } from '../integration/cluster/pinning.js';

const repo = join(clusterDir, '..', '..', '..');
const ciScripts = [join(repo, '.ci', 'run'), join(repo, '.ci', 'integration')];

/** A scratch copy of the cluster directory that a test may break. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podscope-pinning-'));
  cpSync(clusterDir, dir, { recursive: true });
  return dir;
}

describe('control-plane build pinning', () => {
  it('finds nothing that floats in the committed build, modules and CI scripts', () => {
    assert.deepEqual(pinningViolations({ clusterDir, scripts: ciScripts }), []);
  });

  it('versions.env agrees with the committed modules, kubectl included', () => {
    const v = readVersions();
    const k8s = goModVersions(readFileSync(join(clusterDir, 'modules/kubernetes/go.mod'), 'utf8'));
    assert.equal(k8s.require.get('k8s.io/kubernetes'), v.kubernetes);
    assert.equal(k8s.replace.get('k8s.io/kubectl'), `v0.${v.kubernetes.slice(3)}`);
    assert.equal(goModVersions(readFileSync(join(clusterDir, 'modules/etcd/go.mod'), 'utf8')).require.get('go.etcd.io/etcd/server/v3'), v.etcd);
    assert.equal(goModVersions(readFileSync(join(clusterDir, 'modules/kwok/go.mod'), 'utf8')).require.get('sigs.k8s.io/kwok'), v.kwok);
  });

  it('binaries.ts and build.sh compute the same cache key, which hashes the modules', () => {
    const fromScript = execFileSync('bash', [join(clusterDir, 'build.sh'), '--print-key'], { encoding: 'utf8' }).trim();
    assert.equal(cacheKey(), fromScript);
    assert.match(fromScript, /^k8s-v1\.\d+\.\d+_etcd-v3\.\d+\.\d+_kwok-v\d+\.\d+\.\d+_[0-9a-f]{12}$/);
  });

  it('the older minor (1.32): its own module, key and versions, etcd and kwok shared with the main build', () => {
    const v = readVersions('1.32');
    assert.match(v.kubernetes, /^v1\.32\.\d+$/);
    assert.equal(v.etcd, readVersions().etcd);
    const mod = goModVersions(readFileSync(join(clusterDir, 'modules/kubernetes-1.32/go.mod'), 'utf8'));
    assert.equal(mod.require.get('k8s.io/kubernetes'), v.kubernetes);
    assert.equal(mod.replace.get('k8s.io/api'), `v0.${v.kubernetes.slice(3)}`);
    const fromScript = execFileSync('bash', [join(clusterDir, 'build.sh'), '--kubernetes', '1.32', '--print-key'], { encoding: 'utf8' }).trim();
    assert.equal(cacheKey(v, '1.32'), fromScript);
    assert.ok(fromScript.startsWith(`k8s-${v.kubernetes}_etcd-${v.etcd}_kwok-${v.kwok}_`), fromScript);
    assert.notEqual(fromScript, cacheKey());
    assert.deepEqual(pinnedFiles('1.32').filter((f) => f.includes('1.32')), ['versions-1.32.env', 'modules/kubernetes-1.32/go.mod', 'modules/kubernetes-1.32/go.sum']);
    assert.equal(binaries('1.32').binDir.includes(fromScript), true);
  });

  describe('fails on a deliberately unpinned copy', () => {
    let dir = '';
    beforeEach(() => { dir = scratch(); });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a version-less go get in build.sh (what broke CI)', () => {
      const f = join(dir, 'build.sh');
      writeFileSync(f, readFileSync(f, 'utf8').replace('step "$k8s_module go mod download" go mod download',
        'step "kubernetes go get" go get k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl'));
      const v = pinningViolations({ clusterDir: dir });
      assert.ok(v.some((x) => x.includes("'go get' in the build")), v.join('\n'));
    });

    it('a go install @latest or with no version in a helper script', () => {
      const text = 'go install sigs.k8s.io/kwok/cmd/kwok@latest\ngo install github.com/zegl/kube-score/cmd/kube-score\n';
      const v = scriptViolations('x.sh', text, new Map(), false);
      assert.equal(v.length, 2, v.join('\n'));
      assert.deepEqual(scriptViolations('y.sh', 'go install "x.io/y/cmd/z@$Z_VERSION"\n', new Map([['Z_VERSION', 'v1.2.3']]), false), []);
    });

    it('a build without -mod=readonly', () => {
      const f = join(dir, 'build.sh');
      writeFileSync(f, readFileSync(f, 'utf8').replace('GOFLAGS="-buildvcs=false -mod=readonly"', 'GOFLAGS="-buildvcs=false"'));
      assert.ok(pinningViolations({ clusterDir: dir }).some((x) => x.includes('-mod=readonly')));
    });

    it('the older module changed without changing the key, or a staging module at another patch', () => {
      const before = cacheKey(readVersions('1.32'), '1.32');
      const sum = join(dir, 'modules/kubernetes-1.32/go.sum');
      writeFileSync(sum, readFileSync(sum, 'utf8') + '\n');
      const after = execFileSync('bash', [join(dir, 'build.sh'), '--kubernetes', '1.32', '--print-key'], { encoding: 'utf8' }).trim();
      assert.notEqual(after, before, 'the 1.32 key must hash its go.sum');
      const mod = join(dir, 'modules/kubernetes-1.32/go.mod');
      writeFileSync(mod, readFileSync(mod, 'utf8').replace(/k8s\.io\/apiserver => k8s\.io\/apiserver v0\.32\.\d+/, 'k8s.io/apiserver => k8s.io/apiserver v0.32.3'));
      const v = pinningViolations({ clusterDir: dir });
      assert.ok(v.some((x) => x.includes('modules/kubernetes-1.32/go.mod replaces k8s.io/apiserver with v0.32.3')), v.join('\n'));
      rmSync(join(dir, 'modules/kubernetes-1.32/go.sum'));
      assert.ok(pinningViolations({ clusterDir: dir }).includes('modules/kubernetes-1.32/go.sum is missing or empty'));
    });

    it('a missing go.sum', () => {
      rmSync(join(dir, 'modules/etcd/go.sum'));
      assert.ok(pinningViolations({ clusterDir: dir }).includes('modules/etcd/go.sum is missing or empty'));
    });

    it('versions.env bumped without regenerating the modules', () => {
      const f = join(dir, 'versions.env');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/KUBERNETES_VERSION=\S+/, 'KUBERNETES_VERSION=v1.37.2'));
      const v = pinningViolations({ clusterDir: dir });
      assert.ok(v.some((x) => x.includes('versions.env says v1.37.2')), v.join('\n'));
      assert.ok(v.some((x) => x.includes('expected v0.37.2')), v.join('\n'));
    });
  });
});
