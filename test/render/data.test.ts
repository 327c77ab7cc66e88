import { strict as assert } from 'node:assert';
import { renderJson, renderJsonChunks } from '../../src/render/data.js';

const finding = (i: number) => ({
  checkId: 'STOP001',
  severity: i % 3 ? 'warning' : 'critical',
  subject: { kind: 'Pod', namespace: `team-${i % 7}`, name: `web-${i}`, ...(i % 2 ? { node: `node-${i}` } : {}) },
  message: `line\n"quoted" ünïcode ✓ \u0000 ${i}`,
  evidence: i % 5 ? [`e${i}`, { nested: [1, [2, { deep: null }]] }] : [],
  skipped: undefined,
});

describe('renderJsonChunks', () => {
  const cases: [string, unknown][] = [
    ['a scalar', 42],
    ['an array', [1, 2, 3]],
    ['a small object', { a: 1, b: [1, 2], c: {} }],
    ['a class instance', new Date(0)],
    ['an object with toJSON', { toJSON: () => ({ z: 1 }), findings: Array.from({ length: 50 }, (_, i) => i) }],
  ];
  for (const n of [0, 1, 9, 10, 11, 20, 21, 37]) {
    cases.push([`a report of ${n} findings`, { $schema: 'urn:x', tool: { name: 'podscope' }, findings: Array.from({ length: n }, (_, i) => finding(i)), empty: [], gone: undefined, summary: { n } }]);
  }
  cases.push(['findings as the last member', { a: 1, findings: Array.from({ length: 25 }, (_, i) => finding(i)) }]);
  cases.push(['findings as the first member', { findings: Array.from({ length: 25 }, (_, i) => [i, `x${i}`]), z: 'done' }]);
  cases.push(['two long arrays', { a: Array.from({ length: 15 }, (_, i) => i), '"b"\n': Array.from({ length: 30 }, (_, i) => ({ i })), c: null }]);
  cases.push(['holes and undefined items', { findings: [1, undefined, () => 1, null, ...Array.from({ length: 20 }, (_, i) => i)] }]);

  for (const [name, value] of cases) {
    it(`${name}: the chunks join to exactly renderJson`, () => {
      const chunks = [...renderJsonChunks(value, 10)];
      assert.equal(chunks.join(''), renderJson(value));
    });
  }

  it('a long array comes in several chunks', () => {
    const chunks = [...renderJsonChunks({ findings: Array.from({ length: 35 }, (_, i) => finding(i)) }, 10)];
    assert.equal(chunks.length, 6);
  });
});
