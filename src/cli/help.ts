import { Errors, Help } from '@oclif/core';
import { cliName } from './name.js';
import { suggestCommand } from './not-found.js';

/** The exit codes every command shares (DESIGN.md §2), shown in the top-level help. */
export const EXIT_CODES_HELP = `EXIT CODES
  0  nothing at or above --fail-on
  1  findings at or above --fail-on (default: critical)
  2  usage error (bad flag, argument or selector)
  3  could not gather data (unreachable, unauthenticated, bad input file)
  4  some checks could not run (forbidden, unsupported) and --strict was given
  70 internal error: a podscope bug (please report it; PODSCOPE_DEBUG=1 shows the stack)`;

/** oclif's help with podscope's exit codes after the command list of the root screen. */
export default class PodscopeHelp extends Help {
  override async showRootHelp(): Promise<void> {
    await super.showRootHelp();
    this.log(EXIT_CODES_HELP);
  }

  /** `help nosuch`: podscope's one line and the nearest command, not oclif's "Command not found." */
  override async showHelp(argv: string[]): Promise<void> {
    const subject = argv.find((a) => !a.startsWith('-'));
    const ids = this.config.commands.filter((c) => !c.hidden).map((c) => c.id);
    if (subject && !ids.includes(subject)) {
      const near = suggestCommand(subject, ids);
      const name = cliName();
      process.stderr.write(`podscope: unknown command "${subject}"\n  hint: ${near ? `did you mean ${near}? ` : ''}${name} --help lists the commands\n`);
      Errors.exit(2);
    }
    return super.showHelp(argv.filter((a) => ids.includes(a) || a.startsWith('-')).slice(0, 2));
  }
}
