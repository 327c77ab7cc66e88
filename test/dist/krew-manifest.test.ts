// The krew manifest that `npm run dist -- --base-url URL` writes (plugins/podscope.yaml, a release
// artifact: not committed, since every build's archive has its own sha256). Here it is written for
// the archive test:dist built (--manifest-only) and checked against that archive; the krew
// integration test (test/integration/krew.test.ts) installs it with real krew v0.4.3.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';

const ARCHIVE = path.join(ROOT, 'dist-bin', 'podscope-linux-amd64.tar.gz');

interface KrewPlatform {
  selector: { matchLabels: Record<string, string> };
  uri: string;
  sha256: string;
  bin: string;
  files: { from: string; to: string }[];
}

describe('krew manifest (scripts/dist/build.mjs --base-url)', () => {
  let dir = '';
  const build = (args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'dist', 'build.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PODSCOPE_RELEASE_BASE_URL: '' } });

  before(() => {
    assert.ok(fs.existsSync(ARCHIVE), `${ARCHIVE} missing: npm run dist`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-krew-manifest-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the archive under the base URL with its real sha256, and only files the archive holds', () => {
    const out = path.join(dir, 'podscope.yaml');
    const r = build(['--manifest-only', '--base-url', 'https://example.org/podscope/releases/v1/', '--manifest', out]);
    assert.equal(r.status, 0, r.stderr);
    const m = parse(fs.readFileSync(out, 'utf8')) as { apiVersion: string; kind: string; metadata: { name: string }; spec: { version: string; platforms: KrewPlatform[] } };
    assert.equal(m.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
    assert.equal(m.kind, 'Plugin');
    assert.equal(m.metadata.name, 'podscope');
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(m.spec.version, `v${version}`);
    assert.equal(m.spec.platforms.length, 1);
    const p = m.spec.platforms[0]!;
    assert.deepEqual(p.selector.matchLabels, { os: 'linux', arch: 'amd64' });
    assert.equal(p.uri, 'https://example.org/podscope/releases/v1/podscope-linux-amd64.tar.gz');
    assert.equal(p.sha256, createHash('sha256').update(fs.readFileSync(ARCHIVE)).digest('hex'));
    assert.equal(p.bin, 'kubectl-podscope');
    const listed = spawnSync('tar', ['-tzf', ARCHIVE], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
    assert.deepEqual(p.files.map((f) => f.from).sort(), listed);
  });

  it('refuses --manifest-only without a base URL, or for an archive not built (one line, exit 2)', function () {
    const noUrl = build(['--manifest-only']);
    assert.equal(noUrl.status, 2);
    assert.equal(noUrl.stderr, 'dist: --manifest-only needs --base-url URL (or PODSCOPE_RELEASE_BASE_URL)\n');
    // test:dist builds linux-amd64 only; skip if someone built windows-amd64 in this tree
    if (fs.existsSync(path.join(ROOT, 'dist-bin', 'podscope-windows-amd64.tar.gz'))) this.skip();
    const missing = build(['--manifest-only', '--base-url', 'https://example.org', '--platforms', 'windows-amd64', '--manifest', path.join(dir, 'w.yaml')]);
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr, 'dist: dist-bin/podscope-windows-amd64.tar.gz is missing: build it first (npm run dist)\n');
    assert.ok(!fs.existsSync(path.join(dir, 'w.yaml')));
  });
});
