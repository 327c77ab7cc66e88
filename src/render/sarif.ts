import { CHECKS } from '../checks/registry.js';
import type { Report, Severity } from '../report/types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', warning: 'warning', info: 'note' };

/**
 * The manifest file a `-f FILE` report read, as a SARIF artifact URI (relative, forward slashes),
 * or undefined for standard input, a snapshot or a live cluster.
 */
function manifestUri(report: Report): string | undefined {
  const { kind, location } = report.source;
  if (kind !== 'files' || location === 'standard input' || location === '-') return undefined;
  return encodeURI(location.replace(/\\/g, '/').replace(/^(\.\/)+/, ''));
}

/**
 * The report as SARIF 2.1.0 (code-scanning UIs). Each result names its Kubernetes object as a
 * logical location; from `-f FILE` it also carries the file as its physical location, which GitHub
 * code scanning requires (it rejects a whole upload with a result that has only a logical location:
 * "expected a physical location"). Written by hand: SARIF is plain JSON and the only npm builders
 * are unmaintained.
 */
export function renderSarif(report: Report): string {
  const uri = manifestUri(report);
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
        ...(uri ? { physicalLocation: { artifactLocation: { uri } } } : {}),
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
