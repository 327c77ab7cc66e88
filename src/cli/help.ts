import { Help } from '@oclif/core';

/** The exit codes every command shares (DESIGN.md §2), shown in the top-level help. */
export const EXIT_CODES_HELP = `EXIT CODES
  0  nothing at or above --fail-on
  1  findings at or above --fail-on (default: critical)
  2  usage error (bad flag, argument or selector)
  3  could not gather data (unreachable, unauthenticated, bad input file)
  4  some checks could not run (forbidden, unsupported) and --strict was given
  70 internal error: a podscope bug (please report it)`;

/** oclif's help with podscope's exit codes after the command list of the root screen. */
export default class PodscopeHelp extends Help {
  override async showRootHelp(): Promise<void> {
    await super.showRootHelp();
    this.log(EXIT_CODES_HELP);
  }
}
