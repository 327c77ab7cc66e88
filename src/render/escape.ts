/**
 * Terminal escape neutralisation: the one place where text that came from a cluster or a file is
 * made safe to print for people (CVE-2021-25743 is the same class in kubectl). C0 and C1 control
 * characters, DEL and the Unicode bidi controls are shown escaped (`\x1b`, `\u202e`), so an OSC 52
 * clipboard write or a CSI screen clear inside a container name prints as text. JSON and YAML
 * keep the data exact and never go through here.
 */

// C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F), ALM (U+061C), LRM/RLM (U+200E, U+200F),
// line/paragraph separators (U+2028, U+2029), bidi embeddings and overrides (U+202A–U+202E) and
// isolates (U+2066–U+2069).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const short = SHORT[ch];
  if (short) return short;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text from data made safe for a terminal: every control character escaped, newlines too. */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, escapeOne) : text;
}

/** Like escapeControl, but keeps newlines (for multi-line text whose lines the renderer lays out). */
export function escapeControlKeepNewlines(text: string): string {
  CONTROL_BUT_NEWLINE.lastIndex = 0;
  return CONTROL_BUT_NEWLINE.test(text) ? text.replace(CONTROL_BUT_NEWLINE, escapeOne) : text;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of a result with every string escaped for the terminal (arrays and plain objects are
 * walked; Dates and other instances are kept as they are). Human renderers call it on what they
 * are given, before adding any newline or colour of their own: the render boundary.
 */
export function terminalSafe<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return escapeControl(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = walk(v[i]);
    return out;
  }
  if (!isPlain(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = walk(x);
  return out;
}

/**
 * Escapes an error's message (and a podscope error's hint) in place before it is printed on
 * stderr: both may quote a pod name, a corrupt manifest or a server's Status message. Newlines
 * stay for the printer to fold.
 */
export function escapeError(err: Error & { hint?: string }): void {
  // oclif colours some of its own messages: colour (SGR) sequences go, everything else is escaped.
  const sgr = /\u001b\[[0-9;]*m/g;
  err.message = escapeControlKeepNewlines(err.message.replace(sgr, ''));
  if (typeof err.hint === 'string') err.hint = escapeControlKeepNewlines(err.hint.replace(sgr, ''));
}
