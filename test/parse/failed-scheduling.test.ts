import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { keyedCounts, parseFailedScheduling, reasonKey } from '../../src/parse/failed-scheduling.js';
import { fixture } from '../helpers/cli.js';

interface Case {
  version: string;
  source: string;
  message: string;
  total: number;
  counts: Record<string, number>;
  keyed: Record<string, number>;
  preFilter: string | null;
  notes?: string[];
  preemption: { total: number; counts: Record<string, number> } | null;
}

const data = JSON.parse(readFileSync(fixture('schedule', 'failed-scheduling-messages.json'), 'utf8')) as { fit: Case[]; notFit: string[] };

describe('parseFailedScheduling', () => {
  for (const c of data.fit) {
    it(`parses ${c.version}: ${c.message.replace(/\s+/g, " ").slice(0, 70)}…`, () => {
      const p = parseFailedScheduling(c.message);
      assert.ok(p, 'parsed');
      assert.equal(p.main.total, c.total);
      assert.deepEqual(p.main.counts, c.counts);
      assert.equal(p.main.preFilter, c.preFilter);
      assert.deepEqual(p.main.notes, c.notes ?? []);
      assert.deepEqual(keyedCounts(p.main.counts), c.keyed);
      if (c.preemption) {
        assert.ok(p.preemption);
        assert.equal(p.preemption.total, c.preemption.total);
        assert.deepEqual(p.preemption.counts, c.preemption.counts);
      } else {
        assert.equal(p.preemption, null);
      }
    });
  }

  it('returns null for scheduler messages that are not a fit error', () => {
    for (const m of data.notFit) assert.equal(parseFailedScheduling(m), null, m);
  });

  it('keys every taint wording of every version the same', () => {
    for (const r of [
      "node(s) had taints that the pod didn't tolerate",
      "node(s) had taint {dedicated: gpu}, that the pod didn't tolerate",
      'node(s) had untolerated taint {dedicated: gpu}',
      'node(s) had untolerated taint(s)',
    ]) {
      assert.equal(reasonKey(r), 'TaintToleration', r);
    }
    assert.equal(reasonKey("node(s) didn't match pod affinity/anti-affinity"), null, 'the old generic inter-pod reason restates a specific one');
  });
});
