// Shared helpers of the benchmarks: timing child processes and reading the RSS probe.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PROBE = path.join(ROOT, 'bench', 'rss-probe.cjs');

/** Runs a command once; returns wall milliseconds, exit code and the probe's peak RSS (MiB) and CPU milliseconds if present. */
export function timeRun(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /PEAK_RSS_KB (\d+)/.exec(r.stderr ?? '');
  const c = /CPU_US (\d+)/.exec(r.stderr ?? '');
  return { ms, code: r.status, rssMiB: m ? Number(m[1]) / 1024 : undefined, cpuMs: c ? Number(c[1]) / 1000 : undefined, stderr: r.stderr, stdout: r.stdout };
}

/** Median of runs of fn. */
export function median(n, fn) {
  const xs = Array.from({ length: n }, fn).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
}

/** One result line: figure, reference, ratio and target. */
export function report(name, value, unit, refName, ref, target) {
  const ratio = value / ref;
  console.log(`${name}: ${value.toFixed(1)} ${unit}  |  ${refName}: ${ref.toFixed(1)} ${unit}  |  ratio ${ratio.toFixed(2)}x  |  target ${target}`);
}
