import type { Severity } from '../report/types.js';

/** A finding id that one command reports about the pod it was asked about, but that is no check of `podscope check`. */
export interface CommandFinding {
  id: string;
  command: 'schedule';
  severity: Severity;
  title: string;
}

/** Findings only `podscope schedule` reports (the catalogue lists them, `check --checks` explains them). */
export const COMMAND_FINDINGS: readonly CommandFinding[] = [
  { id: 'SCH005', command: 'schedule', severity: 'critical', title: 'spec.nodeName bypasses the scheduler (critical when that node does not exist)' },
  { id: 'SCH006', command: 'schedule', severity: 'info', title: 'Scheduling preferences (scoring only, never why a pod is Pending)' },
  { id: 'SCH007', command: 'schedule', severity: 'info', title: 'Filters podscope does not model apply (volumes, DRA, another scheduler)' },
];

/** A command-only finding by id, or undefined. */
export function findCommandFinding(id: string): CommandFinding | undefined {
  return COMMAND_FINDINGS.find((f) => f.id === id.toUpperCase());
}
