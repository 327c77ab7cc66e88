/**
 * `podscope stop POD --delete --yes` against the real control plane: the real EndpointSlice
 * controller marks the endpoint terminating and removes it while kwok deletes the pod. The
 * timeline is checked for order, against the timestamps the objects record (whole seconds), and
 * against an independent watch run by this test (within 100 ms).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CoreV1Api, DiscoveryV1Api, Watch, type V1EndpointSlice, type V1Pod } from '@kubernetes/client-node';
import type { StopResult } from '../../src/analysis/stop/result.js';
import { ROOT } from '../helpers/cli.js';
import { cluster } from './cluster/hooks.js';
import { dropNamespace, newNamespace, pod, waitFor, waitRunning } from './helpers.js';
import { parseValid } from '../helpers/schema.js';

/** Runs the built CLI without blocking the event loop (this test's watch keeps running meanwhile). */
function podscope(args: string[], onStderr?: (text: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1', KUBECONFIG: cluster().kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      onStderr?.(stderr);
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Conditions of the pod's endpoint in a slice, as `ready/serving/terminating`, or undefined. */
function conditionsOf(s: V1EndpointSlice, name: string): string | undefined {
  const e = (s.endpoints ?? []).find((x) => x.targetRef?.name === name);
  if (!e) return undefined;
  return `${e.conditions?.ready ?? true}/${e.conditions?.serving ?? true}/${e.conditions?.terminating ?? false}`;
}

describe('podscope stop against the real control plane', () => {
  let ns = '';
  before(async () => {
    ns = await newNamespace(cluster().kc, 'stop');
  });
  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns);
  });

  it('--delete --yes traces the EndpointSlice controller and kwok, in order, within 100 ms of an independent watch', async () => {
    const kc = cluster().kc;
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    });
    // Two replicas: the stopping pod's endpoint leaves kube-proxy's set as soon as it is ready=false.
    // A 3 s grace period: kwok deletes terminating pods between 1 s and the deadline.
    for (const name of ['web-a', 'web-b']) {
      await core.createNamespacedPod({ namespace: ns, body: pod(name, { app: 'web' }, { terminationGracePeriodSeconds: 3 }) });
    }
    await waitRunning(kc, ns, 'web-a');
    await waitRunning(kc, ns, 'web-b');
    const discovery = kc.makeApiClient(DiscoveryV1Api);
    await waitFor('both endpoints ready in the slice of web', async () => {
      const slices = (await discovery.listNamespacedEndpointSlice({ namespace: ns, labelSelector: 'kubernetes.io/service-name=web' })).items;
      return slices.some((s) => conditionsOf(s, 'web-a') === 'true/true/false' && conditionsOf(s, 'web-b') === 'true/true/false');
    });

    // The independent observer: this process's own watches, stamped on arrival.
    const seen: { what: string; at: number }[] = [];
    const watch = new Watch(kc);
    const last = new Map<string, string | undefined>();
    const sliceReq = await watch.watch(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, {}, (_type: string, s: V1EndpointSlice) => {
      const now = conditionsOf(s, 'web-a');
      const key = s.metadata?.name ?? '';
      if (last.has(key) && last.get(key) !== now) seen.push({ what: now ? `endpoint ${now}` : 'endpoint removed', at: Date.now() });
      last.set(key, now);
    }, () => undefined);
    const podReq = await watch.watch(`/api/v1/namespaces/${ns}/pods`, { fieldSelector: 'metadata.name=web-a' }, (type: string, p: V1Pod) => {
      if (type === 'DELETED') seen.push({ what: 'pod gone', at: Date.now() });
      else if (p.metadata?.deletionTimestamp && !seen.some((x) => x.what === 'deletionTimestamp')) seen.push({ what: 'deletionTimestamp', at: Date.now() });
    }, () => undefined);

    let r;
    try {
      r = await podscope(['stop', 'web-a', '-n', ns, '--delete', '--yes', '-o', 'json', '--timeout', '60s']);
    } finally {
      await new Promise((res) => setTimeout(res, 300));
      sliceReq.abort();
      podReq.abort();
    }
    assert.equal(r.code, 0, r.stderr);
    const j = parseValid(r.stdout) as StopResult;
    process.stderr.write(`      timeline: ${JSON.stringify(j.timeline?.map((e) => [e.offsetMs, e.what]))}\n`);
    assert.deepEqual(j.services, ['web']);
    assert.equal(j.gracePeriodSeconds, 3);
    assert.equal(j.verdict?.ended, 'gone');
    const tl = j.timeline!;
    const find = (prefix: string) => {
      const e = tl.find((x) => x.what.startsWith(prefix));
      assert.ok(e, `no "${prefix}" in the timeline`);
      return e;
    };
    const requested = find('deletion requested');
    const dts = find('deletionTimestamp set');
    const terminating = find('endpoint ready=false serving=true terminating=true');
    const unroutable = find('endpoint no longer routable');
    const gone = find('pod gone from the API');
    const removed = find('endpoint removed');

    // Order. The pod watch and the slice watch are separate streams: allow 100 ms between them.
    assert.equal(requested.offsetMs, 0);
    assert.ok(dts.offsetMs >= 0);
    assert.ok(terminating.offsetMs >= dts.offsetMs - 100);
    assert.equal(unroutable.offsetMs, terminating.offsetMs);
    assert.ok(gone.offsetMs > terminating.offsetMs);
    assert.ok(removed.offsetMs >= gone.offsetMs - 100);
    // kwok deletes the pod between 1 s after the request and the 3 s deadline.
    assert.ok(gone.offsetMs >= 900 && gone.offsetMs <= 3000 + 1100, `pod gone at +${gone.offsetMs} ms`);
    for (let i = 1; i < tl.length; i++) assert.ok(tl[i]!.offsetMs >= tl[i - 1]!.offsetMs, 'entries sorted by offset');
    assert.ok(tl.every((e) => e.offsetMs >= 0), 'nothing from before the deletion (e.g. the Scheduled event)');

    // Against what the objects record: whole seconds, so the observed time lies in [recorded - 100 ms, recorded + 1100 ms).
    const zero = Date.parse(requested.at);
    for (const e of tl.filter((x) => x.recordedAt)) {
      const diff = Date.parse(e.at) - Date.parse(e.recordedAt!);
      assert.ok(diff >= -100 && diff < 1100, `${e.what}: observed ${e.at}, recorded ${e.recordedAt}`);
    }
    // deletionTimestamp minus the grace period is the request second the API server saw.
    assert.ok(Math.abs(Date.parse(dts.recordedAt!) - Math.floor(zero / 1000) * 1000) <= 1000);

    // Against the independent watch: the same changes, within 100 ms.
    const independent = (what: string) => {
      const x = seen.find((s) => s.what === what);
      assert.ok(x, `the test's own watch did not see "${what}" (saw ${JSON.stringify(seen.map((s) => s.what))})`);
      return x.at;
    };
    const near = (label: string, podscopeAt: string, at: number) =>
      assert.ok(Math.abs(Date.parse(podscopeAt) - at) <= 100, `${label}: podscope ${podscopeAt}, test watch ${new Date(at).toISOString()}`);
    near('deletionTimestamp', dts.at, independent('deletionTimestamp'));
    near('terminating', terminating.at, independent('endpoint false/true/true'));
    near('pod gone', gone.at, independent('pod gone'));
    near('endpoint removed', removed.at, independent('endpoint removed'));

    // Verdict: no preStop, so the window is the time until the endpoint left the slices (kube-proxy: none on kwok).
    assert.equal(j.exposureMs, terminating.offsetMs);
    assert.equal(j.verdict?.controlPlaneOnly, true);
    assert.ok(j.unavailable.some((u) => u.input === 'kube-proxy-metrics'));
    assert.ok(j.findings.some((f) => f.checkId === 'STOP001'));
  });
  it('--watch traces a deletion made by another client', async () => {
    const kc = cluster().kc;
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: ns, body: pod('web-c', { app: 'web' }, { terminationGracePeriodSeconds: 3 }) });
    await waitRunning(kc, ns, 'web-c');
    let deletedAt = 0;
    const r = await podscope(['stop', 'web-c', '-n', ns, '--watch', '--timeout', '60s'], (err) => {
      // podscope says it is waiting once its watches are open: delete the pod then, as kubectl would.
      if (!deletedAt && err.includes('waiting for pod')) {
        deletedAt = Date.now();
        void core.deleteNamespacedPod({ namespace: ns, name: 'web-c' });
      }
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(deletedAt > 0, 'podscope never said it was waiting');
    assert.match(r.stdout, /^\+0 ms +deletionTimestamp set: .* \(grace 3 s\) +Pod\/web-c$/m);
    assert.match(r.stdout, /endpoint ready=false serving=true terminating=true/);
    assert.match(r.stdout, /pod gone from the API/);
    assert.doesNotMatch(r.stdout, /deletion requested/, 'podscope did not delete it');
    // With no preStop the app gets SIGTERM as the endpoint leaves the slices (the two may even
    // arrive in the same instant under load); kube-proxy is not measured here, so it is a risk.
    assert.match(r.stdout, /^VERDICT {3}TRAFFIC AT RISK: new connections could still reach the pod /m);
  });
});
