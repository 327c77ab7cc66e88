import type { SourceInfo, Unavailable } from '../model/types.js';
import type { REPORT_SCHEMA } from '../schemas.js';

/** Finding severities, most severe first. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;

/** How bad a finding is. */
export type Severity = (typeof SEVERITIES)[number];

/** Rank for sorting and gating: lower is more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The object a finding is about. */
export interface Subject {
  kind: string;
  namespace?: string;
  name: string;
  node?: string;
  container?: string;
}

/** One problem found by a check (DESIGN.md §3). */
export interface Finding {
  checkId: string;
  severity: Severity;
  subject: Subject;
  message: string;
  evidence: string[];
  remediation?: string;
  docs?: string;
}

/** The outcome of one check in a run. */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'errored';

/** A check's line in the report. */
export interface CheckOutcome {
  id: string;
  title: string;
  status: CheckStatus;
  reason?: string;
  findings: number;
}

/** Counts for the report's summary. */
export interface ReportSummary {
  critical: number;
  warning: number;
  info: number;
  passed: number;
  failed: number;
  skipped: number;
  errored: number;
}

/** What `podscope check` returns and prints (stable JSON contract; DESIGN.md §3). */
export interface Report {
  /** The JSON Schema of this document (schema/report.schema.json). */
  $schema: typeof REPORT_SCHEMA;
  schemaVersion: 1;
  tool: { name: 'podscope'; version: string };
  generatedAt: string;
  source: SourceInfo;
  scope: { namespace: string | null; allNamespaces: boolean; selector: string | null };
  checks: CheckOutcome[];
  findings: Finding[];
  unavailable: Unavailable[];
  summary: ReportSummary;
}
