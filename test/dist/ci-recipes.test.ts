// The CI recipes in examples/ci, linted and run. actionlint v1.7.12 is built from its Go module
// (tools/actionlint) and must find nothing in the GitHub workflow, and must flag broken copies. Its
// shellcheck and pyflakes integrations are switched off (-shellcheck= -pyflakes=) so the result does
// not depend on whether this machine happens to have them. Then the recipes' shell steps are executed
// as the runners would execute them (bash -eo pipefail, the runner's env files), in a scratch
// workspace, installing podscope from dist-bin/ served on 127.0.0.1 as the release base URL, with no
// Node on PATH. Run by `npm run test:dist` (after the executable is built).
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';
import { junitErrors } from '../helpers/ci.js';
import { assertSarif } from '../helpers/schema.js';

const CI = path.join(ROOT, 'examples', 'ci');
const DIST = path.join(ROOT, 'dist-bin');
const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';

interface Step { name?: string; uses?: string; run?: string; if?: string; env?: Record<string, string>; with?: Record<string, string> }
interface Job { env?: Record<string, string>; steps: Step[] }
interface Workflow { env: Record<string, string>; jobs: Record<string, Job> }
interface Ran { name: string; code: number; stdout: string; stderr: string }

/** Runs a script as the runners do (bash, -e, pipefail), without blocking the event loop (the release server is in-process). */
function bash(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** A scratch checkout: the repository files the recipes read. */
function workspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-ci-ws-'));
  fs.mkdirSync(path.join(ws, 'examples', 'ci'), { recursive: true });
  fs.copyFileSync(path.join(CI, 'manifests.yaml'), path.join(ws, 'examples', 'ci', 'manifests.yaml'));
  return ws;
}

/** Workflow-level and job-level env: literal values as written, `${{ }}` ones from `given`. */
function envOf(values: Record<string, string> | undefined, given: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    if (String(v).includes('${{')) {
      assert.ok(k in given, `${k} comes from an expression (${v}): the test must give it`);
      out[k] = given[k]!;
    } else out[k] = String(v);
  }
  return out;
}

/**
 * Executes one job of the workflow like a runner: each `run` step in a fresh bash, GITHUB_PATH and
 * GITHUB_ENV applied to later steps, a step after a failure only if its `if` says `!cancelled()`,
 * `hashFiles('f') != ''` as "f exists". A `uses` step is not run; its file inputs must exist.
 */
