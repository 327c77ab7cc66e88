import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeApiServer } from '../helpers/fake-apiserver.js';
import { fixture, runCli, runCliAsync } from '../helpers/cli.js';
import { writeKubeconfig } from '../helpers/kubeconfig.js';

// test/__fixtures__/hostile/hostile.json (made by make.py there): a pod with a canary value
// (c4n4ry<NN>) in every field a pod can carry a secret in, a container named with an OSC 52
// clipboard write and a screen clear, ANSI and a bidi override in its waiting message, and a
// Warning event quoting a token.
const FILE = fixture('hostile', 'hostile.json');
const POD = 'web-7d9f8-abcde';
const CANARY = /c4n4ry\d+/g;
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const ESCAPED_NAME = 'app\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J';

const leaks = (text: string) => [...new Set(text.match(CANARY) ?? [])];

describe('hostile pod: no canary in any output, no raw control character in any human output', () => {
  const runs: [string, string[], string[]][] = [
    ['check', ['check', '-f', FILE], ['table', 'wide', 'json', 'yaml', 'markdown', 'junit', 'sarif']],
    ['inspect', ['inspect', '-f', FILE], ['table', 'wide', 'json', 'yaml']],
    ['stop', ['stop', '-f', FILE, POD], ['table', 'wide', 'json', 'yaml']],
  ];
  for (const [name, args, formats] of runs) {
    for (const o of formats) {
      it(`${name} -o ${o}`, () => {
        const r = runCli([...args, '-o', o]);
        assert.ok(r.code === 0 || r.code === 1, `${r.code}: ${r.stderr}`);
        assert.deepEqual(leaks(r.stdout + r.stderr), []);
        if (['table', 'wide', 'markdown'].includes(o)) {
          assert.equal(RAW.exec(r.stdout), null, 'raw control character on stdout');
          if (name !== 'stop' || o !== 'markdown') assert.ok(r.stdout.includes(ESCAPED_NAME), 'the container name is shown, escaped');
        }
        assert.equal(RAW.exec(r.stderr), null, 'raw control character on stderr');
      });
    }
  }

  it('inspect shows the ANSI of the waiting message and the event escaped, the token in the event redacted', () => {
    const r = runCli(['inspect', '-f', FILE]);
    assert.match(r.stdout, /\\x1b\[31mback-off\\x1b\[0m 5m0s restarting failed container\\u202e password=<redacted>/);
    assert.match(r.stdout, /Liveness probe failed: upstream said token=<redacted> \\x1b\]0;pwned\\x07/);
  });

  it('stop shows the preStop command with the curl password redacted', () => {
    const r = runCli(['stop', '-f', FILE, POD]);
    assert.match(r.stdout, /curl -u admin:<redacted> http:\/\/127\.0\.0\.1:8080\/drain/);
  });

  it('JSON keeps the data exact: the container name with its real ESC and BEL', () => {
    const r = runCli(['inspect', '-f', FILE, '-o', 'json']);
    const names = (JSON.parse(r.stdout) as { containers: { name: string }[] }).containers.map((c) => c.name);
    assert.ok(names.includes('app\u001b]52;c;ZXZpbA==\u0007\u001b[2J'));
  });

  it('an error quoting a pod name from the command line prints it escaped on stderr', () => {
    const r = runCli(['inspect', '-f', FILE, 'nosuch\u001b[2J\u0007']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^podscope: pod "nosuch\\x1b\[2J\\x07" /);
    assert.equal(RAW.exec(r.stderr.replace(/\n/g, '')), null);
  });
});

describe('snapshot of a hostile pod through a stand-in API server', () => {
  const items = JSON.parse(readFileSync(FILE, 'utf8')).items as { kind: string }[];
  const list = (kind: string, xs: unknown[]) => ({ status: 200, body: { kind, apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: xs } });
  let api: FakeApiServer;
  let kubeconfig: string;
  before(async () => {
    api = new FakeApiServer({
      '/version': { status: 200, body: { major: '1', minor: '36', gitVersion: 'v1.36.3' } },
      '/api/v1/namespaces/shop/pods': list('PodList', items.filter((i) => i.kind === 'Pod')),
      '/api/v1/namespaces/shop/events': list('EventList', items.filter((i) => i.kind === 'Event')),
      '/api/v1/namespaces/shop/services': list('ServiceList', []),
      '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices': list('EndpointSliceList', []),
      '/api/v1/nodes': list('NodeList', []),
    });
    kubeconfig = writeKubeconfig(await api.start(), { namespace: 'shop', context: 'ci' });
  });
  after(() => api.stop());

  it('no canary in any file, files 0600 and the directory 0700, the manifest counts what was redacted by field', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'hostile-snap-')), 'snap');
    const r = await runCliAsync(['snapshot', dir, '--kubeconfig', kubeconfig]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(leaks(r.stdout + r.stderr), []);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const f of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      assert.deepEqual(leaks(text), [], f);
      assert.equal(statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
    }
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const fields = manifest.redacted.fields as Record<string, number>;
    for (const p of [
      'pods: spec.containers[].args',
      'pods: spec.containers[].command',
      'pods: spec.containers[].env[].value',
      'pods: spec.containers[].lifecycle.preStop.exec.command',
      'pods: spec.containers[].livenessProbe.exec.command',
      'pods: spec.containers[].readinessProbe.httpGet.httpHeaders[].value',
      'pods: spec.initContainers[].args',
      'pods: spec.ephemeralContainers[].command',
      'pods: status.containerStatuses[].lastState.terminated.message',
      'pods: metadata.annotations[app.example.com/api-token]',
      'events: message',
    ]) {
      assert.ok(fields[p] >= 1, `${p} in ${JSON.stringify(fields)}`);
    }
    assert.equal(manifest.redacted.total, Object.values(fields).reduce((a, b) => a + b, 0));
    // What analyses need survives: the sleep of the preStop hook, the check finds the crash loop.
    const back = runCli(['stop', '--from', dir, POD, '-o', 'json']);
    assert.equal(JSON.parse(back.stdout).preStopSeconds, 5);
    const check = runCli(['check', '--from', dir, '-o', 'json']);
    assert.ok(JSON.parse(check.stdout).findings.some((f: { checkId: string }) => f.checkId === 'POD001'));
    assert.deepEqual(leaks(back.stdout + check.stdout), []);
  });
});
