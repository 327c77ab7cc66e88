/**
 * Real kubeconfigs against the real control plane (issue 15): a ServiceAccount token (TokenRequest)
 * stands in for a cloud credential and reaches podscope through `tokenFile`, an `exec` plugin
 * given by a path relative to the kubeconfig, a failing plugin, `proxy-url` through a local
 * CONNECT proxy, and `KUBECONFIG` with two files. Every server and proxy is on 127.0.0.1.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { DataError } from '../../src/errors.js';
import { LiveSource } from '../../src/source/live.js';
import { cluster } from './cluster/hooks.js';
import { dropNamespace, newNamespace } from './helpers.js';

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
    const seen: string[] = [];
    const proxy = http.createServer((_q, res) => res.writeHead(405).end());
    const socks = new Set<net.Socket>();
    proxy.on('connect', (req: http.IncomingMessage, sock: net.Socket, head: Buffer) => {
      seen.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      if (host !== '127.0.0.1') return void sock.destroy();
      const up = net.connect(Number(port), host, () => {
        sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(sock);
        sock.pipe(up);
      });
      socks.add(up).add(sock);
      up.on('error', () => sock.destroy());
      sock.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const port = (proxy.address() as net.AddressInfo).port;
      const ok = await listPods(await LiveSource.open({ kubeconfig: kubeconfig('proxy', [`token: ${token}`], [`proxy-url: http://127.0.0.1:${port}`]) }));
      assert.ok(ok.ok);
      assert.deepEqual([...new Set(seen)], [new URL(server).host]);
    } finally {
      for (const s of socks) s.destroy();
      await new Promise<void>((r) => proxy.close(() => r()));
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
});
