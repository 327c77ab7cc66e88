/** Helpers of the live benchmark: timing a process (wall, peak RSS by GNU time) with a hard limit, and table rows. */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** One timed run. */
export interface Timed {
  ms: number;
  code: number | null;
  /** Peak RSS in MiB (GNU time's %M), summed over processes run together. */
  rssMiB: number;
  timedOut: boolean;
  stderr: string;
}

/**
 * Runs `cmd args` under `/usr/bin/time -f %M` in its own process group, stdout to /dev/null (or
 * to the file `stdout`); kills the group after `limitMs`.
 */
export function timeProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, limitMs: number, stdout?: string): Promise<Timed> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const out = stdout ? openSync(stdout, 'w') : 'ignore';
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M', cmd, ...args], { env, stdio: ['ignore', out, 'pipe'], detached: true });
    if (typeof out === 'number') closeSync(out);
    let stderr = '';
    let timedOut = false;
    child.stderr?.on('data', (c) => (stderr += String(c)));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const m = /PEAK_RSS_KB (\d+)/.exec(stderr);
      resolve({ ms, code, rssMiB: m ? Number(m[1]) / 1024 : NaN, timedOut, stderr: stderr.replace(/PEAK_RSS_KB \d+\n?/, '') });
    });
  });
}

/** Runs several commands at once; wall time until the last ends, RSS summed. */
export async function timeParallel(runs: { cmd: string; args: string[] }[], env: NodeJS.ProcessEnv, limitMs: number): Promise<Timed> {
  const t0 = process.hrtime.bigint();
  const all = await Promise.all(runs.map((r) => timeProcess(r.cmd, r.args, env, limitMs)));
  return {
    ms: Number(process.hrtime.bigint() - t0) / 1e6,
    code: all.every((r) => r.code === 0) ? 0 : (all.find((r) => r.code !== 0)?.code ?? null),
    rssMiB: all.reduce((s, r) => s + r.rssMiB, 0),
    timedOut: all.some((r) => r.timedOut),
    stderr: all.map((r) => r.stderr).join(''),
  };
}

/** The run with the median wall time of `n`, run one after another. */
export async function medianOf(n: number, fn: () => Promise<Timed>): Promise<Timed> {
  const xs: Timed[] = [];
  for (let i = 0; i < n; i++) xs.push(await fn());
  xs.sort((a, b) => a.ms - b.ms);
  return xs[Math.floor(xs.length / 2)]!;
}

/** `1.23 s, 45 MiB` (or `> 600 s (killed)`), with the exit code when it is not 0/1. */
export function fmt(t: Timed): string {
  if (t.timedOut) return `> ${(t.ms / 1000).toFixed(0)} s (killed at the limit)`;
  const code = t.code === 0 || t.code === 1 ? '' : ` (exit ${t.code})`;
  return `${(t.ms / 1000).toFixed(2)} s, ${t.rssMiB.toFixed(0)} MiB${code}`;
}

/** `0.42× time, 0.61× RSS` of a against b. */
export function ratio(a: Timed, b: Timed): string {
  return `${(a.ms / b.ms).toFixed(2)}× time, ${(a.rssMiB / b.rssMiB).toFixed(2)}× RSS`;
}
