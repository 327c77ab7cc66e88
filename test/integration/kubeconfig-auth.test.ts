/**
 * Real kubeconfigs against the real control plane (issue 15): a ServiceAccount token (TokenRequest)
 * stands in for a cloud credential and reaches podscope through `tokenFile`, an `exec` plugin
 * given by a path relative to the kubeconfig, a failing plugin, `proxy-url` through a local
 * CONNECT proxy, `KUBECONFIG` with two files, exec credentials that expire (a few seconds) or are
 * revoked (a token bound to a deleted Secret: the server answers 401), a client certificate, key
 * and CA given relative to the kubeconfig, and insecure-skip-tls-verify. Every server and proxy is
 * on 127.0.0.1.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { DataError } from '../../src/errors.js';
import { LiveSource } from '../../src/source/live.js';
import { connectProxy } from '../helpers/fault-server.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { cluster } from './cluster/hooks.js';
import { clientCert } from './cluster/pki.js';
import { bearerStatus, dropNamespace, newNamespace, waitFor } from './helpers.js';

describe('kubeconfig credentials against the real control plane', () => {
  let ns = '';
  let token = '';
  let server = '';
  let caData = '';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'podscope-kcauth-'));

  before(async () => {
    const c = cluster();
    ns = await newNamespace(c.kc, 'kcauth');
    const core = c.kc.makeApiClient(CoreV1Api);
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'reader' } } });
    await c.kc.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
      namespace: ns,
      body: { metadata: { name: 'reader-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }] },
    });
    const tr = await core.createNamespacedServiceAccountToken({ namespace: ns, name: 'reader', body: { spec: { expirationSeconds: 3600, audiences: [] } } });
    token = tr.status?.token ?? '';
    assert.ok(token);
    server = c.kc.getCurrentCluster()!.server;
    caData = readFileSync(c.pki.ca.cert).toString('base64');
  });
  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns);
  });

  function kubeconfig(name: string, user: string[], clusterExtra: string[] = []): string {
    const file = path.join(dir, name);
    const ind = (l: string[]) => l.map((x) => `    ${x}`).join('\n');
    writeFileSync(
      file,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n${ind([`server: ${server}`, `certificate-authority-data: ${caData}`, ...clusterExtra])}\nusers:\n- name: u\n  user:\n${ind(user)}\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\n    namespace: ${ns}\ncurrent-context: ctx\n`,
    );
    return file;
  }

  const listPods = async (src: LiveSource) => src.list('pods', { allNamespaces: false, namespace: ns });

  it('tokenFile: the token is read from the file and accepted (no token: 401)', async () => {
    writeFileSync(path.join(dir, 'sa.token'), token);
    const ok = await listPods(await LiveSource.open({ kubeconfig: kubeconfig('tokenfile', ['tokenFile: sa.token']) }));
    assert.ok(ok.ok, ok.ok ? '' : ok.unavailable.reason);
    // Without the file's token the same request is anonymous: rejected, so the token was what worked.
    writeFileSync(path.join(dir, 'empty.token'), '');
    const anon = await listPods(await LiveSource.open({ kubeconfig: kubeconfig('emptyfile', ['tokenFile: empty.token']) })).catch((e: unknown) => e);
    const refused = anon instanceof DataError ? /401/.test(anon.message) : !(anon as { ok: boolean }).ok;
    assert.ok(refused, 'an anonymous request is refused');
  });

  it('exec plugin by a relative path returns an ExecCredential with expiry; a failing plugin is one line', async () => {
    writeFileSync(path.join(dir, 'cred.sh'), `#!/bin/sh\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"2999-01-01T00:00:00Z"}}' "$(cat ${path.join(dir, 'sa.token')})"\n`);
    chmodSync(path.join(dir, 'cred.sh'), 0o755);
    const ok = await listPods(await LiveSource.open({ kubeconfig: kubeconfig('exec', ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: ./cred.sh']) }));
    assert.ok(ok.ok);
    writeFileSync(path.join(dir, 'broken.sh'), '#!/bin/sh\necho "token refresh failed: invalid_grant" >&2\nexit 2\n');
    chmodSync(path.join(dir, 'broken.sh'), 0o755);
    await assert.rejects(listPods(await LiveSource.open({ kubeconfig: kubeconfig('broken', ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: ./broken.sh']) })), (err: unknown) => {
      assert.ok(err instanceof DataError && err.exitCode === 3);
      assert.match(err.message, /^exec credential plugin ".*broken\.sh" failed \(exit 2\): token refresh failed: invalid_grant$/);
      return true;
    });
  });

  it('proxy-url: requests go through a local CONNECT proxy', async () => {
    const proxy = await connectProxy();
    try {
      const ok = await listPods(await LiveSource.open({ kubeconfig: kubeconfig('proxy', [`token: ${token}`], [`proxy-url: ${proxy.url}`]) }));
      assert.ok(ok.ok);
      assert.deepEqual([...new Set(proxy.seen)], [`CONNECT ${new URL(server).host}`]);
    } finally {
      await proxy.close();
    }
  });

  it('KUBECONFIG with two files: cluster and context from the first, the user from the second', async () => {
    const first = path.join(dir, 'first');
    writeFileSync(first, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${caData}\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\n    namespace: ${ns}\ncurrent-context: ctx\n`);
    const second = path.join(dir, 'second');
    writeFileSync(second, `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    tokenFile: sa.token\ncurrent-context: nothing\n`);
    const ok = await listPods(await LiveSource.open({ env: { KUBECONFIG: `${first}${path.delimiter}${second}` } }));
    assert.ok(ok.ok);
  });
  /** A fresh token of the `reader` ServiceAccount; bound to a Secret when given (deleting it revokes the token). */
  async function mint(boundSecret?: { name: string; uid: string }): Promise<string> {
    const tr = await cluster().kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
      namespace: ns,
      name: 'reader',
      body: { spec: { expirationSeconds: 3600, audiences: [], ...(boundSecret ? { boundObjectRef: { apiVersion: 'v1', kind: 'Secret', ...boundSecret } } : {}) } },
    });
    return tr.status?.token ?? assert.fail('no token');
  }

  /** An exec plugin (relative command) printing the n-th token on its n-th run (the last after that), expiring in ttl seconds; counts its runs. */
  function rotatingPlugin(name: string, tokens: string[], ttl: number): { file: string; runs: () => number } {
    const d = path.join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'tokens'), `${tokens.join('\n')}\n`, { mode: 0o600 });
    writeFileSync(
      path.join(d, 'cred.sh'),
      `#!/bin/sh\necho run >> runs.log\nn=$(wc -l < runs.log)\nt=$(sed -n "\${n}p" tokens)\n[ -n "$t" ] || t=$(tail -n 1 tokens)\nexp=$(date -u -d "@$(( $(date +%s) + ${ttl} ))" +%Y-%m-%dT%H:%M:%SZ)\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' "$t" "$exp"\n`,
    );
    chmodSync(path.join(d, 'cred.sh'), 0o755);
    // The plugin runs in podscope's cwd: cd to its own directory first.
    writeFileSync(path.join(d, 'plugin.sh'), `#!/bin/sh\ncd "$(dirname "$0")" && exec ./cred.sh\n`);
    chmodSync(path.join(d, 'plugin.sh'), 0o755);
    const file = kubeconfig(`${name}/config`, ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: ./plugin.sh']);
    return { file, runs: () => readFileSync(path.join(d, 'runs.log'), 'utf8').trim().split('\n').length };
  }

  it('exec credential expiry: a token valid for 2 s is reused while valid, then the plugin runs again and the run goes on', async function () {
    this.timeout(30_000);
    const p = rotatingPlugin('expiring', [await mint(), await mint()], 2);
    const src = await LiveSource.open({ kubeconfig: p.file });
    assert.ok((await listPods(src)).ok);
    assert.ok((await listPods(src)).ok);
    assert.equal(p.runs(), 1, 'cached while valid');
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok((await listPods(src)).ok, 'the refreshed token is accepted');
    assert.equal(p.runs(), 2, 'the plugin ran again after expirationTimestamp');
    await new Promise((r) => setTimeout(r, 2500));
    assert.ok((await listPods(src)).ok);
    assert.equal(p.runs(), 3);
  });

  it('exec credential revoked: the server answers 401, podscope runs the plugin once more and retries; refused twice is one line, exit 3', async function () {
    this.timeout(30_000);
    const core = cluster().kc.makeApiClient(CoreV1Api);
    const secret = await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'bound' }, stringData: { x: 'y' } } });
    const revoked = await mint({ name: 'bound', uid: secret.metadata!.uid! });
    await core.deleteNamespacedSecret({ namespace: ns, name: 'bound' });
    // The premise, checked on the real server: the bound token is now refused with 401.
    const url = `${server}/api/v1/namespaces/${ns}/pods`;
    await waitFor('the bound token is refused once its Secret is gone', async () => (await bearerStatus(url, revoked, cluster().pki.ca.cert)) === 401);
    const p = rotatingPlugin('revoked', [revoked, await mint()], 3600);
    const res = runCli(['check', '-n', ns, '--kubeconfig', p.file, '-o', 'json'], { cwd: os.tmpdir() });
    assert.ok(res.code === 0 || res.code === 1, `exit ${res.code}: ${res.stderr}`);
    assert.equal(p.runs(), 2, 'one refresh after the 401');
    const bad = rotatingPlugin('refused', [revoked], 3600);
    const r2 = runCli(['check', '-n', ns, '--kubeconfig', bad.file], { cwd: os.tmpdir() });
    assert.equal(r2.code, 3, r2.stderr);
    assert.match(r2.stderr.split('\n')[0], /401|[Uu]nauthori[sz]ed/);
    assert.doesNotMatch(r2.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(bad.runs(), 2, 'one refresh, no loop');
  });

  it('client-certificate, client-key and certificate-authority relative to the kubeconfig, run from another directory', () => {
    const d = path.join(dir, 'relcert');
    mkdirSync(path.join(d, 'pki'), { recursive: true });
    const cert = clientCert(d, cluster().pki.ca, 'relcert-user', '/O=system:masters/CN=podscope-relcert');
    copyFileSync(cert.cert, path.join(d, 'pki', 'user.crt'));
    copyFileSync(cert.key, path.join(d, 'pki', 'user.key'));
    copyFileSync(cluster().pki.ca.cert, path.join(d, 'pki', 'ca.crt'));
    const file = path.join(d, 'config');
    writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    certificate-authority: pki/ca.crt\nusers:\n- name: u\n  user:\n    client-certificate: pki/user.crt\n    client-key: pki/user.key\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\n    namespace: ${ns}\ncurrent-context: ctx\n`);
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'podscope-elsewhere-'));
    assert.notEqual(cwd, d);
    const r = runCli(['check', '--kubeconfig', file, '-o', 'json'], { cwd });
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    assert.equal((JSON.parse(r.stdout) as { $schema?: string }).$schema !== undefined, true);
  });

  it('insecure-skip-tls-verify: true with no CA works; with neither it is one TLS line, exit 3', () => {
    const insecure = path.join(dir, 'insecure');
    const body = (extra: string) =>
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n${extra}users:\n- name: u\n  user:\n    token: ${token}\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\n    namespace: ${ns}\ncurrent-context: ctx\n`;
    writeFileSync(insecure, body('    insecure-skip-tls-verify: true\n'));
    const ok = runCli(['check', '-n', ns, '--kubeconfig', insecure, '-o', 'json'], { cwd: ROOT });
    assert.ok(ok.code === 0 || ok.code === 1, `exit ${ok.code}: ${ok.stderr}`);
    const strict = path.join(dir, 'no-ca');
    writeFileSync(strict, body(''));
    const bad = runCli(['check', '-n', ns, '--kubeconfig', strict], { cwd: ROOT });
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stderr.split('\n')[0], /^podscope: TLS failure talking to https:\/\/127\.0\.0\.1:\d+: (unable to verify the first certificate|self[- ]signed|unable to get local issuer[^;]*)$/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
    assert.doesNotMatch(bad.stderr, new RegExp(token.slice(-12)), 'the token is never quoted');
  });
});
