/**
 * kwok's configuration: the Stage manifests (kwok's own, copied by build.sh from the kwok
 * module) and the Metric resource that serves kubelet-shaped PLEG and runtime metrics.
 *
 * kwok serves every node on one port and tells nodes apart by path
 * (`/metrics/nodes/{nodeName}/metrics`); the API server's node proxy asks a node's kubelet
 * endpoint for plain `/metrics`. kubelet-front.ts bridges the two (one port per node).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The kwok --config file: kwok's own node and pod stages, unchanged. kwok runs without
 * --node-ip/--node-port, so the node stages keep the addresses and kubelet port that
 * harness.ts writes into each node's status at creation (as a kubelet does when it registers).
 */
export function kwokConfigYaml(shareDir: string): string {
  const read = (f: string) => readFileSync(join(shareDir, f), 'utf8').trim();
  const files = ['node-initialize.yaml', 'node-heartbeat-with-lease.yaml', 'pod-ready.yaml', 'pod-complete.yaml', 'pod-delete.yaml'];
  return [...files.map(read), KWOK_OPTIONS].join('\n---\n') + '\n';
}

/**
 * kwok's own options: its default of 4 pod stages at a time made 10,000 pods Ready at 3 a second
 * on a loaded 2-core machine (bench:live); 32 lets the API server, not kwok, set the pace.
 */
const KWOK_OPTIONS = `apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options:
  podPlayStageParallelism: 32
  nodePlayStageParallelism: 16
  nodeLeaseParallelism: 16`;

/** One histogram bucket of a kwok Metric: `value` is a CEL expression for that bucket alone. */
interface Bucket {
  le: number;
  value: string;
}

const DEF_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Buckets with `value` in the bucket `le` and zero elsewhere. */
function buckets(les: number[], le: number, value: string): Bucket[] {
  return les.map((b) => ({ le: b, value: b === le ? value : '0' }));
}

const RELISTS = 'double(int(node.SinceSecond()))';
const RUNTIME_OPS = ['list_podsandbox', 'list_containers', 'podsandbox_status', 'container_status'];

/**
 * A healthy kubelet's PLEG and CRI metrics (names as in kubernetes pkg/kubelet/metrics/metrics.go):
 * one relist a second since the node was created, each well under 5 ms.
 * kwok v0.8.0 histograms drop their labels when collected, so the labelled
 * kubelet_runtime_operations_duration_seconds is left out (four label sets would collide).
 * `path` is `/metrics/nodes/{nodeName}/metrics` for every node, or one node's literal path to
 * override that node (kwok prefers the route with more literal segments).
 */
export function kubeletMetric(name: string, path = '/metrics/nodes/{nodeName}/metrics', relistLe = 0.005): object {
  const metrics: object[] = [
    {
      name: 'kubelet_node_name',
      kind: 'gauge',
      dimension: 'node',
      help: "[ALPHA] The node's name. The count is always 1.",
      labels: [{ name: 'node', value: 'node.metadata.name' }],
      value: '1',
    },
    {
      name: 'kubelet_pleg_relist_duration_seconds',
      kind: 'histogram',
      dimension: 'node',
      help: '[ALPHA] Duration in seconds for relisting pods in PLEG.',
      buckets: buckets(DEF_BUCKETS, relistLe, RELISTS),
    },
    {
      name: 'kubelet_pleg_relist_interval_seconds',
      kind: 'histogram',
      dimension: 'node',
      help: '[ALPHA] Interval in seconds between relisting in PLEG.',
      buckets: buckets(DEF_BUCKETS, 2.5, RELISTS),
    },
    {
      name: 'kubelet_pleg_last_seen_seconds',
      kind: 'gauge',
      dimension: 'node',
      help: '[ALPHA] Timestamp in seconds when PLEG was last seen active.',
      value: 'UnixSecond(Now())',
    },
    {
      name: 'kubelet_pleg_discard_events',
      kind: 'counter',
      dimension: 'node',
      help: '[ALPHA] The number of discard events in PLEG.',
      value: '0',
    },
    {
      name: 'kubelet_started_containers_total',
      kind: 'counter',
      dimension: 'node',
      help: '[ALPHA] Cumulative number of containers started',
      value: 'node.StartedContainersTotal()',
    },
  ];
  for (const op of RUNTIME_OPS) {
    const labels = [{ name: 'operation_type', value: `"${op}"` }];
    metrics.push(
      {
        name: 'kubelet_runtime_operations_total',
        kind: 'counter',
        dimension: 'node',
        labels,
        help: '[ALPHA] Cumulative number of runtime operations by operation type.',
        value: RELISTS,
      },
      {
        name: 'kubelet_runtime_operations_errors_total',
        kind: 'counter',
        dimension: 'node',
        labels,
        help: '[ALPHA] Cumulative number of runtime operation errors by operation type.',
        value: '0',
      },
    );
  }
  return { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Metric', metadata: { name }, spec: { path, metrics } };
}
