import { ExitCode } from '../errors.js';
import type { Finding, Severity } from './types.js';
import { severityRank } from './types.js';

/** How the gate decides the exit code. */
export interface GateOptions {
  failOn: Severity;
  strict: boolean;
}

/**
 * The exit code for a run: 1 when a finding is at or above --fail-on; otherwise 4 when --strict
 * and a check could not run; otherwise 0 (DESIGN.md §2).
 */
export function gateExitCode(
  findings: readonly Pick<Finding, 'severity'>[],
  incomplete: boolean,
  opts: GateOptions,
): number {
  if (findings.some((f) => severityRank(f.severity) <= severityRank(opts.failOn))) return ExitCode.FINDINGS;
  if (opts.strict && incomplete) return ExitCode.INCOMPLETE;
  return ExitCode.OK;
}
