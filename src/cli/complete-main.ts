import { loadKubeConfig } from '../source/kubeconfig.js';
import { KubeHttp } from '../source/http.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Interfaces } from '@oclif/core';
import { DIRECTIVE, commandSpecs, complete, formatCompletion } from './complete.js';
import type { LiveKind } from './complete.js';

/**
 * How long the API request for live names may take: short, since completion must feel instant
 * (2 s, like a slow kubectl get; 1 s dropped names on a loaded machine). Loading the kubeconfig
 * (and the Kubernetes client module, 1-2 s on a loaded 2-core machine) is local work and not
 * counted, so a slow start does not silently drop the names.
 */
export const LIVE_DEADLINE_MS = 2000;

interface NameList {
  items?: { metadata?: { name?: string } }[];
}

type Flags = Record<string, string | true>;

/** Names of pods, nodes or namespaces in the kubeconfig's context (flags as typed). */
async function listNames(kc: KubeConfig, kind: Exclude<LiveKind, 'contexts'>, flags: Flags, str: (k: string) => string | undefined): Promise<string[]> {
  const http = KubeHttp.create(kc, { timeoutMs: LIVE_DEADLINE_MS, retries: 0 });
  const ns = str('namespace') ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const path = kind === 'pods' ? (flags['all-namespaces'] === true ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`) : `/api/v1/${kind}`;
  const list = await http.getJson<NameList>(path, { limit: 500 });
  return (list.items ?? []).map((i) => i.metadata?.name).filter((n): n is string => typeof n === 'string').sort();
}

/** Live names, the request within the deadline; an empty list on any error or timeout (completion is silent). */
async function quietly(kind: LiveKind, flags: Flags): Promise<string[]> {
  const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  let kc: KubeConfig;
  try {
    kc = await loadKubeConfig({ kubeconfig: str('kubeconfig'), context: str('context') });
  } catch {
    return [];
  }
  if (kind === 'contexts') return kc.getContexts().map((c) => c.name);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), LIVE_DEADLINE_MS);
  });
  try {
    return await Promise.race([listNames(kc, kind, flags, str).catch(() => []), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `podscope __complete WORDS...` and `kubectl_complete-podscope WORDS...`: prints candidates and
 * the directive line; never fails loudly (a shell completion must not print errors). `load` is the
 * package root, or oclif load options (the single-file executable passes its bundled pjson).
 */
export async function main(words: string[], load: Interfaces.LoadOptions): Promise<void> {
  let text = formatCompletion({ candidates: [], directive: DIRECTIVE.error });
  try {
    const { Config } = await import('@oclif/core');
    const config = await Config.load(load);
    text = formatCompletion(await complete(commandSpecs(config), words.length ? words : [''], quietly));
  } catch {
    // keep the error directive: the shell then offers nothing
  }
  process.stdout.write(text);
  process.exit(0);
}
