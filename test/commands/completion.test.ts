import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeApiServer } from '../helpers/fake-apiserver.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { writeKubeconfig } from '../helpers/kubeconfig.js';

const names = (kind: string, ns: string | undefined, list: string[]) => ({
  status: 200,
  body: { kind, apiVersion: 'v1', metadata: {}, items: list.map((name) => ({ metadata: ns ? { name, namespace: ns } : { name } })) },
});

/** Runs a command without blocking the event loop (the stand-in API server answers in-process). */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { HOME: '/nonexistent-home', ...env }, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('shell completion', () => {
  let api: FakeApiServer;
  let kubeconfig: string;
  let binDir: string;
  let script: string;
  before(async () => {
    api = new FakeApiServer({
      '/api/v1/namespaces/shop/pods': names('PodList', 'shop', ['web-7d4b9', 'worker-0']),
      '/api/v1/namespaces/kube-system/pods': names('PodList', 'kube-system', ['etcd-cp']),
      '/api/v1/nodes': names('NodeList', undefined, ['node-a', 'node-b']),
      '/api/v1/namespaces': names('NamespaceList', undefined, ['default', 'kube-system', 'shop']),
    });
    kubeconfig = writeKubeconfig(await api.start(), { namespace: 'shop', context: 'ci' });
    // `podscope` on PATH as an installed user has it, run by the Node running the tests.
    binDir = mkdtempSync(path.join(os.tmpdir(), 'podscope-compl-'));
    for (const name of ['podscope', 'kubectl_complete-podscope']) {
      const target = name === 'podscope' ? 'run.js' : name;
      writeFileSync(path.join(binDir, name), `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', target)}" "$@"\n`);
      chmodSync(path.join(binDir, name), 0o755);
    }
    const r = runCli(['completion', 'bash']);
    assert.equal(r.code, 0, r.stderr);
    script = path.join(binDir, 'podscope.bash');
    writeFileSync(script, r.stdout);
  });
  after(() => api.stop());

  /** A real bash completion: source the script, set COMP_* as bash does for `line<TAB>`, print COMPREPLY. */
  async function bashComplete(line: string): Promise<string[]> {
    const prog = [
      `source "${script}"`,
      'COMP_LINE="$LINE"; COMP_POINT=${#COMP_LINE}',
      // bash splits at spaces and COMP_WORDBREAKS (=, :), an empty word after a trailing space
      'COMP_WORDS=(); w=""; for ((i=0;i<${#LINE};i++)); do ch=${LINE:i:1}; if [[ $ch == " " ]]; then [[ -n $w ]] && COMP_WORDS+=("$w"); w=""; elif [[ $ch == "=" ]]; then [[ -n $w ]] && COMP_WORDS+=("$w"); COMP_WORDS+=("="); w=""; else w+=$ch; fi; done; COMP_WORDS+=("$w")',
      'COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))',
      '__podscope_complete',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const r = await run('bash', ['--norc', '-c', prog], { PATH: `${binDir}:${process.env.PATH}`, LINE: line, KUBECONFIG: kubeconfig });
    assert.equal(r.stderr, '');
    return r.stdout.split('\n').filter(Boolean);
  }

  it('bash: command names, from oclif\'s loaded config', async () => {
    assert.deepEqual(await bashComplete('podscope ch'), ['check', 'checks']);
    const all = await bashComplete('podscope ');
    for (const c of ['check', 'checks', 'completion', 'inspect', 'pleg', 'schedule', 'snapshot', 'stop']) assert.ok(all.includes(c), c);
  });

  it('bash: flags and option values (also after --flag=)', async () => {
    const flags = await bashComplete('podscope check --f');
    assert.deepEqual(flags, ['--from', '--file', '--fail-on']);
    assert.deepEqual(await bashComplete('podscope check -o s'), ['sarif']);
    assert.deepEqual(await bashComplete('podscope check --fail-on=w'), ['warning']);
    assert.deepEqual(await bashComplete('podscope completion '), ['bash', 'zsh', 'fish']);
  });

  it('bash: pod, node and namespace names from the current context, live', async () => {
    assert.deepEqual(await bashComplete('podscope inspect '), ['web-7d4b9', 'worker-0']);
    assert.deepEqual(await bashComplete('podscope schedule -n kube-system '), ['etcd-cp']);
    assert.deepEqual(await bashComplete('podscope pleg node-'), ['node-a', 'node-b']);
    assert.deepEqual(await bashComplete('podscope check -n s'), ['shop']);
  });

  it('kubectl_complete-podscope speaks cobra\'s protocol, and is silent when the cluster is down', async () => {
    const exe = path.join(binDir, 'kubectl_complete-podscope');
    const up = await run(exe, ['stop', ''], { KUBECONFIG: kubeconfig });
    assert.equal(up.stdout, 'web-7d4b9\nworker-0\n:4\n');
    const flags = await run(exe, ['inspect', '--na'], { KUBECONFIG: kubeconfig });
    assert.match(flags.stdout, /^--namespace\t.*\n:4\n$/);
    const dead = writeKubeconfig('https://127.0.0.1:1', { context: 'gone' });
    const t0 = Date.now();
    const down = await run(exe, ['inspect', ''], { KUBECONFIG: dead });
    assert.deepEqual([down.code, down.stdout, down.stderr], [0, ':4\n', '']);
    assert.ok(Date.now() - t0 < 10_000);
    const none = await run(exe, ['inspect', ''], { KUBECONFIG: '/nonexistent' });
    assert.deepEqual([none.code, none.stdout, none.stderr], [0, ':4\n', '']);
  });

  it('completion: zsh and fish scripts, and an unknown shell is a usage error', () => {
    assert.match(runCli(['completion', 'zsh']).stdout, /^#compdef podscope kubectl-podscope\n[\s\S]*compdef __podscope_complete podscope/);
    assert.match(runCli(['completion', 'fish']).stdout, /complete -c podscope -f -a '\(__podscope_complete\)'/);
    const bad = runCli(['completion', 'tcsh']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Expected tcsh to be one of: bash, zsh, fish/);
  });
});
