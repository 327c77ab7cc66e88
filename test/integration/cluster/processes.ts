/**
 * Start, watch and stop the control-plane processes by PID, and keep a registry of running
 * clusters so `cluster:down` (or CI's cleanup) can stop them from another process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cacheRoot } from './binaries.js';

/** One started process: its name, PID, the binary it runs and its log file. */
export interface Proc {
  name: string;
  pid: number;
  binary: string;
  log: string;
  /** The command line and directory it was started with, to start it again the same way. */
  args?: string[];
  cwd?: string;
}

/** What is needed to find and stop a cluster later. */
export interface ClusterState {
  id: string;
  dir: string;
  kubeconfig: string;
  server: string;
  /** 'up' clusters are left running for other runs; 'test' clusters belong to one mocha run. */
  owner: 'up' | 'test';
  ownerPid: number;
  procs: Proc[];
}

/** A free TCP port on 127.0.0.1 (bound and released; the usual small race is accepted). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Start `binary args` detached (own process group) with output to `dir/logs/NAME.log`. */
export function startProcess(dir: string, name: string, binary: string, args: string[], cwd = dir): Proc {
  const logs = join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const log = join(logs, `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(binary, args, { cwd, detached: true, stdio: ['ignore', fd, fd] });
  child.unref();
  if (!child.pid) throw new Error(`${name}: could not start ${binary}`);
  return { name, pid: child.pid, binary, log, args, cwd };
}

/** True when `proc` is still running the binary it was started with (guards against PID reuse). */
export function isRunning(proc: Proc): boolean {
  try {
    const cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8');
    return cmdline.split('\0').some((arg) => arg === proc.binary);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last `lines` lines of a process's log, for error messages. */
export function logTail(proc: Proc, lines = 15): string {
  try {
    return readFileSync(proc.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Stop processes in reverse start order: SIGTERM, then SIGKILL after `graceMs`. The clusters
 * are throw-away, and kube-apiserver takes 7 s or more to shut down gracefully, so the grace is short.
 */
export async function stopProcesses(procs: Proc[], graceMs = 2000): Promise<void> {
  const live = [...procs].reverse().filter(isRunning);
  for (const p of live) signal(p, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (live.some(isRunning) && Date.now() < deadline) await sleep(100);
  for (const p of live.filter(isRunning)) signal(p, 'SIGKILL');
  while (live.some(isRunning) && Date.now() < deadline + 5000) await sleep(100);
}

/** Send SIGKILL to every live process at once; for exit paths that cannot wait. */
export function killProcessesNow(procs: Proc[]): void {
  for (const p of procs) if (isRunning(p)) signal(p, 'SIGKILL');
}

function signal(p: Proc, sig: NodeJS.Signals): void {
  try {
    process.kill(p.pid, sig);
  } catch {
    // already gone
  }
}

/** Where running clusters are recorded: PODSCOPE_CLUSTER_REGISTRY, else under the cache. */
function registryDir(): string {
  const dir = process.env.PODSCOPE_CLUSTER_REGISTRY ?? join(cacheRoot(), 'clusters');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Record a cluster in the registry (and in its own dir). */
export function registerCluster(state: ClusterState): void {
  const text = JSON.stringify(state, null, 2) + '\n';
  writeFileSync(join(state.dir, 'state.json'), text);
  writeFileSync(join(registryDir(), `${state.id}.json`), text);
}

/** Remove a cluster from the registry. */
export function unregisterCluster(state: ClusterState): void {
  rmSync(join(registryDir(), `${state.id}.json`), { force: true });
}

/** Every registered cluster. */
export function registeredClusters(): ClusterState[] {
  const dir = registryDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ClusterState);
}

/** True when every process of the cluster is running. */
export function clusterAlive(state: ClusterState): boolean {
  return existsSync(state.kubeconfig) && state.procs.every(isRunning);
}
