import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { inspectPod } from '../../src/report/findings.js';
import { namespaceMeanings, podNamespaces } from '../../src/analysis/anatomy/namespaces.js';
import { detectPattern, imageRepo } from '../../src/analysis/anatomy/patterns.js';
import { portCollisions } from '../../src/analysis/anatomy/ports.js';
import { placeContainers } from '../../src/analysis/anatomy/roles.js';
import { exitMeaning } from '../../src/analysis/anatomy/status.js';
import { fixture } from '../helpers/cli.js';

const NOW = new Date('2026-11-21T16:30:00Z');
const load = (name: string): V1Pod => JSON.parse(readFileSync(fixture('inspect', `${name}.json`), 'utf8')) as V1Pod;
const order = (pod: V1Pod) => placeContainers(pod).map((p) => [p.view.name, p.view.role, p.view.sidecar, p.view.startOrder, p.view.stopOrder]);
const c = (name: string, image: string, extra: Partial<V1Container> = {}): V1Container => ({ name, image, ...extra });

describe('pod anatomy: namespaces', () => {
  it('shares network, IPC and UTS through the sandbox and keeps PID per container by default', () => {
    assert.deepEqual(podNamespaces(load('istio-classic')), { network: 'pod', ipc: 'pod', uts: 'pod', pid: 'container' });
  });

  it('shareProcessNamespace puts PID in the pod, and says PID 1 is pause', () => {
    const ns = podNamespaces(load('share-process-namespace'));
    assert.equal(ns.pid, 'pod');
    assert.match(namespaceMeanings(ns).find((m) => m.namespace === 'pid')!.meaning, /PID 1 is the pause process/);
  });

  it('hostNetwork implies the host UTS namespace; hostPID and hostIPC map to host', () => {
    assert.deepEqual(podNamespaces(load('kube-proxy-hostnetwork')), { network: 'host', ipc: 'pod', uts: 'host', pid: 'container' });
    assert.deepEqual(podNamespaces({ spec: { containers: [], hostPID: true, hostIPC: true, shareProcessNamespace: true } }), { network: 'pod', ipc: 'host', uts: 'pod', pid: 'host' });
  });
});

describe('pod anatomy: patterns', () => {
  it('strips tags, digests and keeps registry ports', () => {
    assert.equal(imageRepo('localhost:5000/istio/proxyv2:1.20.3'), 'localhost:5000/istio/proxyv2');
    assert.equal(imageRepo('cr.fluentbit.io/fluent/fluent-bit@sha256:abc'), 'cr.fluentbit.io/fluent/fluent-bit');
  });

  it('recognises meshes, ambassadors, shippers, agents and adapters, with a reason', () => {
    const cases: [V1Container, string][] = [
      [c('istio-proxy', 'docker.io/istio/proxyv2:1.22.0'), 'proxy'],
      [c('sidecar', 'docker.io/istio/proxyv2:1.22.0'), 'proxy'],
      [c('istio-init', 'docker.io/istio/proxyv2:1.22.0'), 'proxy-init'],
      [c('linkerd-proxy', 'cr.l5d.io/linkerd/proxy:stable-2.14.10'), 'proxy'],
      [c('mesh', 'registry.example.com/custom:1', { ports: [{ containerPort: 4143 }, { containerPort: 4191 }] }), 'proxy'],
      [c('envoy', 'envoyproxy/envoy:v1.31.2'), 'proxy'],
      [c('tls-proxy', 'nginx:1.27'), 'proxy'],
      [c('cloud-sql-proxy', 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1'), 'ambassador'],
      [c('db', 'gcr.io/cloudsql-docker/gce-proxy:1.33.2'), 'ambassador'],
      [c('logs', 'fluent/fluentd:v1.17'), 'log-shipper'],
      [c('shipper', 'timberio/vector:0.42.0-distroless-libc'), 'log-shipper'],
      [c('filebeat', 'docker.elastic.co/beats/filebeat:8.15.0'), 'log-shipper'],
      [c('log-tail', 'busybox:1.36', { volumeMounts: [{ name: 'logs', mountPath: '/var/log/app', readOnly: true }] }), 'log-shipper'],
      [c('vault-agent', 'hashicorp/vault:1.17.2'), 'secret-agent'],
      [c('reloader', 'ghcr.io/jimmidyson/configmap-reload:v0.14.0'), 'config-reloader'],
      [c('metrics', 'prom/statsd-exporter:v0.27.2'), 'adapter'],
    ];
    for (const [container, pattern] of cases) {
      const g = detectPattern(container);
      assert.equal(g?.pattern, pattern, container.name);
      assert.ok(g.reason.length > 10);
    }
  });

  it('leaves apps alone, including nginx serving content', () => {
    assert.equal(detectPattern(c('web', 'nginx:1.27')), null);
    assert.equal(detectPattern(c('reviews', 'docker.io/istio/examples-bookinfo-reviews-v1:1.18.0')), null);
  });
});

describe('pod anatomy: roles and order', () => {
  it('Istio classic: init, then app and proxy together; stop together', () => {
    assert.deepEqual(order(load('istio-classic')), [
      ['istio-init', 'init', null, 1, null],
      ['reviews', 'app', null, 2, 1],
      ['istio-proxy', 'sidecar', 'classic', 2, 1],
    ]);
  });

  it('Istio native: the proxy starts before the app and stops after it', () => {
    assert.deepEqual(order(load('istio-native')), [
      ['istio-init', 'init', null, 1, null],
      ['istio-proxy', 'sidecar', 'native', 2, 2],
      ['reviews', 'app', null, 3, 1],
    ]);
  });

  it('a postStart hook on the first container holds the next ones (holdApplicationUntilProxyStarts)', () => {
    const pod = load('istio-classic');
    const proxy = pod.spec!.containers.pop()!;
    proxy.lifecycle = { postStart: { exec: { command: ['pilot-agent', 'wait'] } } };
    pod.spec!.containers.unshift(proxy);
    assert.deepEqual(order(pod).slice(1), [
      ['istio-proxy', 'sidecar', 'classic', 2, 1],
      ['reviews', 'app', null, 3, 1],
    ]);
  });

  it('several native sidecars stop in reverse order of definition', () => {
    const pod: V1Pod = {
      spec: {
        initContainers: [c('a', 'x', { restartPolicy: 'Always' }), c('migrate', 'y'), c('b', 'z', { restartPolicy: 'Always' })],
        containers: [c('app', 'w')],
        ephemeralContainers: [{ name: 'debugger-x7', image: 'busybox', targetContainerName: 'app' }],
      },
    };
    assert.deepEqual(order(pod), [
      ['a', 'sidecar', 'native', 1, 3],
      ['migrate', 'init', null, 2, null],
      ['b', 'sidecar', 'native', 3, 2],
      ['app', 'app', null, 4, 1],
      ['debugger-x7', 'ephemeral', null, null, 1],
    ]);
  });

  it('a pod of only proxies has no classic sidecar (an Envoy gateway is the app)', () => {
    const views = placeContainers({ spec: { containers: [c('envoy', 'envoyproxy/envoy:v1.31.2')] } }).map((p) => p.view);
    assert.equal(views[0].role, 'app');
    assert.equal(views[0].pattern, 'proxy');
  });

  it('the default-container annotation names the app even when it looks like a sidecar', () => {
    const pod: V1Pod = { metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'nginx-proxy' } }, spec: { containers: [c('nginx-proxy', 'nginx:1.27'), c('fluent-bit', 'fluent/fluent-bit:3.1')] } };
    assert.deepEqual(placeContainers(pod).map((p) => p.view.role), ['app', 'sidecar']);
  });
});

