import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { analyseSchedule } from '../../src/analysis/schedule/index.js';
import { FILTERS } from '../../src/analysis/schedule/types.js';
import { keyedCounts, parseFailedScheduling } from '../../src/parse/failed-scheduling.js';
import { Rand, incoming, nodeOf, world } from '../oracle/generate.js';

const NOW = new Date('2026-11-21T18:00:00Z');

/** 40 worlds × 15 incoming pods = 600 generated scenarios, each placed on its first fitting node. */
function* scenarios(seed: number): Generator<{ pod: V1Pod; result: ReturnType<typeof analyseSchedule>; input: Parameters<typeof analyseSchedule>[0] }> {
  const r = new Rand(seed);
  for (let w = 0; w < 40; w++) {
    const wd = world(r, `p${w}`);
    const nodes = wd.nodes.map(nodeOf);
    const pods = [...wd.pods];
    for (let i = 0; i < 15; i++) {
      const pod = incoming(r, wd, i);
      const input = { pod, nodes, pods: [...pods], events: [], serverVersion: 'v1.36.3', now: NOW };
      const result = analyseSchedule(input);
      yield { pod, result, input };
      const first = result.result.nodes.find((n) => n.fits);
      if (first) pods.push({ ...pod, spec: { ...pod.spec!, nodeName: first.name }, status: { phase: 'Running' } });
    }
  }
}

describe('schedule analysis on generated scenarios (property test)', () => {
  it('never throws and every node row is consistent with itself and the summary', () => {
    let n = 0;
    for (const { result } of scenarios(20261121)) {
      n++;
      const r = result.result;
      for (const row of r.nodes) {
        assert.equal(row.fits, row.failedFilter === null, `${row.name}: fits iff no failed filter`);
        assert.equal(row.fits, row.reason === null);
        if (row.failedFilter) assert.ok((FILTERS as readonly string[]).includes(row.failedFilter));
      }
      const fitting = r.nodes.filter((x) => x.fits).length;
      assert.match(r.summary, new RegExp(`^${fitting}/${r.nodes.length} nodes are available`));
    }
    assert.equal(n, 600);
  });

  it('the summary line parses back into the same counts when no node fits (parser and formatter agree)', () => {
    let checked = 0;
    for (const { result } of scenarios(7)) {
      if (result.result.nodes.some((x) => x.fits) || result.evaluation.preFilter) continue;
      const parsed = parseFailedScheduling(result.result.summary);
      assert.ok(parsed, result.result.summary);
      assert.deepEqual(parsed.main.counts, result.evaluation.counts);
      assert.deepEqual(keyedCounts(parsed.main.counts), keyedCounts(result.evaluation.counts));
      checked++;
    }
    assert.ok(checked > 50, `only ${checked} unschedulable scenarios generated`);
  });

  it('per-node verdicts do not depend on the order nodes and pods are listed in', () => {
    for (const { input, result } of [...scenarios(99)].slice(0, 200)) {
      const shuffled = analyseSchedule({ ...input, nodes: [...input.nodes].reverse(), pods: [...input.pods].reverse() });
      assert.deepEqual(shuffled.result.nodes, result.result.nodes);
    }
  });

  it('a pod without requests, constraints or host ports fits every untainted, uncordoned node with pod room', () => {
    const r = new Rand(5);
    for (let w = 0; w < 50; w++) {
      const wd = world(r, `q${w}`);
      const pod: V1Pod = { metadata: { name: 'plain', namespace: wd.namespaces[0], labels: { app: 'zzz' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
      const res = analyseSchedule({ pod, nodes: wd.nodes.map(nodeOf), pods: wd.pods, events: [], now: NOW }).result;
      for (const s of wd.nodes) {
        const blocked = s.unschedulable || s.taints.some((t) => t.effect !== 'PreferNoSchedule');
        const bound = wd.pods.filter((p) => p.spec?.nodeName === s.name);
        const existingAnti = bound.some((p) => p.spec?.affinity?.podAntiAffinity);
        if (blocked || existingAnti || bound.length + 1 > Number(s.capacity.pods)) continue;
        assert.equal(res.nodes.find((x) => x.name === s.name)?.fits, true, `${s.name} should fit`);
      }
    }
  });
});
