import { strict as assert } from 'node:assert';
import nock from 'nock';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { LiveSource } from '../../src/source/live.js';
import { connectProxy, failsWith, faultServer, json, kubeconfigText, tlsFixture } from '../helpers/fault-server.js';
import type { FaultServer } from '../helpers/fault-server.js';

/**
 * Fault matrix, TLS and kubeconfig credentials: wrong CA, expired certificate, wrong host name,
 * tokenFile, exec plugins (relative command, failing, hanging), proxy-url, KUBECONFIG with two
 * files. Servers and proxies listen on 127.0.0.1 only.
 */

const ALL = { allNamespaces: true };

function dir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'podscope-cred-'));
}

function write(d: string, name: string, text: string, mode?: number): string {
  const f = path.join(d, name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, text);
  if (mode) chmodSync(f, mode);
  return f;
}

const caData = (name: string) => Buffer.from(readFileSync(tlsFixture(name))).toString('base64');


const nodesOk = (_q: http.IncomingMessage, res: http.ServerResponse) => json(res, 200, { items: [{ metadata: { name: 'n1' } }] });

describe('fault matrix: TLS and credentials (127.0.0.1)', () => {
  // Other suites leave nock refusing real connections; these talk to 127.0.0.1 for real.
  before(() => nock.enableNetConnect('127.0.0.1'));
  after(() => nock.disableNetConnect());
  const servers: FaultServer[] = [];
  const start = async (...a: Parameters<typeof faultServer>) => {
    const s = await faultServer(...a);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function tls(cert: string, ca: string, re: RegExp) {
    const srv = await start(nodesOk, { cert });
    const kc = write(dir(), 'config', kubeconfigText([`server: ${srv.url}`, `certificate-authority-data: ${caData(ca)}`], ['token: t']));
    await failsWith((await LiveSource.open({ kubeconfig: kc })).list('nodes', ALL), re);
    assert.equal(srv.seen.length, 0, 'no request goes out over an unverified connection');
  }

  it('TLS: the right CA and host name work', async () => {
    const srv = await start(nodesOk, { cert: 'server.crt' });
    const kc = write(dir(), 'config', kubeconfigText([`server: ${srv.url}`, `certificate-authority-data: ${caData('ca.crt')}`], ['token: t']));
    const res = await (await LiveSource.open({ kubeconfig: kc })).list('nodes', ALL);
    assert.ok(res.ok);
  });

  it('TLS: a certificate from another CA is one line, exit 3', () => tls('server.crt', 'other-ca.crt', /^TLS failure talking to https:\/\/127\.0\.0\.1:\d+: (unable to verify|self[- ]signed|unable to get local issuer)/));
  it('TLS: an expired certificate is one line, exit 3', () => tls('expired.crt', 'ca.crt', /^TLS failure talking to https:\/\/127\.0\.0\.1:\d+: certificate has expired/));
  it('TLS: a certificate for another host name is one line, exit 3', () => tls('wrong-host.crt', 'ca.crt', /^TLS failure talking to https:\/\/127\.0\.0\.1:\d+: .*(altnames|does not match)/i));

  it('tokenFile is read (relative to the kubeconfig) and sent as the bearer token', async () => {
    const srv = await start(nodesOk);
    const d = dir();
    write(d, 'secrets/token', 'file-token-123\n');
    const kc = write(d, 'config', kubeconfigText([`server: ${srv.url}`], ['tokenFile: secrets/token']));
    assert.ok((await (await LiveSource.open({ kubeconfig: kc })).list('nodes', ALL)).ok);
    assert.equal(srv.seen[0].headers.authorization, 'Bearer file-token-123');
  });

  it('exec plugin: a relative command runs from the kubeconfig directory, with KUBERNETES_EXEC_INFO, its token is used and cached', async () => {
    const srv = await start(nodesOk);
    const d = dir();
    const count = path.join(d, 'runs');
    write(d, 'bin/cred.sh', `#!/bin/sh\necho run >> ${count}\necho "$KUBERNETES_EXEC_INFO" | grep -q '"interactive":false' || exit 9\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-token-9","expirationTimestamp":"2999-01-01T00:00:00Z"}}'\n`, 0o755);
    const kc = write(d, 'config', kubeconfigText([`server: ${srv.url}`], ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: ./bin/cred.sh', '  interactiveMode: Never']));
    const src = await LiveSource.open({ kubeconfig: kc });
    // Run from elsewhere: the command must resolve against the kubeconfig's directory, not the cwd.
    assert.notEqual(process.cwd(), d);
    await src.list('nodes', ALL);
    await src.list('nodes', ALL);
    assert.deepEqual(srv.seen.map((s) => s.headers.authorization), ['Bearer exec-token-9', 'Bearer exec-token-9']);
    assert.equal(readFileSync(count, 'utf8').trim().split('\n').length, 1, 'the credential is cached until it expires');
  });

  /** A plugin printing the n-th line of `tokens` on its n-th run (the last one after that), expiring in `ttl` seconds. */
  function rotatingPlugin(d: string, tokens: string[], ttl: number): { kubeconfig: (server: string) => string; runs: () => number } {
    const count = path.join(d, 'runs');
    write(d, 'tokens', `${tokens.join('\n')}\n`);
    write(d, 'cred.sh', `#!/bin/sh\necho run >> ${count}\nn=$(wc -l < ${count})\nt=$(sed -n "\${n}p" ${path.join(d, 'tokens')})\n[ -n "$t" ] || t=$(tail -n 1 ${path.join(d, 'tokens')})\nexp=$(date -u -d "@$(( $(date +%s) + ${ttl} ))" +%Y-%m-%dT%H:%M:%SZ)\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}' "$t" "$exp"\n`, 0o755);
    return {
      kubeconfig: (server) => write(d, 'config', kubeconfigText([`server: ${server}`], ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: ./cred.sh'])),
      runs: () => readFileSync(count, 'utf8').trim().split('\n').length,
    };
  }
  const acceptOnly = (good: string[]) => (q: http.IncomingMessage, res: http.ServerResponse) =>
    good.some((g) => q.headers.authorization === `Bearer ${g}`) ? nodesOk(q, res) : json(res, 401, { kind: 'Status', message: 'Unauthorized', code: 401 });

  it('exec plugin: the credential is used until its expirationTimestamp, then the plugin runs again', async () => {
    const srv = await start(acceptOnly(['first', 'second']));
    const p = rotatingPlugin(dir(), ['first', 'second'], 2);
    const src = await LiveSource.open({ kubeconfig: p.kubeconfig(srv.url) });
    assert.ok((await src.list('nodes', ALL)).ok);
    assert.ok((await src.list('nodes', ALL)).ok);
    assert.equal(p.runs(), 1, 'cached while valid');
    await new Promise((r) => setTimeout(r, 2100));
    assert.ok((await src.list('nodes', ALL)).ok);
    assert.equal(p.runs(), 2, 'run again once expired');
    assert.deepEqual(srv.seen.map((s) => s.headers.authorization), ['Bearer first', 'Bearer first', 'Bearer second']);
  });

  it('exec plugin: a 401 to its credential drops it, runs the plugin once more and retries once', async () => {
    const srv = await start(acceptOnly(['fresh']));
    const p = rotatingPlugin(dir(), ['revoked', 'fresh'], 3600);
    const src = await LiveSource.open({ kubeconfig: p.kubeconfig(srv.url) });
    assert.ok((await src.list('nodes', ALL)).ok);
    assert.equal(p.runs(), 2);
    assert.deepEqual(srv.seen.map((s) => s.headers.authorization), ['Bearer revoked', 'Bearer fresh']);
  });

  it('exec plugin: a credential refused again after the refresh is one 401 line, exit 3 (no loop)', async () => {
    const srv = await start(acceptOnly([]));
    const p = rotatingPlugin(dir(), ['bad1', 'bad2', 'bad3'], 3600);
    await failsWith((await LiveSource.open({ kubeconfig: p.kubeconfig(srv.url) })).list('nodes', ALL), /401|[Uu]nauthori[sz]ed/);
    assert.equal(p.runs(), 2, 'one refresh');
    assert.equal(srv.seen.length, 2, 'one retry');
  });

  it('exec plugin: a failing plugin is one line naming it and its stderr, exit 3', async () => {
    const srv = await start(nodesOk);
    const d = dir();
    write(d, 'sso.sh', '#!/bin/sh\necho "error: SSO session for profile prod has expired" >&2\necho second line >&2\nexit 1\n', 0o755);
    const kc = write(d, 'config', kubeconfigText([`server: ${srv.url}`], ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: ./sso.sh']));
    const err = await failsWith((await LiveSource.open({ kubeconfig: kc })).list('nodes', ALL), /^exec credential plugin ".*sso\.sh" failed \(exit 1\): error: SSO session for profile prod has expired$/);
    assert.match(err.hint ?? '', /log in again/);
    assert.equal(srv.seen.length, 0);
  });

  it('exec plugin: a missing plugin names it and the install hint', async () => {
    const d = dir();
    const kc = write(d, 'config', kubeconfigText(['server: http://127.0.0.1:9'], ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: podscope-no-such-plugin', '  installHint: install podscope-no-such-plugin from your platform team']));
    const err = await failsWith((await LiveSource.open({ kubeconfig: kc })).list('nodes', ALL), /^exec credential plugin "podscope-no-such-plugin" not found$/);
    assert.match(err.hint ?? '', /platform team/);
  });

  it('exec plugin: a hanging plugin is killed at the request budget', async () => {
    const d = dir();
    write(d, 'hang.sh', '#!/bin/sh\nexec sleep 100\n', 0o755);
    const kc = write(d, 'config', kubeconfigText(['server: http://127.0.0.1:9'], ['exec:', '  apiVersion: client.authentication.k8s.io/v1', '  command: ./hang.sh']));
    const src = await LiveSource.open({ kubeconfig: kc, http: { timeoutMs: 500 } });
    const t0 = Date.now();
    await failsWith(src.list('nodes', ALL), /^exec credential plugin ".*hang\.sh" did not finish within \d+ms$/);
    assert.ok(Date.now() - t0 < 1500, `took ${Date.now() - t0} ms`);
  });

  it('KUBECONFIG with two files: context from the first, user (tokenFile relative to its own file) from the second', async () => {
    const srv = await start(nodesOk);
    const a = dir();
    const b = dir();
    write(b, 'tok', 'second-file-token');
    const first = write(a, 'config', `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${srv.url}\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\ncurrent-context: ctx\n`);
    const second = write(b, 'config', `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    tokenFile: tok\ncontexts:\n- name: other\n  context:\n    cluster: c\n    user: u\ncurrent-context: other\n`);
    const src = await LiveSource.open({ env: { KUBECONFIG: `${first}${path.delimiter}${second}` } });
    assert.ok((await src.list('nodes', ALL)).ok);
    assert.equal(srv.seen[0].headers.authorization, 'Bearer second-file-token');
  });

  it('proxy-url is honoured for an https server (CONNECT) and for an http server', async () => {
    const p = await connectProxy();
    try {
      const tlsSrv = await start(nodesOk, { cert: 'server.crt' });
      const kc1 = write(dir(), 'config', kubeconfigText([`server: ${tlsSrv.url}`, `certificate-authority-data: ${caData('ca.crt')}`, `proxy-url: ${p.url}`], ['token: t']));
      assert.ok((await (await LiveSource.open({ kubeconfig: kc1 })).list('nodes', ALL)).ok);
      assert.deepEqual(p.seen, [`CONNECT 127.0.0.1:${tlsSrv.port}`]);
      const plain = await start(nodesOk);
      const kc2 = write(dir(), 'config', kubeconfigText([`server: ${plain.url}`, `proxy-url: ${p.url}`], ['token: t']));
      assert.ok((await (await LiveSource.open({ kubeconfig: kc2 })).list('nodes', ALL)).ok);
      // hpagent tunnels plain http through CONNECT too: what matters is that it went through the proxy.
      assert.deepEqual(p.seen.slice(1), [`CONNECT 127.0.0.1:${plain.port}`]);
    } finally {
      await p.close();
    }
  });
});