async function runJob(wf: Workflow, job: string, given: Record<string, string>, ws: string): Promise<{ ran: Ran[]; summary: string; temp: string }> {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-ci-runner-'));
  const summary = path.join(temp, 'step_summary.md');
  fs.writeFileSync(summary, '');
  let env: NodeJS.ProcessEnv = { PATH: BASE_PATH, HOME: temp, RUNNER_TEMP: temp, GITHUB_WORKSPACE: ws, GITHUB_STEP_SUMMARY: summary, CI: 'true', ...envOf(wf.env, given), ...envOf(wf.jobs[job]!.env, given) };
  const ran: Ran[] = [];
  let failed = false;
  for (const [i, step] of wf.jobs[job]!.steps.entries()) {
    const cond = step.if ?? '';
    if (failed && !cond.includes('!cancelled()')) continue;
    const hashFiles = [...cond.matchAll(/hashFiles\('([^']+)'\) != ''/g)].map((m) => m[1]!);
    if (hashFiles.some((f) => !fs.existsSync(path.join(ws, f)))) continue;
    const name = step.name ?? step.uses ?? `step ${i}`;
    if (step.uses) {
      for (const key of ['sarif_file', 'files']) if (step.with?.[key]) assert.ok(fs.existsSync(path.join(ws, step.with[key])), `${name}: ${step.with[key]} was not written`);
      ran.push({ name, code: 0, stdout: '', stderr: '' });
      continue;
    }
    const files = { GITHUB_PATH: path.join(temp, `path-${i}`), GITHUB_ENV: path.join(temp, `env-${i}`) };
    for (const f of Object.values(files)) fs.writeFileSync(f, '');
    const r = await bash(step.run!, { ...env, ...files, ...envOf(step.env, given) }, ws);
    ran.push({ name, ...r });
    if (r.code !== 0) failed = true;
    const added = fs.readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter(Boolean);
    env = { ...env, PATH: [...added.reverse(), env.PATH].join(':') };
    for (const line of fs.readFileSync(files.GITHUB_ENV, 'utf8').split('\n').filter(Boolean)) {
      const eq = line.indexOf('=');
      env[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return { ran, summary: fs.readFileSync(summary, 'utf8'), temp };
}

const byName = (ran: Ran[], prefix: string) => {
  const r = ran.find((s) => s.name.startsWith(prefix));
  assert.ok(r, `step "${prefix}" did not run; ran: ${ran.map((s) => `${s.name}=${s.code}`).join(', ')}`);
  return r;
};

describe('CI recipes (examples/ci)', function () {
  let server: http.Server;
  let baseUrl = '';

  before(async function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    assert.ok(fs.existsSync(path.join(DIST, 'podscope-linux-amd64.tar.gz')), 'dist-bin/podscope-linux-amd64.tar.gz missing: npm run dist');
    // The release host: serves the two files the recipes download, nothing else.
    server = http.createServer((req, res) => {
      const name = (req.url ?? '').replace(/^\/releases\//, '');
      if (!/^podscope-linux-amd64\.tar\.gz(\.sha256)?$/.test(name)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(fs.readFileSync(path.join(DIST, name)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases`;
  });

  after(() => server?.close());

  describe('GitHub Actions workflow', () => {
    const file = path.join(CI, 'github-actions.yml');
    const wf = parse(fs.readFileSync(file, 'utf8')) as Workflow;
    let actionlint = '';
    const lint = (target: string) => spawnSync(actionlint, ['-shellcheck=', '-pyflakes=', '-no-color', '-oneline', target], { encoding: 'utf8', timeout: 60_000 });

    before(function () {
      this.timeout(900_000); // a cold Go build of actionlint
      const b = spawnSync('bash', [path.join(ROOT, 'tools', 'build.sh'), 'actionlint'], { encoding: 'utf8', timeout: 900_000 });
      assert.equal(b.status, 0, `tools/build.sh actionlint: ${b.stderr}`);
      actionlint = b.stdout.trim().split('\n').pop()!;
      assert.match(spawnSync(actionlint, ['-version'], { encoding: 'utf8' }).stdout, /^v1\.7\.12\n/);
    });

    it('actionlint v1.7.12 finds nothing', () => {
      const r = lint(file);
      assert.equal(r.stdout + r.stderr, '');
      assert.equal(r.status, 0);
    });

    it('actionlint flags broken copies (a bad permission, an unknown input of the JUnit action, an undefined step output)', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podscope-actionlint-'));
      const text = fs.readFileSync(file, 'utf8');
      const broken: [string, string, RegExp][] = [
        ['security-events: write', 'security-events: writ', /\[permissions\]/],
        ['files: podscope-junit.xml', 'file: podscope-junit.xml', /input "file" is not defined.*\[action\]/],
        ["hashFiles('podscope.sarif') != ''", "steps.sarif.outputs.path != ''", /property "sarif" is not defined.*\[expression\]/],
      ];
      for (const [from, to, rule] of broken) {
        assert.ok(text.includes(from), from);
        const f = path.join(dir, 'broken.yml');
        fs.writeFileSync(f, text.replace(from, to));
        const r = lint(f);
        assert.equal(r.status, 1, `${to}: ${r.stdout}`);
        assert.match(r.stdout, rule);
      }
    });

    it('the manifests job runs: installs the release with its checksum, the gate fails on the shipped warning, every report is written and valid', async function () {
      const ws = workspace();
      const { ran, summary } = await runJob(wf, 'manifests', { PODSCOPE_RELEASE_BASE_URL: baseUrl }, ws);
      const install = byName(ran, 'Install podscope');
      assert.equal(install.code, 0, install.stderr);
      assert.match(install.stdout, /podscope-linux-amd64\.tar\.gz: OK\n/);
      assert.match(install.stdout, /^podscope\/\d+\.\d+\.\d+ linux-x64 node-v24\./m);
      const gate = byName(ran, 'Gate');
      assert.equal(gate.code, 1, `the gate exits 1 on the STOP001 warning: ${gate.stderr}`);
      assert.equal(byName(ran, 'Findings to the job summary').code, 0);
      assert.equal(byName(ran, 'Findings as SARIF').code, 0);
      byName(ran, 'Upload SARIF');
      byName(ran, 'Publish the JUnit report');
      assert.match(summary, /^## podscope check/);
      assert.match(summary, /STOP001/);
      const junit = fs.readFileSync(path.join(ws, 'podscope-junit.xml'), 'utf8');
      assert.deepEqual(await junitErrors(junit), []);
      assert.match(junit, /<failure message="warning: behind Service web/);
      const sarif = JSON.parse(fs.readFileSync(path.join(ws, 'podscope.sarif'), 'utf8')) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      assertSarif(sarif);
      for (const res of sarif.runs[0]!.results) assert.ok(fs.existsSync(path.join(ws, res.locations[0]!.physicalLocation.artifactLocation.uri)), 'SARIF points at a file in the checkout');
    });

    it('the same job passes once the manifests are fixed (preStop sleep added)', async function () {
      const ws = workspace();
      const f = path.join(ws, 'examples', 'ci', 'manifests.yaml');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('      - name: web\n', '      - name: web\n        lifecycle: {preStop: {sleep: {seconds: 5}}}\n'));
      const { ran } = await runJob(wf, 'manifests', { PODSCOPE_RELEASE_BASE_URL: baseUrl }, ws);
      assert.deepEqual(ran.map((s) => [s.name, s.code]).filter(([, code]) => code !== 0), []);
      assert.equal(byName(ran, 'Gate').code, 0);
    });

    it('the cluster job writes the kubeconfig secret 0600 and its gate fails with exit 3, with one line and a hint, when the cluster is unreachable', async function () {
      const ws = workspace();
      const kubeconfig = ['apiVersion: v1', 'kind: Config', 'current-context: ci', 'clusters: [{name: ci, cluster: {server: "https://127.0.0.1:1"}}]', 'users: [{name: ci, user: {token: canary-token-7f3a}}]', 'contexts: [{name: ci, context: {cluster: ci, user: ci}}]'].join('\n');
      const { ran, temp } = await runJob(wf, 'cluster', { PODSCOPE_RELEASE_BASE_URL: baseUrl, PODSCOPE_NAMESPACE: 'shop', KUBECONFIG_DATA: kubeconfig }, ws);
      assert.equal(byName(ran, 'Kubeconfig from the secret').code, 0);
      assert.equal(fs.statSync(path.join(temp, 'kubeconfig')).mode & 0o777, 0o600);
      const gate = byName(ran, 'Gate');
      assert.equal(gate.code, 3, gate.stderr);
      assert.match(gate.stderr, /^podscope: cannot reach the API server at https:\/\/127\.0\.0\.1:1 [^\n]*\n {2}hint: [^\n]+\n$/, 'one line and its hint, no stack trace');
      assert.doesNotMatch(gate.stdout + gate.stderr, /canary-token/);
    });
  });

  describe('GitLab CI job', () => {
    interface GitlabJob { variables: Record<string, string>; before_script: string[]; script: string[]; artifacts: { paths: string[]; reports: { junit: string } } }
    const job = (parse(fs.readFileSync(path.join(CI, 'gitlab-ci.yml'), 'utf8')) as { podscope: GitlabJob }).podscope;

    it('runs: installs the release, writes the JUnit report artifact and the others, and the gate fails on the shipped warning', async function () {
      const ws = workspace();
      const env = { PATH: BASE_PATH, HOME: ws, CI: 'true', CI_PROJECT_DIR: ws, PODSCOPE_RELEASE_BASE_URL: baseUrl, ...job.variables };
      const r = await bash([...job.before_script, ...job.script].join('\n'), env, ws);
      assert.equal(r.code, 1, `the gate, the last line, exits 1: ${r.stderr}`);
      assert.match(r.stdout, /podscope-linux-amd64\.tar\.gz: OK\n/);
      assert.match(r.stdout, /WARNING\s+STOP001\s+pod\/shop\/web/);
      for (const p of job.artifacts.paths) assert.ok(fs.statSync(path.join(ws, p)).size > 0, `${p} is empty`);
      assert.deepEqual(await junitErrors(fs.readFileSync(path.join(ws, job.artifacts.reports.junit), 'utf8')), []);
    });
  });
});
