import assert from 'node:assert/strict';
import { histogramQuantile, parsePrometheus } from '../../src/parse/prometheus.js';

const text = `# HELP kubelet_runtime_operations_duration_seconds [ALPHA] Duration in seconds of runtime operations.
# TYPE kubelet_runtime_operations_duration_seconds histogram
kubelet_runtime_operations_duration_seconds_bucket{operation_type="list_podsandbox",le="0.005"} 10
kubelet_runtime_operations_duration_seconds_bucket{operation_type="list_podsandbox",le="+Inf"} 12
kubelet_runtime_operations_duration_seconds_sum{operation_type="list_podsandbox"} 0.5
kubelet_runtime_operations_duration_seconds_count{operation_type="list_podsandbox"} 12
kubelet_runtime_operations_duration_seconds_bucket{operation_type="version",le="0.005"} 3
kubelet_runtime_operations_duration_seconds_bucket{operation_type="version",le="+Inf"} 3
kubelet_runtime_operations_duration_seconds_sum{operation_type="version"} 0.001
kubelet_runtime_operations_duration_seconds_count{operation_type="version"} 3
# HELP rpc_latency_microseconds A summary.
# TYPE rpc_latency_microseconds summary
rpc_latency_microseconds{op="a",quantile="0.99"} 10
rpc_latency_microseconds_count{op="a"} 4
rpc_latency_microseconds{op="b",quantile="0.99"} 20
rpc_latency_microseconds_count{op="b"} 5
`;

describe('parsePrometheus with labelled histograms and summaries', () => {
  it('keeps one series per label set (the library alone collapses them)', () => {
    const m = parsePrometheus(text);
    const h = m.get('kubelet_runtime_operations_duration_seconds')!;
    assert.deepEqual(h.series.map((s) => s.labels.operation_type), ['list_podsandbox', 'version']);
    assert.deepEqual(h.series[0].buckets, [{ le: 0.005, count: 10 }, { le: Infinity, count: 12 }]);
    assert.equal(h.series[0].count, 12);
    assert.equal(h.series[1].sum, 0.001);
    assert.deepEqual(histogramQuantile(0.99, h.series[0].buckets!), { value: 0.005, saturated: true });
    const s = m.get('rpc_latency_microseconds')!;
    assert.deepEqual(s.series.map((x) => [x.labels.op, x.quantiles?.['0.99'], x.count]), [['a', 10, 4], ['b', 20, 5]]);
  });
});
