import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of a fixture under test/__fixtures__. */
export function fixture(...parts: string[]): string {
  return path.join(ROOT, 'test', '__fixtures__', ...parts);
}

/** What a CLI run produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built podscope (bin/run.js over dist/, as users run it) with the Node running the
 * tests. No colour, no TTY; KUBECONFIG points nowhere unless the caller sets it.
 */
export function runCli(args: string[], opts: { stdin?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1', ...opts.env };
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], {
    input: opts.stdin ?? '',
    env,
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like runCli, but does not block the event loop (for tests that serve HTTP in-process). */
export function runCliAsync(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1', ...opts.env };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], { env, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
