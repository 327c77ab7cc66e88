import type { Config } from '@oclif/core';

/**
 * Argument completion in cobra's `__complete` protocol, which kubectl (>= 1.26) expects from a
 * plugin's `kubectl_complete-<plugin>` executable and which `podscope completion <shell>` scripts
 * call back: candidates one per line (`value<TAB>description`), then a line `:<directive>`.
 * Commands, flags and flag option values come from oclif's loaded config; pod, node and namespace
 * names from the current context, live, within a short deadline, and nothing on any error.
 */

/** cobra's ShellCompDirective bits. */
export const DIRECTIVE = { default: 0, error: 1, noSpace: 2, noFileComp: 4 } as const;

/** One command as completion sees it. */
export interface CommandSpec {
  id: string;
  summary?: string;
  flags: FlagSpec[];
  /** Positional argument names, in order. */
  args: { name: string; options?: readonly string[] }[];
}

/** One flag as completion sees it. */
export interface FlagSpec {
  name: string;
  char?: string;
  aliases?: string[];
  summary?: string;
  takesValue: boolean;
  options?: readonly string[];
}

/** What kind of live name a word wants. */
export type LiveKind = 'pods' | 'nodes' | 'namespaces' | 'contexts';

/** Lists live names of a kind; `words` carries --kubeconfig/--context/-n/-A as typed. */
export type LiveLister = (kind: LiveKind, flags: Record<string, string | true>) => Promise<string[]>;

/** The completion result. */
export interface Completion {
  candidates: string[];
  directive: number;
}

/** The visible commands, flags and args of oclif's loaded config. */
export function commandSpecs(config: Config): CommandSpec[] {
  return config.commands
    .filter((c) => !c.hidden)
    .map((c) => ({
      id: c.id,
      summary: c.summary ?? c.description?.split('\n')[0],
      flags: Object.values(c.flags)
        .filter((f) => !f.hidden)
        .map((f) => ({
          name: f.name,
          char: f.char,
          aliases: f.aliases,
          summary: f.summary ?? f.description?.split('\n')[0],
          takesValue: f.type === 'option',
          options: f.type === 'option' ? f.options : undefined,
        })),
      args: Object.values(c.args).map((a) => ({ name: a.name, options: a.options })),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Which live names a flag value or positional argument takes (undefined: files or free text). */
function liveKindOf(command: string, what: 'flag' | 'arg', name: string): LiveKind | undefined {
  if (what === 'flag') return name === 'namespace' ? 'namespaces' : name === 'context' ? 'contexts' : undefined;
  if (name === 'pod') return 'pods';
  if (name === 'node' || (command === 'pleg' && name === 'nodes')) return 'nodes';
  return undefined;
}

const FILE_FLAGS = new Set(['kubeconfig', 'from', 'file', 'kubelet-log', 'describe-node', 'kubelet-metrics', 'write-docs']);
const withDesc = (value: string, desc?: string) => (desc ? `${value}\t${desc}` : value);

function findFlag(spec: CommandSpec, word: string): FlagSpec | undefined {
  if (word.startsWith('--')) {
    const name = word.slice(2);
    return spec.flags.find((f) => f.name === name || f.aliases?.includes(name));
  }
  return spec.flags.find((f) => f.char === word.slice(1));
}

/**
 * Completes the last of `words` (the words after `podscope`, the last one being typed, maybe
 * empty). Pure apart from `live`, which is only called for pod, node, namespace and context names.
 */
export async function complete(specs: CommandSpec[], words: string[], live: LiveLister): Promise<Completion> {
  const typed = words.slice(0, -1);
  const cur = words.at(-1) ?? '';
  const noFiles = (candidates: string[]): Completion => ({ candidates, directive: DIRECTIVE.noFileComp });
  const spec = specs.find((s) => s.id === typed[0]);
  if (!spec) {
    if (typed.length > 0) return noFiles([]);
    return noFiles(specs.filter((s) => s.id.startsWith(cur)).map((s) => withDesc(s.id, s.summary)));
  }
  // Walk the typed words: flag values seen (for -n, --context...), positionals given.
  const flags: Record<string, string | true> = {};
  let positionals = 0;
  let pending: FlagSpec | undefined;
  for (const w of typed.slice(1)) {
    if (pending) {
      flags[pending.name] = w;
      pending = undefined;
    } else if (w.startsWith('-') && w.length > 1) {
      const [head, value] = w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
      const f = findFlag(spec, head);
      if (f?.takesValue && value === undefined) pending = f;
      else if (f) flags[f.name] = value ?? true;
    } else positionals++;
  }
  const values = async (f: FlagSpec, prefix: string, part: string): Promise<Completion> => {
    if (f.options) return noFiles(f.options.filter((o) => o.startsWith(part)).map((o) => prefix + o));
    const kind = liveKindOf(spec.id, 'flag', f.name);
    if (kind) return noFiles((await live(kind, flags)).filter((n) => n.startsWith(part)).map((n) => prefix + n));
    return FILE_FLAGS.has(f.name) && !prefix ? { candidates: [], directive: DIRECTIVE.default } : noFiles([]);
  };
  if (pending) return values(pending, '', cur);
  if (cur.startsWith('-')) {
    const eq = cur.indexOf('=');
    if (eq > 0) {
      const f = findFlag(spec, cur.slice(0, eq));
      return f?.takesValue ? values(f, cur.slice(0, eq + 1), cur.slice(eq + 1)) : noFiles([]);
    }
    const names: string[] = [];
    for (const f of spec.flags) {
      if (f.char && cur.length <= 2) names.push(withDesc(`-${f.char}`, f.summary));
      names.push(withDesc(`--${f.name}`, f.summary));
    }
    names.push('--help\tShow help.');
    return noFiles(names.filter((n) => n.startsWith(cur)));
  }
  const arg = spec.args[positionals];
  if (!arg) return noFiles([]);
  if (arg.options) return noFiles(arg.options.filter((o) => o.startsWith(cur)));
  const kind = liveKindOf(spec.id, 'arg', arg.name);
  if (!kind) return { candidates: [], directive: DIRECTIVE.default };
  return noFiles((await live(kind, flags)).filter((n) => n.startsWith(cur)));
}

/** The protocol's text: candidates, then `:directive`. */
export function formatCompletion(c: Completion): string {
  return [...c.candidates, `:${c.directive}`].join('\n') + '\n';
}
