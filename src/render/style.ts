import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import stringWidth from 'string-width';
import type { Severity } from '../report/types.js';
import { fitRows } from './fit.js';

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

/** Rows past which the table is laid out by linearTable: cli-table3's layout grows quadratically (8,000 rows: 3 s; 150,000: minutes). */
export const LINEAR_TABLE_ROWS = 1000;

const CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
  'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};

/**
 * A borderless kubectl-style table (uppercase heads, two-space gaps); multi-line cells allowed.
 * Given a terminal width, free-text columns wrap at word boundaries so the table fits (fit.ts).
 */
export function plainTable(head: string[], rows: string[][], c: ChalkInstance, width?: number): string {
  const all = [head];
  for (const r of rows) all.push(r); // not push(...rows): 150,000 rows overflow the call stack
  const fitted = fitRows(all, width);
  fitted[0] = fitted[0].map((h) => h.split('\n').map((l) => c.bold(l)).join('\n'));
  if (rows.length > LINEAR_TABLE_ROWS) return linearTable(fitted);
  // Cells arrive already fitted (wrapped at word boundaries by fit.ts), so cli-table3 only lays
  // them out. No `head` option: cli-table3's toString does push.apply(head, rows), which overflows
  // the call stack on large tables (node_modules/cli-table3/src/table.js). The head is row one.
  const t = new Table({ chars: CHARS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  for (const r of fitted) t.push(r);
  return t
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/**
 * The layout cli-table3 prints with borderless settings (plainTable's path up to LINEAR_TABLE_ROWS), in linear time (cli-table3
 * grows quadratically: 8,000 rows took 3 s, 150,000 minutes): each column as wide as its
 * widest line (display width, colour codes not counted), cells left-aligned, two spaces between
 * columns, a multi-line cell making its row as tall. A test holds the two paths to the same bytes.
 */
export function linearTable(rows: string[][]): string {
  const split = rows.map((r) => r.map((cell) => String(cell ?? '').split('\n')));
  const widths: number[] = [];
  for (const r of split) r.forEach((lines, i) => lines.forEach((l) => (widths[i] = Math.max(widths[i] ?? 0, stringWidth(l)))));
  const out: string[] = [];
  for (const r of split) {
    const height = Math.max(1, ...r.map((lines) => lines.length));
    for (let k = 0; k < height; k++) {
      const line = widths.map((w, i) => {
        const text = r[i]?.[k] ?? '';
        return text + ' '.repeat(Math.max(0, w - stringWidth(text)));
      });
      out.push(line.join('  ').trimEnd());
    }
  }
  return out.join('\n');
}
