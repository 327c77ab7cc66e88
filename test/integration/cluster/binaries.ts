/**
 * Where the control-plane binaries live: a cache outside the repo keyed by the pinned versions
 * in versions.env, filled by build.sh (which this module runs when the cache is empty).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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
  kubectl: string;
  kwok: string;
}

/**
 * The files that fix what build.sh builds, in the order it hashes them: versions.env and the
 * committed wrapper modules. Keep in step with `pinned` in build.sh (a unit test compares the keys).
 */
export const PINNED_FILES = [
  'versions.env',
  'modules/kubernetes/go.mod', 'modules/kubernetes/go.sum',
  'modules/etcd/go.mod', 'modules/etcd/go.sum',
  'modules/kwok/go.mod', 'modules/kwok/go.sum',
] as const;

/** Directory of this module: build.sh, versions.env and modules/ live here. */
export const clusterDir = here;

/** The binary cache key: versions plus the first 12 hex digits of sha256 over PINNED_FILES. */
export function cacheKey(versions: Versions = readVersions()): string {
  const h = createHash('sha256');
  for (const f of PINNED_FILES) h.update(readFileSync(join(here, f)));
  const hash = h.digest('hex').slice(0, 12);
  return `k8s-${versions.kubernetes}_etcd-${versions.etcd}_kwok-${versions.kwok}_${hash}`;
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
  return { kubernetes: get('KUBERNETES_VERSION'), etcd: get('ETCD_VERSION'), kwok: get('KWOK_VERSION') };
}

/** Root of the binary cache and of the cluster registry. */
export function cacheRoot(): string {
  return process.env.PODSCOPE_CLUSTER_CACHE ?? join(homedir(), '.cache', 'podscope-cluster');
}

/** The binaries for the pinned versions (files may not exist yet). */
export function binaries(): Binaries {
  const versions = readVersions();
  const key = cacheKey(versions);
  const binDir = join(cacheRoot(), key, 'bin');
  return {
    versions,
    binDir,
    kwokShare: join(cacheRoot(), key, 'share', 'kwok'),
    etcd: join(binDir, 'etcd'),
    kubeApiserver: join(binDir, 'kube-apiserver'),
    kubeControllerManager: join(binDir, 'kube-controller-manager'),
    kubeScheduler: join(binDir, 'kube-scheduler'),
    kubectl: join(binDir, 'kubectl'),
    kwok: join(binDir, 'kwok'),
  };
}

/** Return the binaries, running build.sh first when any is missing (a cold build takes long). */
export function ensureBinaries(): Binaries {
  const b = binaries();
  const files = [b.etcd, b.kubeApiserver, b.kubeControllerManager, b.kubeScheduler, b.kubectl, b.kwok, join(b.kwokShare, '.complete')];
  if (files.every((f) => existsSync(f))) return b;
  process.stderr.write(`[cluster] binaries missing in ${b.binDir}; running build.sh (a cold build takes 15-30 min)\n`);
  execFileSync('bash', [join(here, 'build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return b;
}
