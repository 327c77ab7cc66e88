import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { DataError, UsageError, messageOf } from '../errors.js';
import { KubeconfigAuth, rawUserCredentials } from './credentials.js';
import type { UserCredentials } from './credentials.js';

/** Where to find the kubeconfig and which context to use (kubectl's flags). */
export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

const OFFLINE_HINT = 'use --kubeconfig FILE or KUBECONFIG, or analyse offline with --from DIR or -f FILE';

/** The files kubectl would read, in order, and whether the list came from KUBECONFIG. */
export function kubeconfigFiles(opts: KubeconfigOptions): { files: string[]; origin: string } {
  if (opts.kubeconfig) return { files: [opts.kubeconfig], origin: '--kubeconfig' };
  const env = opts.env ?? process.env;
  if (env.KUBECONFIG) {
    return { files: env.KUBECONFIG.split(path.delimiter).filter(Boolean), origin: 'KUBECONFIG' };
  }
  return { files: [path.join(opts.home ?? os.homedir(), '.kube', 'config')], origin: 'default' };
}

function firstWins<T extends { name: string }>(into: T[], from: T[]): void {
  for (const item of from) if (!into.some((i) => i.name === item.name)) into.push(item);
}

/**
 * Loads the kubeconfig with kubectl's rules: several KUBECONFIG files merge with the first file's
 * entries and current-context winning (client-node's loadFromDefault lets the later file's
 * context win and throws on duplicate names); missing files in the list are skipped; no kubeconfig
 * at all is an error, never client-node's silent http://localhost:8080 fallback.
 */
export async function loadKubeConfig(opts: KubeconfigOptions): Promise<KubeConfig> {
  return (await loadKube(opts)).kc;
}

/** The kubeconfig, and the credentials podscope applies itself (tokenFile, exec), if any. */
export async function loadKube(opts: KubeconfigOptions): Promise<{ kc: KubeConfig; auth?: KubeconfigAuth }> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { files, origin } = kubeconfigFiles(opts);
  const present = files.filter((f) => existsSync(f));
  if (origin === '--kubeconfig' && present.length === 0) {
    throw new DataError(`kubeconfig ${files[0]} does not exist`, 'check the path given to --kubeconfig');
  }
  if (present.length === 0) {
    const where = origin === 'KUBECONFIG' ? `KUBECONFIG=${files.join(path.delimiter)} names no existing file` : `${files[0]} does not exist`;
    throw new DataError(`no kubeconfig found: ${where}`, OFFLINE_HINT);
  }
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  const creds = new Map<string, UserCredentials>();
  let current = '';
  for (const file of present) {
    const one = new KubeConfig();
    let fileCreds: Map<string, UserCredentials>;
    try {
      one.loadFromFile(file);
      fileCreds = rawUserCredentials(parseYaml(readFileSync(file, 'utf8')), file);
    } catch (err) {
      throw new DataError(`kubeconfig ${file} is not valid: ${messageOf(err).split('\n')[0]}`, 'fix the file or point --kubeconfig at another');
    }
    // First file wins per user name, credentials included (relative paths against that file's dir).
    for (const u of one.users ?? []) {
      const c = fileCreds.get(u.name);
      if (c && !users.some((x) => x.name === u.name)) creds.set(u.name, c);
    }
    firstWins(clusters, one.clusters ?? []);
    firstWins(users, one.users ?? []);
    firstWins(contexts, one.contexts ?? []);
    if (!current && one.currentContext) current = one.currentContext;
  }
  const kc = new KubeConfig();
  const contextName = opts.context ?? current;
  if (!contextName) {
    throw new DataError('the kubeconfig has no current-context', 'pass --context NAME or run kubectl config use-context NAME');
  }
  const context = contexts.find((c) => c.name === contextName);
  if (!context) {
    const known = contexts.map((c) => c.name).join(', ') || 'none';
    if (opts.context) throw new UsageError(`context "${contextName}" does not exist in the kubeconfig`, `known contexts: ${known}`);
    throw new DataError(`current-context "${contextName}" does not exist in the kubeconfig`, `known contexts: ${known}`);
  }
  const cluster = clusters.find((c) => c.name === context.cluster);
  if (!cluster?.server) {
    throw new DataError(`context "${contextName}" names cluster "${context.cluster}", which has no server in the kubeconfig`, 'fix the kubeconfig');
  }
  const own = creds.get(context.user);
  // podscope runs exec plugins itself (bounded, one-line errors); client-node must not run them too.
  const usersFor = users.map((u) => (u.name === context.user && own?.exec ? { ...u, exec: undefined } : u));
  // A plain http:// server (kubectl proxy) has no TLS to verify; client-node refuses it otherwise.
  const clustersFor = clusters.map((c) => (c.server?.startsWith('http:') ? { ...c, skipTLSVerify: true } : c));
  kc.loadFromOptions({ clusters: clustersFor, users: usersFor, contexts, currentContext: contextName });
  return { kc, auth: own ? new KubeconfigAuth(own) : undefined };
}
