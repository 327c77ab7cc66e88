import { strict as assert } from 'node:assert';
import type { PlegResult } from '../../src/analysis/pleg/types.js';
import { renderPlegTable } from '../../src/render/pleg.js';
import { fixture, runCli } from '../helpers/cli.js';

// A live input that was asked for and is missing says why in the default table (before, only
// `-o wide` did: a 1.32 kubelet without NodeLogQuery showed just "not available: kubelet-logs").
describe('pleg table: why a live input is missing', () => {
  let base: PlegResult;
  before(() => {
    base = JSON.parse(runCli(['pleg', '--offline', '--kubelet-log', fixture('pleg', 'disk-io-1.21', 'kubelet.log'), '-o', 'json']).stdout) as PlegResult;
  });

  const withUnavailable = (unavailable: PlegResult['nodes'][number]['unavailable']): PlegResult => ({
    ...base,
    nodes: [{ ...base.nodes[0]!, unavailable }],
  });

  it('names the first live input that failed, with its reason, clipped to the terminal', () => {
    const reason = 'node kwok-node-0 does not serve node log queries: its kubelet answered with the HTML listing of /var/log (NodeLogQuery off)';
    const data = withUnavailable([
      { input: 'cluster', kind: 'not-captured', reason: 'offline' },
      { input: 'kubelet-logs', kind: 'unsupported', reason },
    ]);
    const full = renderPlegTable(data, { color: false, wide: false });
    assert.match(full, /not available: cluster, kubelet-logs/);
    assert.ok(full.includes(`skipped: kubelet-logs: ${reason}`), full);
    const narrow = renderPlegTable(data, { color: false, wide: false, width: 80 });
    const line = narrow.split('\n').find((l) => l.includes('skipped:'))!;
    assert.ok(line.endsWith('…') && line.length <= 80, line);
  });

  it('adds nothing when every missing input was simply not captured (offline)', () => {
    const out = renderPlegTable(withUnavailable([{ input: 'cluster', kind: 'not-captured', reason: 'offline' }]), { color: false, wide: false });
    assert.doesNotMatch(out, /skipped:/);
  });
});
