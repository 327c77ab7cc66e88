/**
 * The schedule oracle on the real control plane: ≥500 generated scenarios (random nodes, bound
 * pods, incoming pods with requests, selectors, affinities, tolerations, host ports and spread
 * constraints); the real kube-scheduler places or rejects each pod and podscope's verdict on the
 * same state must agree on at least 99% of them (test/oracle/oracle.ts says what "agree" means).
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cluster } from './cluster/hooks.js';
import { runOracle, summarise } from '../oracle/oracle.js';

describe('schedule oracle: podscope against the real kube-scheduler', () => {
  it('agrees with the scheduler on at least 99% of 500+ generated scenarios', async function () {
    this.timeout(30 * 60_000);
    const outcomes = await runOracle(cluster().kc, {
      seed: Number(process.env.ORACLE_SEED ?? 20261121),
      worlds: 21,
      perWorld: 25,
      log: (line) => process.stderr.write(`[oracle] ${line}\n`),
    });
    const s = summarise(outcomes);
    const file = join(tmpdir(), `podscope-schedule-oracle-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(outcomes, null, 2));
    process.stderr.write(`[oracle] ${s.unstable} scenario(s) set aside because other pods changed mid-scenario; ${s.agree}/${s.total} verdicts agree (${(s.rate * 100).toFixed(1)}%); FitError counts equal on ${s.countsAgree}/${s.countsChecked} rejected pods; pinned probes agree on ${s.probesAgree}/${s.probes} node verdicts; classes ${JSON.stringify(s.classes)}; outcomes in ${file}\n`);
    assert.ok(s.total >= 500, `${s.total} scenarios`);
    assert.ok(s.rate >= 0.99, `agreement ${(s.rate * 100).toFixed(1)}%: ${JSON.stringify(s.classes)}`);
    assert.ok(s.countsAgree >= 0.99 * s.countsChecked, `FitError counts agree on ${s.countsAgree}/${s.countsChecked}`);
    assert.ok(s.probes >= 200 && s.probesAgree >= 0.99 * s.probes, `probes agree on ${s.probesAgree}/${s.probes}`);
  });
});
