import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
 * Columns of free text: they give up width before the others do (twice as slowly, so they stay
 * the widest) and wrap at word boundaries. Other columns shrink only when these cannot absorb it.
 */
const FLEX = new Set(['MESSAGE', 'DETAIL', 'EVIDENCE', 'MEANING', 'WHY', 'REASON', 'MOUNTS', 'DESCRIPTION', 'SHARING', 'PRESTOP', 'LAST TERMINATION']);
const FLEX_WEIGHT = 2;
/** The narrowest a free-text column is made; other columns stop at their head's longest word or 8. */
const FLEX_MIN = 16;
const GAP = 2;

function longestWord(text: string): number {
  let m = 0;
  for (const w of text.split(/\s+/)) m = Math.max(m, stringWidth(w));
  return m;
}

function cellWidth(cell: string): number {
  let m = 0;
  for (const l of cell.split('\n')) m = Math.max(m, stringWidth(l));
  return m;
}

/**
 * Column widths that make the table fit `width`: the natural widths when they fit, otherwise the
 * widest columns (weighted toward keeping free text wide) shrink one column at a time down to a
 * minimum. When even the minimums do not fit, the minimums are returned.
 */
export function fitWidths(head: readonly string[], natural: readonly number[], width: number): number[] {
  const w = [...natural];
  const mins = head.map((h, i) => Math.min(natural[i], Math.max(longestWord(h), FLEX.has(h) ? FLEX_MIN : 8)));
  const weight = head.map((h) => (FLEX.has(h) ? FLEX_WEIGHT : 1));
  const total = () => w.reduce((a, b) => a + b, 0) + GAP * Math.max(0, w.length - 1);
  let over = total() - width;
  while (over > 0) {
    let pick = -1;
    for (let i = 0; i < w.length; i++) {
      if (w[i] <= mins[i]) continue;
      if (pick < 0 || w[i] / weight[i] > w[pick] / weight[pick]) pick = i;
    }
    if (pick < 0) break;
    w[pick]--;
    over--;
  }
  return w;
}

/**
 * The rows (head first, plain strings) with the cells of over-wide columns wrapped at word
 * boundaries so the table fits `width`; nothing is cut, long words are broken. Unchanged when
 * width is undefined (not a terminal) or the table already fits.
 */
export function fitRows(rows: string[][], width: number | undefined): string[][] {
  if (!width || !rows.length) return rows;
  const cols = Math.max(...rows.slice(0, 1).map((r) => r.length));
  const natural = new Array<number>(cols).fill(0);
  for (const r of rows) for (let i = 0; i < cols; i++) natural[i] = Math.max(natural[i], cellWidth(String(r[i] ?? '')));
  const head = rows[0].map((h) => h.replace(/\u001b\[[0-9;]*m/g, ''));
  const widths = fitWidths(head, natural, width);
  if (widths.every((x, i) => x === natural[i])) return rows;
  return rows.map((r) => r.map((cell, i) => (widths[i] < natural[i] && cellWidth(cell) > widths[i] ? wrapAnsi(cell, widths[i], { hard: true, trim: true }) : cell)));
}

/**
 * Text for a terminal of `width` columns: every line longer than that wrapped at word
 * boundaries, continuation lines indented two past the line's own indent. Unchanged when width
 * is undefined (not a terminal: full lines).
 */
export function fitLines(text: string, width: number | undefined): string {
  if (!width) return text;
  return text
    .split('\n')
    .map((line) => {
      if (stringWidth(line) <= width) return line;
      const leading = /^ */.exec(line)![0].length;
      const hang = Math.min(leading + 2, Math.floor(width / 2));
      const wrapped = wrapAnsi(line.slice(leading), width - hang, { hard: true, trim: true }).split('\n');
      return wrapped.map((l, k) => ' '.repeat(k === 0 ? Math.min(leading, hang) : hang) + l).join('\n');
    })
    .join('\n');
}
