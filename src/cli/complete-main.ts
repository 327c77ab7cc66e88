import { loadKubeConfig } from '../source/kubeconfig.js';
import { KubeHttp } from '../source/http.js';
import { DIRECTIVE, commandSpecs, complete, formatCompletion } from './complete.js';
import type { LiveKind } from './complete.js';

/** How long live name look-ups may take in total: short, since completion must feel instant (2 s, like a slow kubectl get; 1 s dropped names on a loaded machine). */
export const LIVE_DEADLINE_MS = 2000;

interface NameList {
  items?: { metadata?: { name?: string } }[];
}

/** Names of pods, nodes or namespaces in the current context (kubeconfig and flags as typed). */
async function liveNames(kind: LiveKind, flags: Record<string, string | true>): Promise<string[]> {
  const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
  const kc = await loadKubeConfig({ kubeconfig: str('kubeconfig'), context: str('context') });
  if (kind === 'contexts') return kc.getContexts().map((c) => c.name);
  const http = KubeHttp.create(kc, { timeoutMs: LIVE_DEADLINE_MS, retries: 0 });
  const ns = str('namespace') ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const path = kind === 'pods' ? (flags['all-namespaces'] === true ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`) : `/api/v1/${kind}`;
  const list = await http.getJson<NameList>(path, { limit: 500 });
  return (list.items ?? []).map((i) => i.metadata?.name).filter((n): n is string => typeof n === 'string').sort();
}

/** Live names within the deadline; an empty list on any error or timeout (completion is silent). */
async function quietly(kind: LiveKind, flags: Record<string, string | true>): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), LIVE_DEADLINE_MS);
  });
  try {
    return await Promise.race([liveNames(kind, flags).catch(() => []), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `podscope __complete WORDS...` and `kubectl_complete-podscope WORDS...`: prints candidates and
 * the directive line; never fails loudly (a shell completion must not print errors).
 */
export async function main(words: string[], root: string): Promise<void> {
  let text = formatCompletion({ candidates: [], directive: DIRECTIVE.error });
  try {
    const { Config } = await import('@oclif/core');
    const config = await Config.load({ root });
    text = formatCompletion(await complete(commandSpecs(config), words.length ? words : [''], quietly));
  } catch {
    // keep the error directive: the shell then offers nothing
  }
  process.stdout.write(text);
  process.exit(0);
}
