import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Severity } from '../report/types.js';

/** A chalk whose colour is decided by the caller, never by chalk's own detection. */
export function painter(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** Severity in its colour. */
export function paintSeverity(c: ChalkInstance, s: Severity): string {
  if (s === 'critical') return c.red.bold('CRITICAL');
  if (s === 'warning') return c.yellow('WARNING');
  return c.cyan('INFO');
}

/** A borderless kubectl-style table (uppercase heads, two-space gaps). */
export function plainTable(head: string[], rows: string[][], c: ChalkInstance): string {
  const t = new Table({
    head: head.map((h) => c.bold(h)),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  t.push(...rows);
  return t
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}
