import assert from 'node:assert/strict';
import type { StopResult } from '../../src/analysis/stop/result.js';
import { renderStopTable } from '../../src/render/stop.js';
import { STOP_SCHEMA } from '../../src/schemas.js';

const base: StopResult = {
  $schema: STOP_SCHEMA,
  schemaVersion: 1,
  pod: { namespace: 'shop', name: 'web-1' },
  services: ['web'],
  gracePeriodSeconds: 30,
  preStopSeconds: null,
  timeline: [],
  exposureMs: null,
  findings: [],
  node: 'node-a',
  endpoints: [],
  containers: [{ name: 'web', role: 'app', preStop: null, readinessProbe: true, stopOrder: 1 }],
  verdict: { unroutedAtMs: null, controlPlaneOnly: true, atRisk: false, summary: 'the pod was not deleted while podscope watched (timeout)', advice: [], ended: 'timeout' },
  unavailable: [],
};

describe('stop table', () => {
  it('says so when nothing happened during a trace, and marks the verdict unknown', () => {
    const out = renderStopTable(base, { color: false, wide: false });
    assert.match(out, /^TIMELINE {2}nothing changed while podscope watched$/m);
    assert.doesNotMatch(out, /OFFSET/);
    assert.match(out, /^VERDICT {3}UNKNOWN: the pod was not deleted while podscope watched \(timeout\)$/m);
    assert.match(out, /^SERVICES {2}web \(no EndpointSlice lists the pod\)$/m);
  });

  it('prints signed offsets, and the clock and recorded time in wide', () => {
    const r: StopResult = {
      ...base,
      timeline: [
        { offsetMs: 0, what: 'deletion requested (DELETE sent)', object: 'Pod/web-1', at: '2026-11-21T18:00:00.123Z', clock: 'observed' },
        { offsetMs: 14, what: 'deletionTimestamp set: 2026-11-21T18:00:30Z (grace 30 s)', object: 'Pod/web-1', at: '2026-11-21T18:00:00.137Z', clock: 'observed', recordedAt: '2026-11-21T18:00:00.000Z' },
      ],
      exposureMs: 14,
      verdict: { ...base.verdict!, atRisk: true, summary: 'new connections could still reach the pod for 14 ms after its app got SIGTERM', ended: 'gone' },
    };
    const out = renderStopTable(r, { color: false, wide: true });
    assert.match(out, /^\+14 ms +deletionTimestamp set: .* +Pod\/web-1 +2026-11-21T18:00:00\.137Z \(observed\) +2026-11-21T18:00:00\.000Z$/m);
    assert.match(out, /^VERDICT {3}TRAFFIC AT RISK: new connections could still reach the pod for 14 ms/m);
  });

  it('heads the verdict by atRisk, not by the measured window alone', () => {
    const tie = (atRisk: boolean): StopResult => ({ ...base, exposureMs: 0, verdict: { ...base.verdict!, atRisk, summary: 's', ended: 'gone' } });
    assert.match(renderStopTable(tie(true), { color: false, wide: false }), /^VERDICT {3}TRAFFIC AT RISK: s$/m);
    assert.match(renderStopTable(tie(false), { color: false, wide: false }), /^VERDICT {3}NO WINDOW: s$/m);
  });
});
