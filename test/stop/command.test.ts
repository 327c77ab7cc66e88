import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import type { StopResult } from '../../src/analysis/stop/result.js';
import { ROOT, fixture, runCli } from '../helpers/cli.js';
import { FakeCluster, runCliAsync } from './fake-cluster.js';
import { parseValid } from '../helpers/schema.js';

const POD = 'web-7d9f8b6c5-x2kqp';

describe('podscope stop (command)', () => {
  it('prints the static verdict for a pod behind a Service from a file', () => {
    const r = runCli(['stop', POD, '-f', fixture('stop', 'web-behind-service.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^POD {7}shop\/web-7d9f8b6c5-x2kqp on node-a$/m);
    assert.match(r.stdout, /^SERVICES {2}web$/m);
    assert.match(r.stdout, /^web-8xk2p +web +true +true +false$/m);
    assert.match(r.stdout, /VERDICT {3}TRAFFIC AT RISK: STOP001/);
    assert.match(r.stdout, /WARNING +STOP001 +behind Service web/);
  });

  it('holds the JSON contract (DESIGN.md §3 Stop result)', () => {
    const r = runCli(['stop', POD, '-f', fixture('stop', 'web-with-sidecars.json'), '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = parseValid(r.stdout) as StopResult;
    assert.deepEqual(Object.keys(j).slice(0, 9), ['$schema', 'schemaVersion', 'pod', 'services', 'gracePeriodSeconds', 'preStopSeconds', 'timeline', 'exposureMs', 'findings']);
    assert.equal(j.schemaVersion, 1);
    assert.deepEqual(j.pod, { namespace: 'shop', name: POD });
    assert.deepEqual(j.services, ['web']);
    assert.equal(j.gracePeriodSeconds, 30);
    assert.equal(j.preStopSeconds, 15);
    assert.equal(j.timeline, null);
    assert.equal(j.exposureMs, null);
    assert.deepEqual(j.findings, []);
  });

  it('gates on --fail-on', () => {
    const r = runCli(['stop', POD, '-f', fixture('stop', 'web-behind-service.json'), '--fail-on', 'warning', '-o', 'json']);
    assert.equal(r.code, 1);
  });

  it('refuses --delete without --yes off a terminal (exit 2), and tracing offline input', () => {
    const kc = fixture('stop', 'web-behind-service.json');
    const off = runCli(['stop', POD, '-f', kc, '--watch']);
    assert.equal(off.code, 2);
    assert.match(off.stderr, /cannot read --from or -f/);
    const yes = runCli(['stop', POD, '-f', kc, '--yes']);
    assert.equal(yes.code, 2);
    assert.match(yes.stderr, /--yes only confirms --delete/);
  });

  describe('live trace against a fake API server', () => {
    before(() => nock.enableNetConnect('127.0.0.1'));
    after(() => nock.disableNetConnect());

    it('refuses --delete without --yes when not on a terminal, and deletes nothing', async () => {
      const fc = new FakeCluster({ terminatingMs: 20, killedMs: 200, goneMs: 300 });
      const kubeconfig = await fc.start();
      try {
        const r = await runCliAsync(['stop', POD, '-n', 'shop', '--delete', '--kubeconfig', kubeconfig]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /--delete needs --yes when not run on a terminal/);
        assert.equal(fc.deletedAt, null);
        assert.ok(!fc.api.seen.some((s) => s.method === 'DELETE'));
      } finally {
        await fc.api.stop();
      }
    });

    it('--delete --yes deletes exactly the pod (uid precondition) and prints the timeline in the order things happened', async () => {
      const fc = new FakeCluster({ terminatingMs: 40, killedMs: 400, goneMs: 600 });
      const kubeconfig = await fc.start();
      let r;
      try {
        r = await runCliAsync(['stop', POD, '-n', 'shop', '--delete', '--yes', '--kubeconfig', kubeconfig, '-o', 'json', '--timeout', '20s']);
      } finally {
        await fc.api.stop();
      }
      assert.equal(r.code, 0, r.stderr); // STOP001 is a warning, under the default --fail-on critical
      const dels = fc.api.seen.filter((s) => s.method === 'DELETE');
      assert.equal(dels.length, 1);
      assert.equal(dels[0]!.path, `/api/v1/namespaces/shop/pods/${POD}`);
      assert.deepEqual(JSON.parse(dels[0]!.body), { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: '6f1c2a9e-4b7d-4c1e-9a53-2d8e0f7b1c11' } });
      // Only the slices of the pod's Services are watched.
      const sliceWatch = fc.api.seen.find((s) => s.path === '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices' && s.query.get('watch') === '1');
      assert.equal(sliceWatch?.query.get('labelSelector'), 'kubernetes.io/service-name in (web)');
      assert.equal(sliceWatch?.query.get('allowWatchBookmarks'), 'true');
      const j = parseValid(r.stdout) as StopResult;
      const tl = j.timeline!;
      assert.deepEqual(Object.keys(tl[0]!).slice(0, 3), ['offsetMs', 'what', 'object']);
      assert.deepEqual(tl.map((e) => e.what.replace(/[:(].*$/, '').trim()), [
        'deletion requested',
        'deletionTimestamp set',
        'endpoint ready=false serving=true terminating=true',
        'endpoint no longer routable in any EndpointSlice',
        'pod Ready=False',
        'container web terminated',
        'endpoint ready=false serving=false terminating=true',
        'pod gone from the API',
        'endpoint removed',
      ]);
      // Offsets follow the fake control plane's schedule (40, 400, 600 ms after it got the DELETE);
      // no upper bound: timers run late on a loaded machine.
      const at = (w: string) => tl.find((e) => e.what.startsWith(w))!.offsetMs;
      assert.ok(at('endpoint ready=false serving=true') >= 39);
      assert.ok(at('container web terminated') >= 399);
      assert.ok(at('pod gone') >= 599);
      assert.equal(j.exposureMs, at('endpoint no longer routable'));
      assert.equal(j.verdict?.controlPlaneOnly, true);
      assert.equal(j.verdict?.ended, 'gone');
      assert.match(j.unavailable.find((u) => u.input === 'kube-proxy-metrics')!.reason, /connection refused.*metricsBindAddress: 0\.0\.0\.0:10249/);
    });

    it('--watch waits for someone else to delete the pod', async () => {
      const fc = new FakeCluster({ terminatingMs: 30, killedMs: 300, goneMs: 400 });
      const kubeconfig = await fc.start();
      const poll = setInterval(() => {
        if (fc.watching && fc.deletedAt === null) fc.deleteNow();
      }, 100);
      let r;
      try {
        r = await runCliAsync(['stop', POD, '-n', 'shop', '--watch', '--kubeconfig', kubeconfig, '--timeout', '20s']);
      } finally {
        clearInterval(poll);
        await fc.api.stop();
      }
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!fc.api.seen.some((s) => s.method === 'DELETE'));
      assert.match(r.stdout, /^\+0 ms +deletionTimestamp set/m);
      assert.match(r.stdout, /pod gone from the API/);
      assert.match(r.stdout, /VERDICT {3}TRAFFIC AT RISK: new connections could still reach the pod for \d+ ms/);
    });

    it('ends at --timeout with what it saw when nobody deletes the pod', async () => {
      const fc = new FakeCluster({ terminatingMs: 30, killedMs: 300, goneMs: 400 });
      const kubeconfig = await fc.start();
      let r;
      try {
        r = await runCliAsync(['stop', POD, '-n', 'shop', '--watch', '--kubeconfig', kubeconfig, '--timeout', '1s', '-o', 'json']);
      } finally {
        await fc.api.stop();
      }
      assert.equal(r.code, 0, r.stderr);
      const j = parseValid(r.stdout) as StopResult;
      assert.deepEqual(j.timeline, []);
      assert.equal(j.exposureMs, null);
      assert.equal(j.verdict?.ended, 'timeout');
    });
    it('Ctrl-C prints the timeline so far', async () => {
      const fc = new FakeCluster({ terminatingMs: 30, killedMs: 8000, goneMs: 9000 });
      const kubeconfig = await fc.start();
      let child: ChildProcess | undefined;
      const poll = setInterval(() => {
        if (fc.watching && fc.deletedAt === null) {
          fc.deleteNow();
          setTimeout(() => child?.kill('SIGINT'), 400);
        }
      }, 100);
      let r;
      try {
        r = await runCliAsync(['stop', POD, '-n', 'shop', '--watch', '--kubeconfig', kubeconfig, '-o', 'json'], {}, (c) => (child = c));
      } finally {
        clearInterval(poll);
        await fc.api.stop();
      }
      assert.equal(r.code, 0, r.stderr);
      const j = parseValid(r.stdout) as StopResult;
      assert.equal(j.verdict?.ended, 'interrupted');
      assert.deepEqual(j.timeline!.map((e) => e.what.split(':')[0]), [
        'deletionTimestamp set',
        'endpoint ready=false serving=true terminating=true (marked terminating)',
        'endpoint no longer routable in any EndpointSlice',
      ]);
    });
    it('asks on a terminal before --delete, and deletes nothing when the answer is no (skipped where util-linux script(1), which provides the terminal, is missing)', async function () {
      if (!existsSync('/usr/bin/script')) this.skip(); // util-linux script(1) gives the CLI a terminal
      const fc = new FakeCluster({ terminatingMs: 20, killedMs: 200, goneMs: 300 });
      const kubeconfig = await fc.start();
      const cmd = [process.execPath, path.join(ROOT, 'bin', 'run.js'), 'stop', POD, '-n', 'shop', '--delete', '--kubeconfig', kubeconfig].map((a) => `'${a}'`).join(' ');
      let out = '';
      let code = -1;
      try {
        await new Promise<void>((resolve) => {
          const child = spawn('/usr/bin/script', ['-qec', cmd, '/dev/null'], { env: { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1' } });
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString('utf8');
            if (out.includes('[y/N]') && !child.stdin.writableEnded) child.stdin.end('n\n');
          });
          child.on('close', (c) => ((code = c ?? -1), resolve()));
        });
      } finally {
        await fc.api.stop();
      }
      assert.match(out, /Delete pod shop\/web-7d9f8b6c5-x2kqp \(grace period 30 s\) and trace it\? \[y\/N\]/);
      assert.match(out, /not deleted: the answer was not yes/);
      assert.equal(code, 2);
      assert.equal(fc.deletedAt, null);
    });
  });
});
