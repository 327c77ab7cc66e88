/** Exit codes, as documented in the README and DESIGN.md §2. */
export const ExitCode = {
  OK: 0,
  FINDINGS: 1,
  USAGE: 2,
  DATA: 3,
  INCOMPLETE: 4,
} as const;

/** What a user can fix: bad flags, unreachable cluster, a bad file. Printed as one line, no trace. */
export class PodscopeError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PodscopeError';
  }
}

/** A usage error (exit 2): flags or arguments that do not make sense. */
export class UsageError extends PodscopeError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.USAGE, hint);
    this.name = 'UsageError';
  }
}

/** Data could not be gathered (exit 3): unreachable, unauthenticated, bad input file. */
export class DataError extends PodscopeError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.DATA, hint);
    this.name = 'DataError';
  }
}

/** The message of anything thrown, for places that must not print a stack. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