describe('pod anatomy: volumes, ports, restarts', () => {
  it('names the log-shipper pattern on a shared emptyDir', () => {
    const r = inspectPod({ pod: load('log-shipper'), now: NOW });
    const logs = r.volumes.find((v) => v.name === 'app-logs')!;
    assert.equal(logs.type, 'emptyDir');
    assert.deepEqual(logs.mounts, [
      { container: 'checkout', readOnly: false, path: '/var/log/checkout' },
      { container: 'fluent-bit', readOnly: true, path: '/var/log/checkout' },
    ]);
    assert.match(logs.sharing!, /^log-shipper pattern: checkout writes logs, fluent-bit reads/);
  });

  it('an init writer and an app reader are named as such; configMaps are read-only whatever the mount says', () => {
    const pod: V1Pod = {
      spec: {
        initContainers: [c('vault-agent-init', 'hashicorp/vault:1.17.2', { volumeMounts: [{ name: 'secrets', mountPath: '/vault/secrets' }] })],
        containers: [c('app', 'a', { volumeMounts: [{ name: 'secrets', mountPath: '/vault/secrets', readOnly: true }, { name: 'cfg', mountPath: '/etc/app' }] })],
        volumes: [{ name: 'secrets', emptyDir: { medium: 'Memory' } }, { name: 'cfg', configMap: { name: 'app' } }],
      },
    };
    const r = inspectPod({ pod, now: NOW });
    assert.equal(r.volumes[0].sharing, 'vault-agent-init writes secrets for app');
    assert.equal(r.volumes[0].source, 'memory');
    assert.equal(r.volumes[1].mounts[0].readOnly, true);
  });

  it('finds ports declared twice among containers that run together, not across a finished init container', () => {
    assert.deepEqual(portCollisions(load('port-collision')), [{ port: 9090, protocol: 'TCP', containers: ['api', 'statsd-exporter'] }]);
    const pod: V1Pod = { spec: { initContainers: [c('warm', 'x', { ports: [{ containerPort: 8080 }] })], containers: [c('app', 'y', { ports: [{ containerPort: 8080 }] }), c('dns', 'z', { ports: [{ containerPort: 8080, protocol: 'UDP' }] })] } };
    assert.deepEqual(portCollisions(pod), []);
    pod.spec!.initContainers!.push(c('proxy', 'envoyproxy/envoy:v1.31.2', { restartPolicy: 'Always', ports: [{ containerPort: 8080 }] }));
    assert.deepEqual(portCollisions(pod), [{ port: 8080, protocol: 'TCP', containers: ['proxy', 'app'] }], 'a native sidecar runs beside the apps');
  });

  it('reports state, restarts and the last termination', () => {
    const r = inspectPod({ pod: load('port-collision'), now: NOW });
    const exp = r.containers.find((v) => v.name === 'statsd-exporter')!;
    assert.equal(exp.state, 'waiting: CrashLoopBackOff');
    assert.equal(exp.restarts, 6);
    assert.deepEqual(exp.lastTermination, { reason: 'Error', exitCode: 1, signal: null, finishedAt: '2026-11-21T16:09:41.000Z' });
    assert.equal(exitMeaning(137, 'OOMKilled'), 'killed by the kernel OOM killer (memory limit reached)');
    assert.match(exitMeaning(137, 'Error'), /SIGKILL/);
  });

  it('findings of inspect are those of the registered pod checks for this pod only', () => {
    const r = inspectPod({ pod: load('port-collision'), now: NOW });
    assert.deepEqual(r.findings.map((f) => f.checkId), ['POD001', 'POD003']);
    const job = inspectPod({ pod: load('job-classic-sidecar'), now: NOW });
    assert.deepEqual(job.findings.map((f) => [f.checkId, f.severity]), [['POD005', 'critical'], ['POD004', 'warning']]);
  });
});
