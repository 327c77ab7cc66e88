import { COMMAND_FINDINGS } from '../checks/command-only.js';
import { rbacFor } from '../checks/types.js';
import type { Check } from '../checks/types.js';
import type { RenderOptions } from './options.js';
import { painter, plainTable } from './style.js';
import { CHECKS_SCHEMA } from '../schemas.js';

/** One catalogue entry as data (`podscope checks -o json`). */
export interface CatalogueEntry {
  id: string;
  title: string;
  severity: string;
  description: string;
  needs: string[];
  uses: string[];
  rbac: string[];
}

/** What `podscope checks -o json` prints. */
export interface Catalogue {
  /** The JSON Schema of this document (schema/checks.schema.json). */
  $schema: typeof CHECKS_SCHEMA;
  schemaVersion: 1;
  checks: CatalogueEntry[];
}

/** The catalogue as data. */
export function catalogue(checks: readonly Check[]): Catalogue {
  return {
    $schema: CHECKS_SCHEMA,
    schemaVersion: 1,
    checks: checks.map((c) => ({
      id: c.id,
      title: c.title,
      severity: c.severity,
      description: c.description,
      needs: [...c.needs],
      uses: [...c.uses],
      rbac: rbacFor(c),
    })),
  };
}

/** The catalogue as a table (wide adds the description and RBAC). */
export function renderCatalogueTable(checks: readonly Check[], opts: RenderOptions & { wide: boolean }): string {
  const c = painter(opts.color);
  const rows = catalogue(checks).checks.map((e) =>
    // Wide: one line per input in NEEDS and the RBAC it takes on the same line; "uses" are optional.
    opts.wide ? [e.id, e.severity, e.title, [...e.needs, ...e.uses.map((u) => `${u} (optional)`)].join('\n'), e.rbac.join('\n'), e.description] : [e.id, e.severity, e.title, e.needs.join(', ')],
  );
  const head = opts.wide ? ['ID', 'SEVERITY', 'TITLE', 'NEEDS', 'RBAC', 'DESCRIPTION'] : ['ID', 'SEVERITY', 'TITLE', 'NEEDS'];
  return plainTable(head, rows, c, opts.width) + '\n\n' + commandOnlyLines().join('\n') + '\n';
}

/** The findings only one command reports, after the catalogue (they are no checks of `check`). */
function commandOnlyLines(): string[] {
  return ['Reported only by podscope schedule, about the pod it is asked about (not checks of podscope check):', ...COMMAND_FINDINGS.map((f) => `  ${f.id}  ${f.severity.padEnd(8)}  ${f.title}`)];
}

/** docs/checks.md, generated from the registry (a test fails when the committed file is stale). */
export function renderCatalogueMarkdown(checks: readonly Check[]): string {
  const out = [
    '# podscope checks',
    '',
    '<!-- Generated from src/checks/registry.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'Ids are stable: they never change once released, titles may. "Needs" are inputs without which the',
    'check is skipped (with the reason); "uses" add evidence when available.',
    '',
    '| Id | Severity | Title | Needs | Uses | RBAC |',
    '|---|---|---|---|---|---|',
  ];
  for (const e of catalogue(checks).checks) {
    out.push(`| ${e.id} | ${e.severity} | ${e.title} | ${e.needs.join(', ')} | ${e.uses.join(', ') || '-'} | ${e.rbac.join('; ')} |`);
  }
  out.push('');
  for (const e of catalogue(checks).checks) out.push(`## ${e.id} ${e.title}`, '', e.description, '');
  out.push('## Findings of `podscope schedule` only', '', 'These ids appear in `podscope schedule` output about the pod it was asked about. They are not checks: `podscope check` does not run them.', '');
  for (const f of COMMAND_FINDINGS) out.push(`- ${f.id} (${f.severity}): ${f.title}`);
  out.push('');
  return out.join('\n');
}
