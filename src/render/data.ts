import { stringify } from 'yaml';

/** JSON output: two-space indent, trailing newline (stable contract). */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Arrays longer than this are rendered a slice at a time by renderJsonChunks. */
const CHUNK_ITEMS = 1000;

/** The plain object's longest array member above CHUNK_ITEMS, if any. */
function longArrayKey(value: unknown, chunkItems: number): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  if ('toJSON' in value) return undefined;
  let best: string | undefined;
  let len = chunkItems;
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length > len) {
      best = k;
      len = v.length;
    }
  }
  return best;
}

/**
 * renderJson's exact text in pieces, so a report of 150,000 findings is never one 120 MB string:
 * a long top-level array is stringified a slice at a time. Each slice is rendered as the sole
 * member of an object, so its items come out with the indent they have in the whole document.
 */
export function* renderJsonChunks(value: unknown, chunkItems = CHUNK_ITEMS): Generator<string> {
  const key = longArrayKey(value, chunkItems);
  if (key === undefined) {
    yield renderJson(value);
    return;
  }
  const items = (value as Record<string, unknown[]>)[key];
  const head = JSON.stringify({ ...(value as object), [key]: [] }, null, 2);
  // Only a top-level member starts a line with exactly two spaces and a quote: JSON strings hold no raw newline.
  const marker = `\n  ${JSON.stringify(key)}: []`;
  const at = head.indexOf(marker);
  if (at < 0) {
    yield renderJson(value);
    return;
  }
  yield `${head.slice(0, at)}\n  ${JSON.stringify(key)}: [\n`;
  const open = '{\n  "x": [\n'.length;
  const close = '\n  ]\n}'.length;
  for (let i = 0; i < items.length; i += chunkItems) {
    const s = JSON.stringify({ x: items.slice(i, i + chunkItems) }, null, 2);
    yield (i > 0 ? ',\n' : '') + s.slice(open, s.length - close);
  }
  yield `\n  ]${head.slice(at + marker.length)}\n`;
}

/** YAML output, YAML 1.1 so `yes`/`on` stay quoted for kubectl. */
export function renderYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0 });
}
