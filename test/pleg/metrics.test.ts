import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readKubeletMetrics } from '../../src/analysis/pleg/metrics.js';
import { fixture } from '../helpers/cli.js';

const read = (f: string) => readFileSync(fixture('pleg', ...f.split('/')), 'utf8');

describe('kubelet metrics for PLEG', () => {
  it('reads one current scrape as totals, with a saturated relist p99 reported as ≥10s', () => {
    const m = readKubeletMetrics([read('pod-density-1.28/metrics.txt')], null);
    assert.equal(m.mode, 'totals');
    assert.equal(m.legacy, false);
    assert.equal(m.relist?.p99.saturated, true);
    assert.equal(m.relist?.p99.value, 10);
    assert.equal(m.runningPods, 238);
    assert.deepEqual(m.containers, { running: 412, exited: 1412 });
    assert.equal(m.discardEvents, 37);
    assert.equal(m.eventedPleg, false);
    assert.equal(m.lastSeenUnix, 1763546110);
    assert.equal(m.kubeletVersion, 'v1.28.3');
    assert.deepEqual(m.runtimeErrors, { image_fs_info: 1 });
  });

  it('turns two scrapes into rates: only the increase between them counts', () => {
    const m = readKubeletMetrics([read('metrics/rpc-metrics-1.txt'), read('metrics/rpc-metrics-2.txt')], 10);
    assert.equal(m.mode, 'rate');
    assert.equal(m.windowSeconds, 10);
    assert.deepEqual(m.runtimeErrors, { list_podsandbox: 5, podsandbox_status: 1 });
    // Five relists in the window, all in +Inf: saturated. Totals since start would not be.
    assert.equal(m.relist?.count, 5);
    assert.equal(m.relist?.p99.saturated, true);
    const one = readKubeletMetrics([read('metrics/rpc-metrics-2.txt')], null);
    assert.equal(one.relist?.p99.saturated, false);
    assert.equal(m.runtimeP99.list_podsandbox, undefined, 'no list_podsandbox call in the window');
    assert.ok(one.runtimeP99.list_podsandbox.value >= 10 && one.runtimeP99.list_podsandbox.value <= 190.8);
  });

  it('reads a healthy node: fast relists, no errors', () => {
    const m = readKubeletMetrics([read('metrics/healthy-metrics-1.txt'), read('metrics/healthy-metrics-2.txt')], 10);
    assert.ok(m.relist!.p99.value < 0.25 && !m.relist!.p99.saturated, JSON.stringify(m.relist));
    assert.deepEqual(m.runtimeErrors, {});
    assert.equal(m.discardEvents, 0);
  });

  it('reads pre-1.14 names: microsecond summaries, counters without _total', () => {
    const m = readKubeletMetrics([read('metrics/legacy-1.13.txt')], null);
    assert.equal(m.legacy, true);
    assert.ok(Math.abs(m.relist!.p99.value - 17.310655) < 1e-9);
    assert.equal(m.relist!.p99.saturated, false);
    assert.ok(Math.abs(m.relistInterval!.p99.value - 18.311934) < 1e-9);
    assert.equal(m.runningPods, 226);
    assert.equal(m.containers.running, 431);
    assert.deepEqual(m.runtimeErrors, { pull_image: 4 });
    assert.ok(Math.abs(m.runtimeP99.list_podsandbox.value - 0.812337) < 1e-9);
  });

  it('accepts kubelet_pleg_discard_events_total (the coming name)', () => {
    const m = readKubeletMetrics(['# TYPE kubelet_pleg_discard_events_total counter\nkubelet_pleg_discard_events_total 3\n'], null);
    assert.equal(m.discardEvents, 3);
    assert.equal(m.relist, null);
  });

  it('throws a clear error on text that is not Prometheus format', () => {
    assert.throws(() => readKubeletMetrics(['<html>403 Forbidden</html>\n{'], null), /no kubelet metrics/);
  });
});
