import { strict as assert } from 'node:assert';
import { addBuckets, family, histogramQuantile, parsePrometheus } from '../../src/parse/prometheus.js';

const TEXT = `# HELP kubelet_pleg_relist_duration_seconds [ALPHA] Duration in seconds for relisting pods in PLEG.
# TYPE kubelet_pleg_relist_duration_seconds histogram
kubelet_pleg_relist_duration_seconds_bucket{le="0.005"} 0
kubelet_pleg_relist_duration_seconds_bucket{le="0.01"} 100
kubelet_pleg_relist_duration_seconds_bucket{le="10"} 190
kubelet_pleg_relist_duration_seconds_bucket{le="+Inf"} 200
kubelet_pleg_relist_duration_seconds_sum 812.5
kubelet_pleg_relist_duration_seconds_count 200
# HELP kubelet_pleg_discard_events [ALPHA] The number of discard events in PLEG.
# TYPE kubelet_pleg_discard_events counter
kubelet_pleg_discard_events 4
# TYPE kubelet_runtime_operations_errors_total counter
kubelet_runtime_operations_errors_total{operation_type="list_podsandbox"} 3
kubelet_runtime_operations_errors_total{operation_type="container_status"} 1
`;

describe('Prometheus text', () => {
  it('parses families with numbers, labels and sorted buckets', () => {
    const m = parsePrometheus(TEXT);
    const h = m.get('kubelet_pleg_relist_duration_seconds');
    assert.equal(h?.type, 'histogram');
    assert.deepEqual(h?.series[0].buckets?.map((b) => b.le), [0.005, 0.01, 10, Infinity]);
    assert.equal(h?.series[0].count, 200);
    const errs = m.get('kubelet_runtime_operations_errors_total');
    assert.deepEqual(errs?.series.map((s) => [s.labels.operation_type, s.value]), [['list_podsandbox', 3], ['container_status', 1]]);
    assert.equal(family(m, 'kubelet_pleg_discard_events_total', 'kubelet_pleg_discard_events')?.series[0].value, 4);
  });

  it('computes histogram_quantile and flags the +Inf bucket as saturated', () => {
    const b = parsePrometheus(TEXT).get('kubelet_pleg_relist_duration_seconds')!.series[0].buckets!;
    const p50 = histogramQuantile(0.5, b);
    assert.ok(p50 && !p50.saturated && Math.abs(p50.value - 0.01) < 1e-9);
    const p99 = histogramQuantile(0.99, b);
    assert.deepEqual(p99, { value: 10, saturated: true });
    assert.equal(histogramQuantile(0.5, []), null);
  });

  it('subtracts an older scrape to get the window', () => {
    const a = [{ le: 1, count: 10 }, { le: Infinity, count: 12 }];
    const b = [{ le: 1, count: 4 }, { le: Infinity, count: 4 }];
    assert.deepEqual(addBuckets(a, b, -1), [{ le: 1, count: 6 }, { le: Infinity, count: 8 }]);
  });
});
