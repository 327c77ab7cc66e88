/**
 * `podscope inspect` and the pod-anatomy checks against the real control plane: pods shaped like
 * injected ones are created through the API server, scheduled by the real scheduler and run by
 * kwok; podscope reads them live with the built CLI.
 */
import {strict as assert} from 'node:assert'
import {CoreV1Api, type V1Pod} from '@kubernetes/client-node'
import type {AnatomyResult} from '../../src/analysis/anatomy/types.js'
import {runCli} from '../helpers/cli.js'
import {cluster} from './cluster/hooks.js'
import {dropNamespace, newNamespace, waitRunning} from './helpers.js'
import { parseValid } from '../helpers/schema.js'

/** A pod like an Istio native-sidecar injection with a log shipper on a shared emptyDir. */
function meshedPod(): V1Pod {
  return {
    metadata: {name: 'reviews-0', labels: {app: 'reviews'}, annotations: {'kubectl.kubernetes.io/default-container': 'reviews'}},
    spec: {
      initContainers: [
        {name: 'istio-init', image: 'docker.io/istio/proxyv2:1.27.1', args: ['istio-iptables', '-p', '15001']},
        {name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.27.1', restartPolicy: 'Always',
          ports: [{containerPort: 15090, name: 'http-envoy-prom'}],
          startupProbe: {httpGet: {path: '/healthz/ready', port: 15021}, periodSeconds: 1, failureThreshold: 600}},
      ],
      containers: [
        {name: 'reviews', image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.18.0', ports: [{containerPort: 9080}],
          env: [{name: 'DB_PASSWORD', value: 'live-secret-never-printed'}],
          volumeMounts: [{name: 'logs', mountPath: '/var/log/reviews'}]},
        {name: 'fluent-bit', image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
          volumeMounts: [{name: 'logs', mountPath: '/var/log/reviews', readOnly: true}]},
      ],
      volumes: [{name: 'logs', emptyDir: {}}],
    },
  }
}

/** Two containers declaring the same port: the API server accepts it, podscope flags it. */
function collidingPod(): V1Pod {
  return {
    metadata: {name: 'payments-0'},
    spec: {containers: [
      {name: 'api', image: 'registry.invalid/payments/api:1', ports: [{containerPort: 9090, name: 'metrics'}]},
      {name: 'statsd-exporter', image: 'prom/statsd-exporter:v0.27.2', ports: [{containerPort: 9090, name: 'metrics'}]},
    ]},
  }
}

describe('podscope inspect against the real control plane', () => {
  let ns = ''
  before(async () => {
    ns = await newNamespace(cluster().kc, 'inspect')
    const core = cluster().kc.makeApiClient(CoreV1Api)
    await core.createNamespacedPod({namespace: ns, body: meshedPod()})
    await core.createNamespacedPod({namespace: ns, body: collidingPod()})
    await waitRunning(cluster().kc, ns, 'reviews-0')
    await waitRunning(cluster().kc, ns, 'payments-0')
  })
  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns)
  })

  it('the API server keeps restartPolicy: Always on the native sidecar, and kwok runs it', async () => {
    // SidecarContainers is beta and on by default from 1.29 (GA 1.33): a server with the gate off drops the field.
    const live = await cluster().kc.makeApiClient(CoreV1Api).readNamespacedPod({namespace: ns, name: 'reviews-0'})
    assert.equal(live.spec?.initContainers?.find((c) => c.name === 'istio-proxy')?.restartPolicy, 'Always', cluster().versions.kubernetes)
    const st = live.status?.initContainerStatuses?.find((c) => c.name === 'istio-proxy')
    assert.ok(st?.state?.running, `kwok runs the native sidecar on ${cluster().versions.kubernetes}: ${JSON.stringify(st)}`)
  })

  it('gives the anatomy of a live pod as the JSON contract', () => {
    const r = runCli(['inspect', 'reviews-0', '-n', ns, '--kubeconfig', cluster().kubeconfig, '-o', 'json'])
    assert.equal(r.code, 0, r.stderr)
    const out = parseValid(r.stdout) as AnatomyResult
    assert.deepEqual(Object.keys(out), ['$schema', 'schemaVersion', 'pod', 'namespaces', 'containers', 'volumes', 'findings'])
    assert.deepEqual(out.pod, {namespace: ns, name: 'reviews-0'})
    assert.deepEqual(out.namespaces, {network: 'pod', ipc: 'pod', uts: 'pod', pid: 'container'})
    assert.deepEqual(out.containers.map((c) => `${c.name} ${c.role}${c.sidecar ? `/${c.sidecar}` : ''} ${c.pattern ?? '-'} ${c.startOrder} ${c.stopOrder}`), [
      'istio-init init proxy-init 1 null',
      'istio-proxy sidecar/native proxy 2 2',
      'reviews app - 3 1',
      'fluent-bit sidecar/classic log-shipper 3 1',
    ])
    const app = out.containers.find((c) => c.name === 'reviews')!
    assert.equal(app.state, 'running', 'kwok ran it and podscope read its live status')
    assert.match(out.volumes.find((v) => v.name === 'logs')?.sharing ?? '', /^log-shipper pattern: reviews writes logs, fluent-bit reads/)
    assert.deepEqual(out.findings, [])
    assert.ok(!r.stdout.includes('live-secret-never-printed'))
  })

  it('prints the table with the node the real scheduler chose', async () => {
    const live = await cluster().kc.makeApiClient(CoreV1Api).readNamespacedPod({namespace: ns, name: 'reviews-0'})
    const r = runCli(['inspect', 'reviews-0', '-n', ns, '--kubeconfig', cluster().kubeconfig])
    assert.equal(r.code, 0, r.stderr)
    assert.ok(r.stdout.startsWith(`Pod:   ${ns}/reviews-0\nNode:  ${live.spec?.nodeName}   Phase: Running\n`), r.stdout.slice(0, 200))
    assert.match(r.stdout, /2\. istio-proxy\s+\(native sidecar/)
    assert.ok(!r.stdout.includes('live-secret-never-printed'))
  })

  it('podscope check -n finds the port collision across the namespace', () => {
    const r = runCli(['check', '-n', ns, '--kubeconfig', cluster().kubeconfig, '-o', 'json'])
    assert.equal(r.code, 1, r.stderr)
    const rep = parseValid(r.stdout) as {findings: {checkId: string; subject: {name: string; container?: string}}[]}
    const collision = rep.findings.filter((f) => f.checkId === 'POD003')
    assert.deepEqual(collision.map((f) => `${f.subject.name}/${f.subject.container}`), ['payments-0/statsd-exporter'])
  })

  it('exits 3 with the reason when the pod does not exist', () => {
    const r = runCli(['inspect', 'no-such-pod', '-n', ns, '--kubeconfig', cluster().kubeconfig])
    assert.equal(r.code, 3)
    assert.match(r.stderr, /^podscope: .*no-such-pod/)
  })
})
