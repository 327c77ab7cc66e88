/**
 * Where the control-plane binaries live: a cache outside the repo keyed by the pinned versions
 * in versions.env, filled by build.sh (which this module runs when the cache is empty).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The pinned component versions. */
export interface Versions {
  kubernetes: string;
  etcd: string;
  kwok: string;
}

/** Paths of the built binaries and of kwok's manifests copied beside them. */
export interface Binaries {
  versions: Versions;
  binDir: string;
  kwokShare: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
}

/** Read versions.env (KEY=value lines). */
export function readVersions(): Versions {
  const vars = new Map<string, string>();
  for (const line of readFileSync(join(here, 'versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)$/.exec(line.trim());
    if (m) vars.set(m[1]!, m[2]!);
  }
  const get = (k: string): string => {
    const v = vars.get(k);
    if (!v) throw new Error(`versions.env has no ${k}`);
    return v;
  };
  return { kubernetes: get('K8S_VERSION'), etcd: get('ETCD_VERSION'), kwok: get('KWOK_VERSION') };
}

/** Root of the binary cache and of the cluster registry. */
export function cacheRoot(): string {
  return process.env.PODSCOPE_CLUSTER_CACHE ?? join(homedir(), '.cache', 'podscope-cluster');
}

/** The binaries for the pinned versions (files may not exist yet). */
export function binaries(): Binaries {
  const versions = readVersions();
  const key = `k8s-${versions.kubernetes}_etcd-${versions.etcd}_kwok-${versions.kwok}`;
  const binDir = join(cacheRoot(), key, 'bin');
  return {
    versions,
    binDir,
    kwokShare: join(cacheRoot(), key, 'share', 'kwok'),
    etcd: join(binDir, 'etcd'),
    kubeApiserver: join(binDir, 'kube-apiserver'),
    kubeControllerManager: join(binDir, 'kube-controller-manager'),
    kubeScheduler: join(binDir, 'kube-scheduler'),
    kwok: join(binDir, 'kwok'),
  };
}

/** Return the binaries, running build.sh first when any is missing (a cold build takes long). */
export function ensureBinaries(): Binaries {
  const b = binaries();
  const files = [b.etcd, b.kubeApiserver, b.kubeControllerManager, b.kubeScheduler, b.kwok, join(b.kwokShare, '.complete')];
  if (files.every((f) => existsSync(f))) return b;
  process.stderr.write(`[cluster] binaries missing in ${b.binDir}; running build.sh (a cold build takes 15-30 min)\n`);
  execFileSync('bash', [join(here, 'build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return b;
}
