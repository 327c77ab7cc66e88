/**
 * The harness gives a real control plane: the pinned version, kwok nodes as declared, the real
 * scheduler placing pods that kwok then runs, kubelet metrics through the API server's node
 * proxy. (What podscope reads from it is in live-source.test.ts and rbac.test.ts.)
 */
import { strict as assert } from 'node:assert';
import { CoreV1Api, EventsV1Api, VersionApi, type EventsV1Event } from '@kubernetes/client-node';
import { cluster } from './cluster/hooks.js';
import { dropNamespace, newNamespace, pod, waitRunning } from './helpers.js';

describe('integration control plane', () => {
  let ns = '';
  before(async () => {
    ns = await newNamespace(cluster().kc, 'smoke');
  });
  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns);
  });

  it('serves /version with the pinned Kubernetes version', async () => {
    const v = await cluster().kc.makeApiClient(VersionApi).getCode();
    assert.equal(v.gitVersion, cluster().versions.kubernetes);
    assert.equal(`v${v.major}.${v.minor}`, cluster().versions.kubernetes.replace(/\.\d+$/, ''));
  });

  it('has the default kwok nodes Ready, with labels, taints and capacity', async () => {
    const nodes = (await cluster().kc.makeApiClient(CoreV1Api).listNode()).items;
    const byName = new Map(nodes.map((n) => [n.metadata!.name!, n]));
    for (const name of ['kwok-node-0', 'kwok-node-1', 'kwok-node-2']) {
      const n = byName.get(name);
      assert.ok(n, `${name} exists`);
      assert.equal(n.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True', `${name} Ready`);
      assert.ok(n.status?.daemonEndpoints?.kubeletEndpoint?.Port, `${name} has a kubelet port`);
    }
    assert.equal(byName.get('kwok-node-1')?.status?.capacity?.cpu, '8');
    assert.equal(byName.get('kwok-node-1')?.metadata?.labels?.['topology.kubernetes.io/zone'], 'zone-b');
    assert.deepEqual(
      byName.get('kwok-node-2')?.spec?.taints?.map((t) => `${t.key}=${t.value}:${t.effect}`),
      ['dedicated=gpu:NoSchedule'],
    );
  });

  it('schedules a pod with the real scheduler onto a kwok node and kwok runs it', async () => {
    const core = cluster().kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({
      namespace: ns,
      body: pod('web-0', { app: 'web' }, { nodeSelector: { 'topology.kubernetes.io/zone': 'zone-b' } }),
    });
    const running = await waitRunning(cluster().kc, ns, 'web-0');
    assert.equal(running.spec?.nodeName, 'kwok-node-1', 'only kwok-node-1 is in zone-b');
    assert.match(running.status?.podIP ?? '', /^10\.244\./);
    const scheduled = await eventsFor(ns, 'web-0', 'Scheduled');
    assert.equal(scheduled[0]?.reportingController, 'default-scheduler');
  });

  it('serves kubelet PLEG and runtime metrics of each node through the API server node proxy', async () => {
    const core = cluster().kc.makeApiClient(CoreV1Api);
    for (const name of ['kwok-node-0', 'kwok-node-2']) {
      const text = await core.connectGetNodeProxyWithPath({ name, path: 'metrics' });
      assert.match(text, new RegExp(`^kubelet_node_name\\{node="${name}"\\} 1$`, 'm'), `metrics of ${name}`);
      assert.match(text, /^# TYPE kubelet_pleg_relist_duration_seconds histogram$/m);
      assert.match(text, /^kubelet_pleg_relist_duration_seconds_bucket\{le="0\.005"\} \d+$/m);
      assert.match(text, /^kubelet_pleg_last_seen_seconds \d/m);
      assert.match(text, /^kubelet_runtime_operations_total\{operation_type="list_podsandbox"\} \d+$/m);
    }
  });
});

async function eventsFor(namespace: string, name: string, reason: string): Promise<EventsV1Event[]> {
  const list = await cluster()
    .kc.makeApiClient(EventsV1Api)
    .listNamespacedEvent({ namespace, fieldSelector: `regarding.name=${name}` });
  return list.items.filter((e) => e.reason === reason);
}
