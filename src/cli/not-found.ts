import type { Hook } from '@oclif/core';
import { closest, distance } from 'fastest-levenshtein';
import { cliName } from './name.js';

/** The nearest command to a mistyped one, when it is close enough to be a typo. */
export function suggestCommand(typed: string, commands: readonly string[]): string | undefined {
  if (!commands.length) return undefined;
  const prefixed = commands.filter((c) => c.startsWith(typed) || typed.startsWith(c));
  if (prefixed.length === 1) return prefixed[0];
  const best = closest(typed, [...commands]);
  return distance(typed, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/** oclif's command_not_found hook: podscope's one line, the nearest command, exit 2 (as kubectl). */
const hook: Hook.CommandNotFound = async function (opts) {
  const [typed, ...extra] = opts.id.split(':');
  const commands = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id);
  // `podscope check extra`: oclif looked for a command "check extra"; let check report the argument.
  if (commands.includes(typed)) return opts.config.runCommand(typed, [...extra, ...(opts.argv ?? [])]);
  const name = cliName();
  if (typed.startsWith('-')) {
    process.stderr.write(`podscope: unknown flag "${typed}" (flags go after the command)\n  hint: ${name} --help lists the commands, ${name} COMMAND --help their flags\n`);
    this.exit(2);
  }
  const near = suggestCommand(typed, commands);
  process.stderr.write(`podscope: unknown command "${typed}"\n  hint: ${near ? `did you mean ${near}? ` : ''}${name} --help lists the commands\n`);
  this.exit(2);
};

export default hook;
