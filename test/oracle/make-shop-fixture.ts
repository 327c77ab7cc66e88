/**
 * Builds the "shop" scene on a scratch control plane (KUBECONFIG; kwok nodes) for the schedule
 * fixtures: a control-plane node, two busy workers, a cordoned worker, a tainted GPU node, and
 * pods that stay Pending for the classic reasons. Then capture it with
 *   podscope snapshot test/__fixtures__/schedule/shop-snapshot -A --node-data none
 *   npx tsx test/oracle/make-shop-fixture.ts
 */
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { nodeOf } from './generate.js';
import type { NodeShape } from './generate.js';

const kc = new KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);

function kwok(n: V1Node, kubelet = 'v1.36.3'): V1Node {
  return { ...n, metadata: { ...n.metadata, annotations: { 'kwok.x-k8s.io/node': 'fake' } }, status: { ...n.status, nodeInfo: { ...n.status!.nodeInfo!, kubeletVersion: kubelet } } };
}
const cap = (cpu: string, memory: string, extra: Record<string, string> = {}) => ({ cpu, memory, pods: '110', ...extra });
const nodes: NodeShape[] = [
  { name: 'cp-1', labels: { 'node-role.kubernetes.io/control-plane': '', 'topology.kubernetes.io/zone': 'eu-west-1a' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], capacity: cap('2', '8Gi'), unschedulable: false },
  { name: 'worker-1', labels: { 'topology.kubernetes.io/zone': 'eu-west-1a', pool: 'general' }, taints: [], capacity: cap('4', '16Gi'), unschedulable: false },
  { name: 'worker-2', labels: { 'topology.kubernetes.io/zone': 'eu-west-1b', pool: 'general' }, taints: [], capacity: cap('4', '16Gi'), unschedulable: false },
  { name: 'worker-3', labels: { 'topology.kubernetes.io/zone': 'eu-west-1c', pool: 'general' }, taints: [], capacity: cap('8', '32Gi'), unschedulable: true },
  { name: 'gpu-1', labels: { 'topology.kubernetes.io/zone': 'eu-west-1a', pool: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }], capacity: cap('16', '64Gi', { 'nvidia.com/gpu': '2' }), unschedulable: false },
];
for (const n of nodes) await core.createNode({ body: kwok(nodeOf(n)) });
await core.createNamespace({ body: { metadata: { name: 'shop' } } });
await new Promise((r) => setTimeout(r, 3000));

const c = (name: string, requests: Record<string, string>) => ({ name, image: 'registry.example.com/shop/' + name + ':1.4.2', resources: { requests, limits: requests } });
const bound = (name: string, node: string, requests: Record<string, string>, labels: Record<string, string>): V1Pod => ({ metadata: { name, labels }, spec: { nodeName: node, containers: [c(name.replace(/-\d+$/, ''), requests)] } });
await core.createNamespacedPod({ namespace: 'shop', body: bound('db-0', 'worker-1', { cpu: '2500m', memory: '12Gi' }, { app: 'db' }) });
await core.createNamespacedPod({ namespace: 'shop', body: bound('cache-0', 'worker-2', { cpu: '2', memory: '10Gi' }, { app: 'cache' }) });

// web: 3 replicas that repel each other per node; only two worker nodes can take pods.
await apps.createNamespacedDeployment({
  namespace: 'shop',
  body: {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [c('web', { cpu: '500m', memory: '1Gi' })],
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } },
        },
      },
    },
  },
});
const pending: V1Pod[] = [
  { metadata: { name: 'reports-0', labels: { app: 'reports' } }, spec: { nodeSelector: { disktype: 'ssd' }, containers: [c('reports', { cpu: '250m', memory: '512Mi' })] } },
  { metadata: { name: 'trainer-0', labels: { app: 'trainer' } }, spec: { containers: [c('trainer', { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' })] } },
  { metadata: { name: 'checkout-0', labels: { app: 'checkout' } }, spec: { containers: [c('checkout', { cpu: '1500m', memory: '6Gi' })] } },
  { metadata: { name: 'etl-0', labels: { app: 'etl' } }, spec: { containers: [c('etl', { cpu: '32', memory: '2Gi' })] } },
];
for (const p of pending) await core.createNamespacedPod({ namespace: 'shop', body: p });
await new Promise((r) => setTimeout(r, 8000));
console.log('shop scene ready');
