import { CHECKS } from '../checks/registry.js';
import type { Report, Severity } from '../report/types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', warning: 'warning', info: 'note' };

/**
 * The report as SARIF 2.1.0 (code-scanning UIs). Kubernetes objects have no file location, so
 * each result names its object as a logical location. Written by hand: SARIF is plain JSON and
 * the only npm builders are unmaintained.
 */
export function renderSarif(report: Report): string {
  const used = new Set(report.checks.map((c) => c.id));
  const rules = CHECKS.filter((c) => used.has(c.id)).map((c) => ({
    id: c.id,
    name: c.title.replace(/[^A-Za-z0-9]+/g, ''),
    shortDescription: { text: c.title },
    fullDescription: { text: c.description },
    defaultConfiguration: { level: LEVEL[c.severity] },
  }));
  const results = report.findings.map((f) => ({
    ruleId: f.checkId,
    level: LEVEL[f.severity],
    message: { text: `${f.message}${f.remediation ? ` — ${f.remediation}` : ''}` },
    locations: [
      {
        logicalLocations: [
          {
            kind: 'resource',
            fullyQualifiedName: `${f.subject.kind}/${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}${f.subject.container ? `/${f.subject.container}` : ''}`,
          },
        ],
      },
    ],
    properties: { evidence: f.evidence, subject: f.subject },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'podscope', version: report.tool.version, rules } },
        results,
        invocations: [
          {
            executionSuccessful: report.summary.errored === 0,
            toolExecutionNotifications: report.checks
              .filter((c) => c.status === 'skipped' || c.status === 'errored')
              .map((c) => ({ level: c.status === 'errored' ? 'error' : 'note', message: { text: `${c.id} ${c.status}: ${c.reason ?? ''}` } })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
