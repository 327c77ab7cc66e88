import { Args } from '@oclif/core';
import { PodscopeCommand } from '../cli/base.js';
import { SHELLS, completionScript } from '../cli/completion-scripts.js';
import type { Shell } from '../cli/completion-scripts.js';

/** `podscope completion bash|zsh|fish`: the shell completion script, kubectl style. */
export default class Completion extends PodscopeCommand {
  static override summary = 'Print the shell completion script (bash, zsh or fish).';
  static override description = [
    'Completes commands, flags, option values, and pod, node and namespace names of the current context.',
    'As a kubectl plugin, kubectl (>= 1.26) completes `kubectl podscope` itself through the kubectl_complete-podscope executable.',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> completion bash > ~/.local/share/bash-completion/completions/podscope',
    'source <(<%= config.bin %> completion zsh)',
    '<%= config.bin %> completion fish | source',
  ];
  static override args = { shell: Args.string({ description: 'The shell.', options: [...SHELLS], required: true }) };

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    this.emit(completionScript(args.shell as Shell, 'podscope'));
  }
}
