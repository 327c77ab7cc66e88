import { Flags } from '@oclif/core';
import { BASE_FORMATS, REPORT_FORMATS } from '../render/options.js';
import type { OutputFormat } from '../render/options.js';
import { UsageError } from '../errors.js';
import { parseFlagDuration } from '../parse/duration.js';

/** kubectl's connection flags, plus podscope's offline inputs. */
export const sourceFlags = {
  kubeconfig: Flags.string({ description: 'Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).', helpGroup: 'CLUSTER' }),
  context: Flags.string({ description: 'The kubeconfig context to use.', helpGroup: 'CLUSTER' }),
  'request-timeout': Flags.string({ description: 'Time to wait for one API request, its retries included (e.g. 30s, 1m; 0 = no limit).', default: '30s', helpGroup: 'CLUSTER' }),
  'gather-timeout': Flags.string({ description: 'Time to wait for the whole gather (default: twice --request-timeout; 0 = no limit).', helpGroup: 'CLUSTER' }),
  'node-timeout': Flags.string({ description: "Time to wait for one kubelet call through the node proxy, its one retry included.", default: '5s', helpGroup: 'CLUSTER' }),
  'node-concurrency': Flags.integer({ description: 'Kubelet calls through the node proxy in flight at once (1-256).', default: 32, helpGroup: 'CLUSTER' }),
  from: Flags.string({ description: 'Analyse a podscope snapshot or a kubectl cluster-info dump directory instead of a live cluster.', helpGroup: 'OFFLINE' }),
  file: Flags.string({ char: 'f', description: 'Analyse objects from a file (JSON or YAML, a Pod, a workload, a List); - reads standard input.', helpGroup: 'OFFLINE' }),
};

/** kubectl's scope flags. */
export const scopeFlags = {
  namespace: Flags.string({ char: 'n', description: "Namespace (default: the context's namespace; offline: all)." }),
  'all-namespaces': Flags.boolean({ char: 'A', description: 'Look at every namespace.', default: false }),
  selector: Flags.string({ char: 'l', description: 'Label selector for pods (e.g. app=web,tier!=db).' }),
};

/** -o for commands that print a result (table, wide, json, yaml). */
export const outputFlag = Flags.option({
  char: 'o',
  description: 'Output format.',
  options: BASE_FORMATS,
  default: 'table' as const,
})();

/** -o for `check`, which adds the CI formats. */
export const reportOutputFlag = Flags.option({
  char: 'o',
  description: 'Output format (junit, sarif and markdown are for CI).',
  options: REPORT_FORMATS,
  default: 'table' as OutputFormat,
})();

/** The gate flags of commands that exit 1 on findings. */
export const gateFlags = {
  'fail-on': Flags.option({
    description: 'Exit 1 when a finding is at or above this severity.',
    options: ['critical', 'warning', 'info'] as const,
    default: 'critical' as const,
  })(),
  strict: Flags.boolean({ description: 'Exit 4 when a check could not run (forbidden, not captured, errored).', default: false }),
};

/** The one duration syntax of every duration flag (as kubectl's --request-timeout): 90, 90s, 5m, 1h30m. */
export function durationSeconds(flag: string, text: string, opts: { zero?: boolean } = {}): number {
  const s = parseFlagDuration(text);
  if (s === null || s < 0 || (s === 0 && !opts.zero)) throw new UsageError(`invalid --${flag} "${text}"`, 'use a duration such as 30s, 5m or 2h (a bare number is seconds)');
  return s;
}

/**
 * `-f -` / `--kubelet-log -` with standard input on a terminal: refuse with a hint rather than
 * wait for typing (or fail with EAGAIN). Piped or redirected input is read as usual.
 */
export function refuseTerminalStdin(flag: string, value: string | undefined, example: string): void {
  if (value === '-' && process.stdin.isTTY) {
    throw new UsageError(`${flag} - reads standard input, but standard input is a terminal`, `pipe or redirect the input, e.g. ${example}; or give a file name`);
  }
}
