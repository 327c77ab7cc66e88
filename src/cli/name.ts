import path from 'node:path';

/** How the user ran podscope: `kubectl podscope` when kubectl exec'd the kubectl-podscope plugin. */
export function cliName(argv1: string | undefined = process.argv[1]): string {
  return /^kubectl-podscope/.test(path.basename(argv1 ?? '')) ? 'kubectl podscope' : 'podscope';
}

/** Rewrites `podscope CMD` mentions in a hint to the name the user ran (see cliName). */
export function asRun(text: string, name: string = cliName()): string {
  if (name === 'podscope') return text;
  return text.replace(/(^|[\s(`'"])podscope(?= (?:check|checks|inspect|schedule|pleg|stop|snapshot|help|version|--help)\b)/g, `$1${name}`);
}
