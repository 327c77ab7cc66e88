import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDescribeNode } from '../../src/parse/describe-node.js';
import { fixture } from '../helpers/cli.js';
import { confusion, scoreInspect, scorePleg, scoreSchedule } from './score.js';
import type { Scored } from './score.js';

const pct = (rows: { right: boolean }[]) => `${rows.filter((r) => r.right).length}/${rows.length} (${Math.round((100 * rows.filter((r) => r.right).length) / rows.length)}%)`;

describe('real-world corpus (test/__fixtures__/real, SOURCES.md)', () => {
  it('has 50+ real cases, 12+ negatives, each with a SOURCES.md row, and prints the score', async () => {
    const { scored, unlabelable } = await scorePleg((t) => parseDescribeNode(t) ?? undefined);
    const sched = scoreSchedule();
    const insp = scoreInspect();
    const all: Scored[] = [...scored, ...sched, ...insp.cases];
    const sources = readFileSync(fixture('real', 'SOURCES.md'), 'utf8');
    for (const r of all) assert.ok(sources.includes(`| ${r.name} |`), `${r.name} has a SOURCES.md row`);
    assert.ok(all.length + unlabelable.length >= 50, `${all.length} cases`);
    assert.ok(scored.filter((r) => r.negative).length >= 12, 'at least 12 negatives');
    const lines = [
      `pleg ${pct(scored)}, schedule ${pct(sched)}, inspect ${pct(insp.cases)} (facts ${insp.facts.right}/${insp.facts.total}), all ${pct(all)}`,
      `held out (added after the fixes): ${pct(all.filter((r) => r.heldOut))}`,
      `false alarms on negatives: ${scored.filter((r) => r.falseAlarm).length}`,
      confusion(scored),
      ...all.filter((r) => !r.right).map((r) => `  miss ${r.area} ${r.name}: expected ${r.expected} got ${r.got} ${r.detail}`),
      ...unlabelable.map((u) => `  unlabelable ${u}`),
    ];
    console.log(lines.join('\n'));
    // The goal of issue 12: at least 95% right, and no false alarm on a negative.
    const right = all.filter((r) => r.right).length;
    assert.ok(right / all.length >= 0.95, `${right}/${all.length} right`);
    assert.deepEqual(scored.filter((r) => r.falseAlarm).map((r) => r.name), [], 'no false alarm on a negative');
  });
});
