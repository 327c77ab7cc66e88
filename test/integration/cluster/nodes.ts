/**
 * The kwok nodes of the test cluster. A node is created the way a kubelet registers itself:
 * with its addresses, capacity, node info and kubelet endpoint already in its status; kwok then
 * keeps it Ready (conditions, lease) and runs its pods.
 */
import type { V1Node, V1Taint } from '@kubernetes/client-node';

/** What a test may vary per node. */
export interface NodeSpec {
  name: string;
  labels?: Record<string, string>;
  taints?: V1Taint[];
  capacity?: Record<string, string>;
  unschedulable?: boolean;
}

/** The nodes every cluster starts with: two general nodes in two zones and one tainted GPU node. */
export const DEFAULT_NODES: NodeSpec[] = [
  {
    name: 'kwok-node-0',
    labels: { 'topology.kubernetes.io/zone': 'zone-a', 'podscope.test/pool': 'general' },
    capacity: { cpu: '4', memory: '16Gi', pods: '110' },
  },
  {
    name: 'kwok-node-1',
    labels: { 'topology.kubernetes.io/zone': 'zone-b', 'podscope.test/pool': 'general' },
    capacity: { cpu: '8', memory: '32Gi', pods: '110' },
  },
  {
    name: 'kwok-node-2',
    labels: { 'topology.kubernetes.io/zone': 'zone-a', 'podscope.test/pool': 'gpu' },
    taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    capacity: { cpu: '16', memory: '64Gi', pods: '110', 'nvidia.com/gpu': '2' },
  },
];

/** The kubelet port every node advertises (the kubelet's default). */
export const KUBELET_PORT = 10250;

/**
 * The InternalIP of the `index`-th node: 198.18.0.0/15 (RFC 2544, benchmarking), global
 * unicast as the API server's node proxy demands, and never dialled (see kubelet-front.ts).
 */
export function nodeIP(index: number): string {
  const n = index + 1;
  if (n >= 2 ** 17) throw new Error('too many nodes for 198.18.0.0/15');
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

/** The Node object for `spec`, whose kubelet endpoint is `ip`:10250. */
export function nodeObject(spec: NodeSpec, ip: string, kubeletVersion: string): V1Node {
  const capacity = { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi', ...spec.capacity };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      // kwok.x-k8s.io/node marks the node as fake for kwok's annotation selector (kwok docs).
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        type: 'kwok',
        ...spec.labels,
      },
    },
    spec: { taints: spec.taints, unschedulable: spec.unschedulable },
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
      capacity,
      allocatable: capacity,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 13 (trixie)',
        kernelVersion: '6.12.48',
        containerRuntimeVersion: 'containerd://2.1.4',
        kubeletVersion,
        kubeProxyVersion: '',
        bootID: '',
        machineID: '',
        systemUUID: '',
      },
    },
  };
}
