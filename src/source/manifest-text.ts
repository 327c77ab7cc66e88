import { CORE_SCHEMA, NOT_RESOLVED, boolYaml11Tag, defineScalarTag, floatCoreTag, intYaml11Tag, loadAll, mergeTag, nullYaml11Tag } from 'js-yaml';
import { DataError } from '../errors.js';

/**
 * The documents of a manifest text (`-f FILE`), one at a time. JSON (one value, or a stream of
 * concatenated values as jq prints them) goes to JSON.parse; YAML is cut at its `---` / `...`
 * document markers and each document is parsed on its own by js-yaml (about ten times faster than
 * `yaml` on kubectl output, see bench/files.bench.js), so no parser holds more than one document.
 *
 * Limits (docs/security.md): nesting deeper than MAX_DEPTH, and YAML aliases that would expand a
 * document past MAX_EXPANDED_NODES nodes (an "alias bomb"), are refused with a DataError. Aliases
 * as such are fine however many there are: js-yaml shares the aliased object instead of copying it.
 */

/** Deepest nesting of arrays/objects accepted in a document. */
export const MAX_DEPTH = 1000;
/** Most nodes a YAML document may expand to through its aliases. */
export const MAX_EXPANDED_NODES = 5_000_000;

const HINT = 'pass a Pod, a workload, a List, or kubectl get -o json|yaml output';

/** YAML 1.1 integers (0644 octal, 1_000) without base 60: go-yaml v2 reads `12:30` as a string. */
const intTag = defineScalarTag('tag:yaml.org,2002:int', {
  implicit: true,
  implicitFirstChars: intYaml11Tag.implicitFirstChars,
  resolve: (source, explicit, tagName) => (source.includes(':') ? NOT_RESOLVED : intYaml11Tag.resolve(source, explicit, tagName)),
  identify: intYaml11Tag.identify,
});

/**
 * YAML 1.1 as kubectl reads it (sigs.k8s.io/yaml, go-yaml v2): yes/no/on/off are booleans, 0644 is
 * octal, `<<` merges; timestamps stay strings (go-yaml gives strings for an untyped target).
 */
const SCHEMA = CORE_SCHEMA.withTags(boolYaml11Tag, intTag, floatCoreTag, nullYaml11Tag, mergeTag);

