/**
 * Namespace-only permissions, for real: a service account bound only to deploy/rbac.yaml's
 * namespaced Role runs the built `podscope check -n NS`; the API server's RBAC forbids the
 * cluster-scoped lists and podscope reports those checks as skipped with the reason.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, RbacAuthorizationV1Api, type V1ClusterRole, type V1Role } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { Report } from '../../src/report/types.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { cluster } from './cluster/hooks.js';
import { writeKubeconfig } from './cluster/kubeconfig.js';
import { bearerStatus, dropNamespace, newNamespace, pod, waitRunning } from './helpers.js';
import { parseValid } from '../helpers/schema.js';

/** deploy/rbac.yaml's namespaced read-only Role, moved into `namespace`. */
function namespaceReaderRole(namespace: string): V1Role {
  const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'rbac.yaml'), 'utf8')).map((d) => d.toJS() as V1Role);
  const role = docs.find((d) => d.kind === 'Role' && d.metadata?.name === 'podscope-namespace-reader');
  assert.ok(role, 'deploy/rbac.yaml has the Role podscope-namespace-reader');
  return { ...role, metadata: { ...role.metadata, namespace } };
}

describe('podscope check with only the namespaced Role of deploy/rbac.yaml', () => {
  let ns = '';
  let dir = '';
  let kubeconfig = '';
  let token = '';

  before(async () => {
    assert.ok(existsSync(join(ROOT, 'dist', 'commands')), 'dist/ is built (npm run build) before the integration tests');
    const kc = cluster().kc;
    ns = await newNamespace(kc, 'rbac');
    const core = kc.makeApiClient(CoreV1Api);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({ namespace: ns, body: namespaceReaderRole(ns) });
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'ci' } } });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'ci-podscope' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'podscope-namespace-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: ns }],
      },
    });
    const tr = await core.createNamespacedServiceAccountToken({ namespace: ns, name: 'ci', body: { spec: { expirationSeconds: 900 } } });
    token = tr.status?.token ?? assert.fail('no token in the TokenRequest answer');
    dir = mkdtempSync(join(tmpdir(), 'podscope-rbac-'));
    kubeconfig = writeKubeconfig({
      path: join(dir, 'kubeconfig'),
      name: 'ci',
      server: cluster().state.server,
      caFile: cluster().pki.ca.cert,
      token,
      namespace: ns,
    });
    await core.createNamespacedPod({ namespace: ns, body: pod('web-0', { app: 'web' }) });
    await waitRunning(kc, ns, 'web-0');
  });
  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the namespaced checks and skips the cluster-scoped ones with the reason', () => {
    const r = runCli(['check', '-n', ns, '-o', 'json'], { env: { KUBECONFIG: kubeconfig } });
    assert.equal(r.code, 0, `exit 0 without --strict; stderr: ${r.stderr}`);
    const report = parseValid(r.stdout) as Report;
    assert.equal(report.source.serverVersion, cluster().versions.kubernetes);
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    const node = byId.get('NODE001');
    assert.equal(node?.status, 'skipped');
    assert.match(node?.reason ?? '', /forbidden: list nodes cluster-wide/);
    const podChecks = report.checks.filter((c) => c.id.startsWith('POD'));
    assert.ok(podChecks.length > 0, 'there are pod checks');
    for (const c of podChecks) assert.equal(c.status, 'passed', `${c.id} ran on the namespace's pods`);
    assert.ok(report.unavailable.some((u) => u.input === 'nodes' && u.kind === 'forbidden'));
    assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), 'the token is never printed');
  });

  it('exits 4 with --strict because a check could not run', () => {
    const r = runCli(['check', '-n', ns, '--strict', '-o', 'json'], { env: { KUBECONFIG: kubeconfig } });
    assert.equal(r.code, 4, r.stderr);
  });

  it('reads its own namespace (get namespaces in the Role): a selector that matches nothing is a note, not a 403', async () => {
    assert.equal(await bearerStatus(`${cluster().state.server}/api/v1/namespaces/${ns}`, token, cluster().pki.ca.cert), 200);
    assert.equal(await bearerStatus(`${cluster().state.server}/api/v1/namespaces/default`, token, cluster().pki.ca.cert), 403, 'only its own namespace');
    const r = runCli(['check', '-n', ns, '-l', 'app=nothing-matches', '-o', 'json'], { env: { KUBECONFIG: kubeconfig } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /nothing matched: no pods in namespace/);
  });

  it('is really limited: the same user cannot list pods in another namespace', () => {
    const r = runCli(['check', '-n', 'default', '-o', 'json'], { env: { KUBECONFIG: kubeconfig } });
    const report = parseValid(r.stdout) as Report;
    for (const c of report.checks) assert.equal(c.status, 'skipped', `${c.id} skipped outside the Role's namespace`);
  });
});

describe('podscope check with the podscope-reader ClusterRole of deploy/rbac.yaml', () => {
  let ns = '';
  let dir = '';
  let kubeconfig = '';
  let name = '';

  before(async () => {
    const kc = cluster().kc;
    ns = await newNamespace(kc, 'rbac-cr');
    name = `podscope-reader-${ns}`;
    const docs = parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'rbac.yaml'), 'utf8')).map((d) => d.toJS() as V1ClusterRole);
    const reader = docs.find((d) => d.kind === 'ClusterRole' && d.metadata?.name === 'podscope-reader');
    assert.ok(reader, 'deploy/rbac.yaml has the ClusterRole podscope-reader');
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    await rbac.createClusterRole({ body: { ...reader, metadata: { name } } });
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'ci' } } });
    await rbac.createClusterRoleBinding({
      body: { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: ns }] },
    });
    const tr = await core.createNamespacedServiceAccountToken({ namespace: ns, name: 'ci', body: { spec: { expirationSeconds: 900 } } });
    dir = mkdtempSync(join(tmpdir(), 'podscope-rbac-cr-'));
    kubeconfig = writeKubeconfig({ path: join(dir, 'kubeconfig'), name: 'ci', server: cluster().state.server, caFile: cluster().pki.ca.cert, token: tr.status?.token ?? assert.fail('no token') });
  });
  after(async () => {
    const rbac = cluster().kc.makeApiClient(RbacAuthorizationV1Api);
    if (name) {
      await rbac.deleteClusterRoleBinding({ name }).catch(() => undefined);
      await rbac.deleteClusterRole({ name }).catch(() => undefined);
    }
    if (ns) await dropNamespace(cluster().kc, ns);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('check -n with a namespace that does not exist fails (exit 3): get namespaces is granted, so the typo is caught', () => {
    const r = runCli(['check', '-n', `${ns}-typo`, '-o', 'json'], { env: { KUBECONFIG: kubeconfig } });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr.split('\n')[0], `podscope: namespace "${ns}-typo" not found in the cluster`);
    // The same namespace that exists but is empty: a note, exit 0.
    const ok = runCli(['check', '-n', ns, '-o', 'json'], { env: { KUBECONFIG: kubeconfig } });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /nothing matched/);
  });
});
