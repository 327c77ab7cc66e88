import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
 * Columns of free text: they give up width before the others do (twice as slowly, so they stay
 * the widest) and wrap at word boundaries. Other columns shrink only when these cannot absorb it.
 */
const FLEX = new Set(['MESSAGE', 'DETAIL', 'EVIDENCE', 'MEANING', 'WHY', 'REASON', 'MOUNTS', 'DESCRIPTION', 'SHARING', 'PRESTOP', 'STATE', 'ROLE', 'PORTS', 'SOURCE']);
const FLEX_WEIGHT = 2;
/** The narrowest a free-text column is made before other columns go below NAME_MIN. */
const FLEX_MIN = 16;
const NAME_MIN = 16;
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
 * minimum. When even the minimums do not fit, the minimums are returned (the lines overflow).
 */
export function fitWidths(head: readonly string[], natural: readonly number[], width: number): number[] {
  const w = [...natural];
  const weight = head.map((h) => (FLEX.has(h) ? FLEX_WEIGHT : 1));
  const total = () => w.reduce((a, b) => a + b, 0) + GAP * Math.max(0, w.length - 1);
  const shrink = (mins: number[]) => {
    let over = total() - width;
    while (over > 0) {
      let pick = -1;
      for (let i = 0; i < w.length; i++) {
        if (w[i] <= mins[i]) continue;
        if (pick < 0 || w[i] / weight[i] > w[pick] / weight[pick]) pick = i;
      }
      if (pick < 0) return;
      w[pick]--;
      over--;
    }
  };
  // Down to readable widths (16); then free text down to 8; then anything down to its head's longest word.
  shrink(head.map((h, i) => Math.min(natural[i], Math.max(longestWord(h), FLEX.has(h) ? FLEX_MIN : NAME_MIN))));
  shrink(head.map((h, i) => Math.min(natural[i], FLEX.has(h) ? Math.max(longestWord(h), 8) : Math.max(longestWord(h), NAME_MIN))));
  shrink(head.map((h, i) => Math.min(natural[i], Math.max(longestWord(h), 4))));
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
  return rows.map((r) => r.map((cell, i) => (widths[i] < natural[i] && cellWidth(cell) > widths[i] ? wrapCell(cell, widths[i]) : cell)));
}

/** A cell wrapped to width: at spaces, and words longer than the column after a / - . _ : inside them. */
function wrapCell(cell: string, width: number): string {
  return cell.includes('\u001b') ? wrapAnsi(cell, width, { hard: true, trim: true }) : wrapPlain(cell, width);
}

const ASCII = /^[\x20-\x7e]*$/;
const widthOf = (s: string): number => (ASCII.test(s) ? s.length : stringWidth(s));

/**
 * Greedy word wrap of text without colour codes (wrap-ansi takes milliseconds a cell, too slow
 * for big tables): lines break at spaces; a word wider than the line is broken by breakWord.
 */
export function wrapPlain(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let cur = '';
    let curW = 0;
    for (const word of line.split(' ')) {
      if (!word) continue;
      for (const piece of breakWord(word, width).split('\n')) {
        const w = widthOf(piece);
        if (curW && curW + 1 + w <= width) {
          cur += ` ${piece}`;
          curW += 1 + w;
        } else {
          if (curW) out.push(cur);
          cur = piece;
          curW = w;
        }
      }
    }
    out.push(cur);
  }
  return out.join('\n');
}

/** A word longer than width cut into lines after its last separator that fits (a name's / or -), else at width. */
export function breakWord(word: string, width: number): string {
  if (word.length <= width || !ASCII.test(word)) return word;
  const parts: string[] = [];
  let rest = word;
  while (rest.length > width) {
    const head = rest.slice(0, width);
    const cut = Math.max(head.lastIndexOf('/'), head.lastIndexOf('-'), head.lastIndexOf('.'), head.lastIndexOf('_'), head.lastIndexOf(':'));
    const at = cut > 0 ? cut + 1 : width;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  parts.push(rest);
  return parts.join('\n');
}

/** The widest line of a rendered block (colour codes not counted). */
export function blockWidth(text: string): number {
  return cellWidth(text);
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
      if (widthOf(line) <= width) return line;
      const leading = /^ */.exec(line)![0].length;
      const hang = Math.min(leading + 2, Math.floor(width / 2));
      const body = line.slice(leading);
      const wrapped = (body.includes('\u001b') ? wrapAnsi(body, width - hang, { hard: true, trim: true }) : wrapPlain(body, width - hang)).split('\n');
      return wrapped.map((l, k) => ' '.repeat(k === 0 ? Math.min(leading, hang) : hang) + l).join('\n');
    })
    .join('\n');
}
