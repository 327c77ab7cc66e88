import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers/cli.js';

// The one-way arrows of docs/architecture.md, checked on every import of src/ (static, dynamic,
// type-only and re-exports alike).

const SRC = path.join(ROOT, 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file, resolved to paths under src/ (`x.js` → `x.ts`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  return specs.filter((s) => s.startsWith('.')).map((s) => path.relative(SRC, path.resolve(path.dirname(file), s)).replace(/\.js$/, '.ts'));
}

const FILES = filesUnder(SRC);
const GRAPH = new Map(FILES.map((f) => [path.relative(SRC, f), importsOf(f)]));
const layer = (rel: string) => rel.split(path.sep)[0];

/** Direct imports from files of one layer into another: `from -> to` lines. */
function direct(from: string, to: (target: string) => boolean): string[] {
  return [...GRAPH].flatMap(([f, deps]) => (layer(f) === from ? deps.filter(to).map((d) => `${f} -> ${d}`) : []));
}

/** Everything reachable from a layer's files, with one path that reaches it. */
function reachable(from: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue: string[][] = [...GRAPH.keys()].filter((f) => layer(f) === from).map((f) => [f]);
  while (queue.length) {
    const trail = queue.shift()!;
    const at = trail[trail.length - 1];
    if (seen.has(at)) continue;
    seen.set(at, trail);
    for (const d of GRAPH.get(at) ?? []) if (!seen.has(d)) queue.push([...trail, d]);
  }
  return seen;
}

describe('layers (docs/architecture.md)', () => {
  it('the scan sees imports, including type-only and dynamic ones', () => {
    assert.ok(GRAPH.size > 50, `only ${GRAPH.size} files scanned`);
    assert.ok(GRAPH.get(path.join('cli', 'base.ts'))?.includes(path.join('source', 'open.ts')));
    assert.ok(GRAPH.get(path.join('source', 'open.ts'))?.includes(path.join('source', 'live.ts')), 'dynamic import not seen');
    assert.ok(GRAPH.get(path.join('checks', 'types.ts'))?.includes(path.join('model', 'types.ts')), 'type-only import not seen');
  });

  for (const from of ['analysis', 'checks', 'parse', 'render', 'report', 'model']) {
    it(`nothing under src/${from} imports src/source or src/gather`, () => {
      assert.deepEqual(direct(from, (t) => layer(t) === 'source' || layer(t) === 'gather'), []);
    });
  }

  it('nothing under src/analysis imports src/checks, directly or through another module', () => {
    assert.deepEqual(direct('analysis', (t) => layer(t) === 'checks'), []);
    const through = [...reachable('analysis')].filter(([f]) => layer(f) === 'checks' || layer(f) === 'source').map(([, trail]) => trail.join(' -> '));
    assert.deepEqual(through, []);
  });

  it('src/model imports nothing else of podscope', () => {
    assert.deepEqual(direct('model', (t) => layer(t) !== 'model'), []);
  });

  it('only commands and cli import commands, cli or oclif', () => {
    for (const [f] of GRAPH) {
      if (layer(f) === 'commands' || layer(f) === 'cli') continue;
      assert.deepEqual(GRAPH.get(f)!.filter((d) => layer(d) === 'commands' || layer(d) === 'cli'), [], f);
      assert.doesNotMatch(readFileSync(path.join(SRC, f), 'utf8'), /from '@oclif\//, `${f} imports oclif`);
    }
  });
});
