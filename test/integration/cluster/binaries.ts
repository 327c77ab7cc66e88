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

/**
 * The files that fix an older minor's build (`build.sh --kubernetes 1.MINOR`), in hash order:
 * versions.env (etcd, kwok), versions-1.MINOR.env and modules/kubernetes-1.MINOR, etcd and kwok.
 */
export function pinnedFiles(minor?: string): readonly string[] {
  if (!olderMinor(minor)) return PINNED_FILES;
  return [
    'versions.env', `versions-${minor}.env`,
    `modules/kubernetes-${minor}/go.mod`, `modules/kubernetes-${minor}/go.sum`,
    'modules/etcd/go.mod', 'modules/etcd/go.sum',
    'modules/kwok/go.mod', 'modules/kwok/go.sum',
  ];
}

/** Directory of this module: build.sh, versions.env and modules/ live here. */
export const clusterDir = here;

/** Is `minor` ("1.32") an older minor with its own versions-1.MINOR.env (not the main version)? */
function olderMinor(minor: string | undefined): minor is string {
  if (!minor) return false;
  if (!/^1\.\d+$/.test(minor)) throw new Error(`Kubernetes version ${minor}: expected 1.MINOR`);
  if (readVersions().kubernetes.startsWith(`v${minor}.`)) return false;
  if (!existsSync(join(here, `versions-${minor}.env`))) throw new Error(`no versions-${minor}.env: Kubernetes ${minor} is not pinned`);
  return true;
}

/** The binary cache key: versions plus the first 12 hex digits of sha256 over the pinned files. */
export function cacheKey(versions: Versions = readVersions(), minor?: string): string {
  const h = createHash('sha256');
  for (const f of pinnedFiles(minor)) h.update(readFileSync(join(here, f)));
  const hash = h.digest('hex').slice(0, 12);
  return `k8s-${versions.kubernetes}_etcd-${versions.etcd}_kwok-${versions.kwok}_${hash}`;
}

function readEnvFile(file: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of readFileSync(join(here, file), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)$/.exec(line.trim());
    if (m) vars.set(m[1]!, m[2]!);
  }
  return vars;
}

/** Read versions.env (KEY=value lines); with an older minor, its Kubernetes version from versions-1.MINOR.env. */
export function readVersions(minor?: string): Versions {
  const vars = readEnvFile('versions.env');
  const get = (k: string, from = vars, file = 'versions.env'): string => {
    const v = from.get(k);
    if (!v) throw new Error(`${file} has no ${k}`);
    return v;
  };
  const main = { kubernetes: get('KUBERNETES_VERSION'), etcd: get('ETCD_VERSION'), kwok: get('KWOK_VERSION') };
  if (!minor || main.kubernetes.startsWith(`v${minor}.`)) return main;
  const file = `versions-${minor}.env`;
  return { ...main, kubernetes: get('KUBERNETES_VERSION', readEnvFile(file), file) };
}

/** Root of the binary cache and of the cluster registry. */
export function cacheRoot(): string {
  return process.env.PODSCOPE_CLUSTER_CACHE ?? join(homedir(), '.cache', 'podscope-cluster');
}

/**
 * The binaries for the pinned versions (files may not exist yet); `minor` ("1.32") selects an
 * older Kubernetes minor (no kubectl; etcd and kwok are links to the main build's).
 */
export function binaries(minor?: string): Binaries {
  const older = olderMinor(minor);
  const versions = readVersions(older ? minor : undefined);
  const key = cacheKey(versions, older ? minor : undefined);
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

/** Return the binaries (of `minor`, default the main version), running build.sh first when any is missing (a cold build takes long). */
export function ensureBinaries(minor?: string): Binaries {
  const b = binaries(minor);
  const older = olderMinor(minor);
  const files = [b.etcd, b.kubeApiserver, b.kubeControllerManager, b.kubeScheduler, b.kwok, join(b.kwokShare, '.complete')];
  if (!older) files.push(b.kubectl);
  if (files.every((f) => existsSync(f))) return b;
  process.stderr.write(`[cluster] binaries missing in ${b.binDir}; running build.sh (a cold build takes 15-30 min)\n`);
  const args = [join(here, 'build.sh'), ...(older ? ['--kubernetes', minor] : [])];
  execFileSync('bash', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return b;
}