/** Decodes input bytes as text, or says it is not text (a NUL byte, or not UTF-8). */
export function decodeManifestText(buf: Buffer, name: string): string {
  if (buf.subarray(0, 8192).includes(0)) throw new DataError(`${name} is not a Kubernetes object: binary file`, HINT);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new DataError(`${name} is not a Kubernetes object: binary file (not UTF-8 text)`, HINT);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const STRUCTURAL = /["{}[\]]/g;
const BLANK = /^\s*$/;

/** Each value of a JSON text that holds one or several concatenated values, or null if it is not that. */
export function splitJson(text: string): { ranges: [number, number][]; depth: number } | null {
  const ranges: [number, number][] = [];
  let depth = 0;
  let max = 0;
  let start = 0;
  let end = 0;
  const re = new RegExp(STRUCTURAL);
  // A native regex search jumps to the next quote or bracket: far faster than a loop over characters.
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (depth === 0 && !BLANK.test(text.slice(end, i))) return null;
    if (c === 34) {
      if (depth === 0) return null;
      // Jump to the closing quote: one not preceded by an odd number of backslashes.
      let j = text.indexOf('"', i + 1);
      for (;;) {
        if (j < 0) return null;
        let k = j - 1;
        while (text.charCodeAt(k) === 92) k--;
        if ((j - k) % 2 === 1) break;
        j = text.indexOf('"', j + 1);
      }
      re.lastIndex = j + 1;
    } else if (c === 123 || c === 91) {
      if (depth === 0) start = i;
      if (++depth > max) max = depth;
    } else if (--depth < 0) {
      return null;
    } else if (depth === 0) {
      ranges.push([start, i + 1]);
      end = i + 1;
    }
  }
  return depth === 0 && ranges.length && BLANK.test(text.slice(end)) ? { ranges, depth: max } : null;
}

const tooDeep = (name: string) => new DataError(`${name} is nested more than ${MAX_DEPTH} levels deep`, HINT);

/** Whether a parsed JSON value nests deeper than MAX_DEPTH (iterative: no stack to overflow). */
function nestsTooDeep(root: unknown): boolean {
  const stack: unknown[] = [root];
  const depths: number[] = [1];
  while (stack.length) {
    const v = stack.pop() as object;
    const d = depths.pop() as number;
    if (d > MAX_DEPTH) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof x === 'object' && x !== null) {
        stack.push(x);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

/** The values of a JSON text or stream, or null when the text is not JSON (then it is read as YAML). */
function jsonValues(text: string, name: string): unknown[] | null {
  // One value (kubectl -o json): JSON.parse alone, then an iterative depth check.
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) {
    if (typeof whole === 'object' && whole !== null && nestsTooDeep(whole)) throw tooDeep(name);
    return [whole];
  }
  // Several concatenated values (jq): cut them apart, measuring the depth on the way.
  const split = splitJson(text);
  if (!split) return null;
  if (split.depth > MAX_DEPTH) throw tooDeep(name);
  try {
    return split.ranges.map(([s, e]) => JSON.parse(text.slice(s, e)) as unknown);
  } catch {
    return null;
  }
}

/** Nodes of a parsed YAML value as if aliases were copied, stopping past `limit`. */
function expandedSize(root: unknown, limit: number): number {
  const memo = new Map<object, number>();
  const size = (v: unknown, depth: number): number => {
    if (typeof v !== 'object' || v === null) return 1;
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    if (depth > MAX_DEPTH) return Infinity;
    let n = 1;
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      n += size(x, depth + 1);
      if (n > limit) return n;
    }
    memo.set(v, n);
    return n;
  };
  return size(root, 0);
}

interface YamlErrorLike {
  name?: string;
  reason?: string;
  mark?: { line?: number };
  message?: string;
}

/** Line number (1-based) of offset in text. */
function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Parses one YAML chunk (one document, or several when the text has directives). */
function yamlDocs(chunk: string, name: string, text: string, offset: number): unknown[] {
  let docs: unknown[];
  try {
    docs = loadAll(chunk, { schema: SCHEMA, maxDepth: MAX_DEPTH, filename: name });
  } catch (err) {
    const e = err as YamlErrorLike;
    if (e?.name !== 'YAMLException') throw err;
    if (/maxDepth/.test(e.reason ?? '')) throw tooDeep(name);
    const line = e.mark?.line !== undefined ? ` at line ${lineAt(text, offset) + e.mark.line}` : '';
    throw new DataError(`${name} is not a Kubernetes object: not valid YAML or JSON${line} (${(e.reason ?? e.message ?? '').split('\n')[0]})`, HINT);
  }
  if (chunk.includes('*')) {
    for (const d of docs) {
      if (expandedSize(d, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES) {
        throw new DataError(`${name} is refused: its YAML aliases expand a document past ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes (an alias bomb?)`, 'expand the aliases, or split the document');
      }
    }
  }
  return docs;
}

/** Where each YAML document starts: a `---` line, and just past a `...` line. */
const MARKER = /^(?:---|\.\.\.)(?=[ \t]|\r?\n|$)/gm;

/** The documents of a manifest text, parsed one at a time; nulls (empty documents) are skipped. */
export function* manifestDocuments(text: string, name: string): Generator<unknown> {
  const first = /\S/.exec(text);
  if (!first) throw new DataError(`${name} is empty`, HINT);
  if (text[first.index] === '{' || text[first.index] === '[') {
    const values = jsonValues(text, name);
    if (values) {
      yield* values.filter((v) => v !== null);
      return;
    }
  }
  // Directives (%YAML) belong to the document after them: such texts are parsed whole.
  const cuts = /^%/m.test(text) ? [] : [...text.matchAll(MARKER)].map((m) => (m[0] === '...' ? text.indexOf('\n', m.index) + 1 || text.length : m.index));
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    if (cut <= from) continue;
    const chunk = text.slice(from, cut);
    // A document that is JSON (`---` then an object) goes to JSON.parse too.
    const body = chunk.replace(/^---[ \t]*(?:#.*)?\r?\n/, '');
    const json = /^\s*[[{]/.test(body) ? jsonValues(body, name) : null;
    for (const d of json ?? yamlDocs(chunk, name, text, from)) if (d !== null && d !== undefined) yield d;
    from = cut;
  }
}
