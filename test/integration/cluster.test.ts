/**
 * The control plane is real: real version, real scheduler decisions and events, real
 * EndpointSlice controller, kubelet metrics through the API server's node proxy.
 */
import {strict as assert} from 'node:assert'
import {CoreV1Api, DiscoveryV1Api, EventsV1Api, VersionApi, type EventsV1Event, type V1ObjectMeta} from '@kubernetes/client-node'
import {cluster} from './cluster/hooks.js'
import {dropNamespace, newNamespace, pod, waitFor, waitRunning} from './helpers.js'

describe('integration control plane', () => {
  let ns = ''
  before(async () => {
    ns = await newNamespace(cluster().kc, 'smoke')
  })
  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns)
  })

  it('serves /version with the pinned Kubernetes version', async () => {
    const v = await cluster().kc.makeApiClient(VersionApi).getCode()
    assert.equal(v.gitVersion, cluster().versions.kubernetes)
    assert.equal(`v${v.major}.${v.minor}`, cluster().versions.kubernetes.replace(/\.\d+$/, ''))
  })

  it('has the default kwok nodes Ready, with labels, taints and capacity', async () => {
    const nodes = (await cluster().kc.makeApiClient(CoreV1Api).listNode()).items
    const byName = new Map(nodes.map((n) => [n.metadata!.name!, n]))
    for (const name of ['kwok-node-0', 'kwok-node-1', 'kwok-node-2']) {
      const n = byName.get(name)
      assert.ok(n, `${name} exists`)
      assert.equal(n.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True', `${name} Ready`)
      assert.ok(n.status?.daemonEndpoints?.kubeletEndpoint?.Port, `${name} has a kubelet port`)
    }
    assert.equal(byName.get('kwok-node-1')?.status?.capacity?.cpu, '8')
    assert.equal(byName.get('kwok-node-1')?.metadata?.labels?.['topology.kubernetes.io/zone'], 'zone-b')
    assert.deepEqual(byName.get('kwok-node-2')?.spec?.taints?.map((t) => `${t.key}=${t.value}:${t.effect}`), ['dedicated=gpu:NoSchedule'])
  })

  it('schedules a pod with the real scheduler onto a kwok node and kwok runs it', async () => {
    const core = cluster().kc.makeApiClient(CoreV1Api)
    await core.createNamespacedPod({namespace: ns, body: pod('web-0', {app: 'web'}, {nodeSelector: {'topology.kubernetes.io/zone': 'zone-b'}})})
    const running = await waitRunning(cluster().kc, ns, 'web-0')
    assert.equal(running.spec?.nodeName, 'kwok-node-1', 'only kwok-node-1 is in zone-b')
    assert.match(running.status?.podIP ?? '', /^10\.244\./)
    const scheduled = await eventsFor(ns, 'web-0', 'Scheduled')
    assert.equal(scheduled[0]?.reportingController, 'default-scheduler')
  })

  it('records a real FailedScheduling event (events.k8s.io/v1, eventTime set) for an unschedulable pod', async () => {
    const core = cluster().kc.makeApiClient(CoreV1Api)
    const resources = {requests: {cpu: '100', memory: '1Gi'}}
    const body = pod('too-big')
    body.spec!.containers[0]!.resources = resources
    await core.createNamespacedPod({namespace: ns, body})
    let events: EventsV1Event[] = []
    await waitFor('FailedScheduling event', async () => (events = await eventsFor(ns, 'too-big', 'FailedScheduling')).length > 0)
    const ev = events[0]!
    assert.equal(ev.reportingController, 'default-scheduler')
    assert.ok(ev.eventTime, 'eventTime is set')
    // 1.36 wording: the taint itself is no longer named ("had untolerated taint(s)").
    assert.match(ev.note ?? '', /^0\/3 nodes are available: 1 node\(s\) had untolerated taint\(s\), 2 Insufficient cpu\./)
    const p = await core.readNamespacedPod({namespace: ns, name: 'too-big'})
    assert.equal(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.reason, 'Unschedulable')
  })

  it('marks the endpoint of a deleted Ready pod terminating (ready=false) via the real EndpointSlice controller', async () => {
    const kc = cluster().kc
    const core = kc.makeApiClient(CoreV1Api)
    const discovery = kc.makeApiClient(DiscoveryV1Api)
    await core.createNamespacedService({namespace: ns, body: {metadata: {name: 'shop'},
      spec: {selector: {app: 'shop'}, ports: [{port: 80, targetPort: 8080}]}}})
    // A grace period long enough that kwok (which deletes 1s..grace after the request) leaves a window.
    await core.createNamespacedPod({namespace: ns, body: pod('shop-0', {app: 'shop'}, {terminationGracePeriodSeconds: 8})})
    const running = await waitRunning(kc, ns, 'shop-0')
    const endpointOf = async () => (await discovery.listNamespacedEndpointSlice({namespace: ns, labelSelector: 'kubernetes.io/service-name=shop'}))
      .items.flatMap((s) => (s.endpoints ?? []).map((e) => ({slice: s, e}))).find((x) => x.e.targetRef?.name === 'shop-0')
    await waitFor('ready endpoint for shop-0', async () => (await endpointOf())?.e.conditions?.ready === true)
    const before = (await endpointOf())!
    assert.deepEqual(before.e.addresses, [running.status!.podIP])
    assert.ok(before.slice.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], 'trigger time while ready')
    const deleted = await core.deleteNamespacedPod({namespace: ns, name: 'shop-0'})
    const requested = deletionRequestTime(deleted.metadata!)
    let seen: Awaited<ReturnType<typeof endpointOf>>
    await waitFor('terminating endpoint', async () => (seen = await endpointOf())?.e.conditions?.terminating === true, 30_000, 50)
    assert.deepEqual({...seen!.e.conditions}, {ready: false, serving: true, terminating: true})
    // Observed on 1.36: the controller drops last-change-trigger-time on this update, so the
    // time of the change is the slice's managedFields time (second precision).
    const changed = seen!.slice.metadata?.managedFields?.find((m) => m.manager === 'kube-controller-manager')?.time
    assert.ok(changed && new Date(changed).getTime() >= requested, `slice updated (${String(changed)}) after the delete request`)
    await waitFor('pod deleted by kwok and endpoint removed', async () => !(await endpointOf()), 60_000)
  })

  it('serves kubelet PLEG and runtime metrics of each node through the API server node proxy', async () => {
    const core = cluster().kc.makeApiClient(CoreV1Api)
    for (const name of ['kwok-node-0', 'kwok-node-2']) {
      const text = await core.connectGetNodeProxyWithPath({name, path: 'metrics'})
      assert.match(text, new RegExp(`^kubelet_node_name\\{node="${name}"\\} 1$`, 'm'), `metrics of ${name}`)
      assert.match(text, /^# TYPE kubelet_pleg_relist_duration_seconds histogram$/m)
      assert.match(text, /^kubelet_pleg_relist_duration_seconds_bucket\{le="0\.005"\} \d+$/m)
      assert.match(text, /^kubelet_pleg_last_seen_seconds \d/m)
      assert.match(text, /^kubelet_runtime_operations_total\{operation_type="list_podsandbox"\} \d+$/m)
    }
  })
})

/** When the delete was requested: deletionTimestamp minus the grace period (second precision). */
function deletionRequestTime(meta: V1ObjectMeta): number {
  return new Date(meta.deletionTimestamp!).getTime() - (meta.deletionGracePeriodSeconds ?? 0) * 1000
}

async function eventsFor(namespace: string, name: string, reason: string): Promise<EventsV1Event[]> {
  const list = await cluster().kc.makeApiClient(EventsV1Api).listNamespacedEvent({namespace, fieldSelector: `regarding.name=${name}`})
  return list.items.filter((e) => e.reason === reason)
}
