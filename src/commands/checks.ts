import { writeFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { PodscopeCommand } from '../cli/base.js';
import { outputFlag } from '../cli/flags.js';
import { CHECKS } from '../checks/registry.js';
import { catalogue, renderCatalogueMarkdown, renderCatalogueTable } from '../render/catalogue.js';
import type { Catalogue } from '../render/catalogue.js';

/** `podscope checks`: the catalogue of checks. */
export default class Checks extends PodscopeCommand {
  static override summary = "List every check: id, severity, what it looks at, what it needs (inputs and RBAC).";
  static override examples = ['<%= config.bin %> checks', '<%= config.bin %> checks -o wide'];
  static override flags = {
    output: outputFlag,
    'write-docs': Flags.string({ description: 'Also write the catalogue as Markdown to this file (docs/checks.md).', hidden: true }),
  };

  async run(): Promise<Catalogue> {
    const { flags } = await this.parse(Checks);
    if (flags['write-docs'] !== undefined) writeFileSync(flags['write-docs'] || 'docs/checks.md', renderCatalogueMarkdown(CHECKS));
    const result = catalogue(CHECKS);
    if (!this.emitData(flags.output, result)) {
      this.emit(renderCatalogueTable(CHECKS, { ...this.renderOptions(), wide: flags.output === 'wide' }));
    }
    return result;
  }
}
