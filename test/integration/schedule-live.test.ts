/**
 * `podscope schedule` live, through the built CLI, against the real control plane: a pod the
 * real kube-scheduler rejects, explained node by node, with its real FailedScheduling event
 * (written through events.k8s.io/v1) parsed and agreeing; and a dry run of a manifest (-f)
 * against the live nodes.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import type { ScheduleResult } from '../../src/analysis/schedule/index.js';
import { runCli } from '../helpers/cli.js';
import { cluster } from './cluster/hooks.js';
import { dropNamespace, newNamespace, pod, waitFor } from './helpers.js';
import { parseValid } from '../helpers/schema.js';

describe('podscope schedule against the real scheduler', () => {
  let ns = '';
  before(async () => {
    ns = await newNamespace(cluster().kc, 'sched');
  });
  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns);
  });

  it('explains a rejected pod node by node and agrees with the real FailedScheduling event', async () => {
    const core = cluster().kc.makeApiClient(CoreV1Api);
    // Earlier tests drop namespaces without waiting: let their pods go, so the state is stable.
    await waitFor('no terminating pods', async () => !(await core.listPodForAllNamespaces()).items.some((p) => p.metadata?.deletionTimestamp), 120_000);
    const body = pod('gpu-job', { app: 'gpu-job' });
    body.spec!.containers[0]!.resources = { requests: { cpu: '2', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } };
    await core.createNamespacedPod({ namespace: ns, body });
    await waitFor('FailedScheduling event', async () => (await core.listNamespacedEvent({ namespace: ns })).items.some((e) => e.reason === 'FailedScheduling'));
    const r = runCli(['schedule', 'gpu-job', '-n', ns, '-o', 'json'], { env: { KUBECONFIG: cluster().kubeconfig } });
    assert.equal(r.code, 1, r.stderr); // SCH001 (critical) gates the exit code
    const j = parseValid(r.stdout) as ScheduleResult;
    const gpu = j.nodes.find((n) => n.name === 'kwok-node-2');
    assert.equal(gpu?.failedFilter, 'TaintToleration', 'the only GPU node is tainted dedicated=gpu');
    assert.match(gpu?.detail ?? '', /dedicated=gpu:NoSchedule/);
    assert.ok(j.event, 'the event was found');
    assert.equal(j.event.agrees, true, `event: ${j.event.message}\npodscope: ${j.summary}`);
    assert.equal(j.summary, j.event.message.replace(/\. no new claims to deallocate, preemption:.*$/, '.').replace(/ preemption:.*$/, ''));
    assert.ok(j.findings.some((f) => f.checkId === 'SCH001' && f.evidence.some((e) => /kwok-node-2 would fit if the pod tolerated its taint/.test(e))));
  });

  it('dry-runs a Deployment manifest against the live nodes (-f without nodes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podscope-sched-'));
    const file = join(dir, 'deploy.json');
    writeFileSync(file, JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'zonal', namespace: ns },
      spec: { selector: { matchLabels: { app: 'zonal' } }, template: { metadata: { labels: { app: 'zonal' } }, spec: { nodeSelector: { 'topology.kubernetes.io/zone': 'zone-b' }, containers: [{ name: 'c', image: 'x' }] } } },
    }));
    const r = runCli(['schedule', '-f', file, '-o', 'json'], { env: { KUBECONFIG: cluster().kubeconfig } });
    assert.equal(r.code, 0, r.stderr);
    const j = parseValid(r.stdout) as ScheduleResult;
    assert.deepEqual(j.nodes.filter((n) => n.fits).map((n) => n.name), ['kwok-node-1'], 'only kwok-node-1 is in zone-b');
    assert.equal(j.event, null);
  });
});
