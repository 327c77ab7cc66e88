import assert from 'node:assert/strict';
import type { AnatomyResult } from '../../src/analysis/anatomy/types.js';
import { PodscopeError } from '../../src/errors.js';
import { podNameOf, resolvePod } from '../../src/gather/pod.js';
import type { PodCommand, PodRequest } from '../../src/gather/pod.js';
import type { ClusterSource } from '../../src/source/types.js';
import { fixture, runCli } from '../helpers/cli.js';
import { MemorySource, pod } from './memory-source.js';

// The one set of tests of the pod resolver shared by inspect, schedule and stop (src/gather/pod.ts).

const SHOP = [pod('shop', 'web-7d9f-abcde', 'n1'), pod('shop', 'web-7d9f-fghij'), pod('shop', 'api-0', 'n2'), pod('lab', 'api-0', 'n1')];

/** The one line and hint a resolve fails with, and its exit code. */
async function failure(source: ClusterSource, req: PodRequest): Promise<string> {
  try {
    await resolvePod(source, req);
  } catch (err) {
    assert.ok(err instanceof PodscopeError, String(err));
    return `${err.exitCode} ${err.message} | ${err.hint ?? ''}`;
  }
  assert.fail('resolved');
}

const resolved = async (source: ClusterSource, req: PodRequest) => {
  const p = await resolvePod(source, req);
  return `${p.metadata?.namespace}/${p.metadata?.name}`;
};

const COMMANDS: PodCommand[] = ['inspect', 'schedule', 'stop'];

describe('pod resolver (inspect, schedule, stop)', () => {
  it('reads NAME, pod/NAME and pods/NAME alike, and refuses other kinds', () => {
    assert.equal(podNameOf('web'), 'web');
    assert.equal(podNameOf('pod/web'), 'web');
    assert.equal(podNameOf('pods/web'), 'web');
    assert.equal(podNameOf(undefined), undefined);
    assert.throws(() => podNameOf('deploy/web'), /"deploy\/web" is not a pod/);
    assert.throws(() => podNameOf('a/b/c'), /is not a pod/);
  });

  for (const command of COMMANDS) {
    it(`${command}: the same rules and messages`, async () => {
      const live = () => new MemorySource({ pods: SHOP }, 'shop');
      const offline = () => new MemorySource({ pods: SHOP }, undefined);
      // By name, in the context's namespace live (one GET), in -n, or offline wherever it is.
      const s = live();
      assert.equal(await resolved(s, { command, pod: 'pod/api-0' }), 'shop/api-0');
      assert.deepEqual(s.calls, ['get shop/api-0']);
      assert.equal(await resolved(live(), { command, pod: 'pods/api-0', namespace: 'lab' }), 'lab/api-0');
      assert.equal(await resolved(offline(), { command, pod: 'web-7d9f-abcde' }), 'shop/web-7d9f-abcde');
      // Not found: one style; candidates whose name starts with the given one come first.
      assert.equal(
        await failure(live(), { command, pod: 'web' }),
        '3 pod shop/web not found | pods in shop: web-7d9f-abcde, web-7d9f-fghij, api-0; pass -n NAMESPACE for another namespace',
      );
      assert.equal(await failure(live(), { command, pod: 'web', namespace: 'empty' }), '3 pod empty/web not found | namespace empty has no pods');
      assert.equal(
        await failure(offline(), { command, pod: 'nope' }),
        '3 pod "nope" not found in the input | pods there: shop/web-7d9f-abcde, shop/web-7d9f-fghij, shop/api-0, lab/api-0',
      );
      assert.equal(await failure(offline(), { command, pod: 'api-0' }), '2 pod "api-0" is in several namespaces: shop/api-0, lab/api-0 | pick one with -n NAMESPACE');
      // Anything but not-found keeps the source's reason and fix.
      const forbidden = new MemorySource({ pods: SHOP }, 'shop', { input: 'pod', kind: 'forbidden', reason: 'forbidden: get pods in namespace "shop"', fix: 'grant get on pods' });
      assert.equal(await failure(forbidden, { command, pod: 'api-0' }), '3 pod shop/api-0: forbidden: get pods in namespace "shop" | grant get on pods');
      // No name: the only pod in scope (a -f file with one workload), else a list of candidates.
      assert.equal(await resolved(offline(), { command, namespace: 'lab' }), 'lab/api-0');
      assert.equal(await failure(new MemorySource({}, undefined), { command }), `3 the input holds no pods | -f takes a Pod, a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) or a List`);
      assert.equal(await failure(live(), { command, namespace: 'empty' }), '3 namespace empty holds no pods | name the pod, or pass -n NAMESPACE');
    });
  }

  it('without a name, schedule takes the only Pending pod and lists Pending ones first; the others ask', async () => {
    const s = new MemorySource({ pods: SHOP }, 'shop');
    assert.equal(await resolved(s, { command: 'schedule' }), 'shop/web-7d9f-fghij');
    assert.deepEqual(s.calls, ['list pods shop']);
    const two = new MemorySource({ pods: [...SHOP, pod('shop', 'db-1')] }, 'shop');
    assert.equal(
      await failure(two, { command: 'schedule' }),
      '2 name the pod to schedule: namespace shop holds 4 pods, 2 of them Pending | e.g. podscope schedule web-7d9f-fghij (pods: shop/web-7d9f-fghij (Pending), shop/db-1 (Pending), shop/web-7d9f-abcde, shop/api-0)',
    );
    assert.equal(
      await failure(two, { command: 'stop' }),
      '2 name the pod to stop: namespace shop holds 4 pods | e.g. podscope stop web-7d9f-abcde (pods: shop/web-7d9f-abcde, shop/web-7d9f-fghij, shop/api-0, shop/db-1)',
    );
  });

  it('lists at most ten candidates', async () => {
    const many = new MemorySource({ pods: Array.from({ length: 13 }, (_, i) => pod('ns', `p${i}`, 'n')) }, undefined);
    assert.match(await failure(many, { command: 'inspect' }), /p9, \.\.\. \(3 more\)\)$/);
  });
});

describe('pod resolver through the CLI', () => {
  const PENDING = fixture('schedule', 'pending-memory.json');

  it('every command prints the same not-found line and exits 3', () => {
    for (const command of COMMANDS) {
      const r = runCli([command, 'nope', '-f', PENDING]);
      assert.equal(r.code, 3, `${command}: ${r.stderr}`);
      assert.match(r.stderr, /^podscope: pod "nope" not found in the input\n {2}hint: pods there: shop\/db-0, shop\/cache-5f7c9d-abcde, /, command);
      const n = runCli([command, 'nope', '-n', 'shop', '-f', PENDING]);
      assert.equal(n.code, 3, `${command}: ${n.stderr}`);
      assert.match(n.stderr, /^podscope: pod shop\/nope not found\n {2}hint: pods in shop: db-0, cache-5f7c9d-abcde, batch-29381-xyz, web-6c9f7b8d4-q2x7z\n$/, command);
      const snap = runCli([command, 'nope', '-n', 'shop', '--from', fixture('schedule', 'shop-snapshot')]);
      assert.equal(snap.code, 3, `${command}: ${snap.stderr}`);
      assert.match(snap.stderr, /^podscope: pod shop\/nope not found\n {2}hint: pods in shop: [a-z0-9-]+, /, command);
    }
  });

  it('pod/NAME works in all three', () => {
    for (const command of COMMANDS) {
      const r = runCli([command, 'pod/web-6c9f7b8d4-q2x7z', '-f', PENDING, '-o', 'json']);
      assert.ok(r.code === 0 || r.code === 1, `${command}: ${r.stderr}`);
      assert.deepEqual((JSON.parse(r.stdout) as { pod: unknown }).pod, { namespace: 'shop', name: 'web-6c9f7b8d4-q2x7z' }, command);
    }
  });

  it('-f with one workload needs no name in any of them (stop -f deploy.yaml like inspect -f)', () => {
    for (const command of ['inspect', 'stop']) {
      const r = runCli([command, '-f', fixture('files', 'deploy.yaml'), '-o', 'json']);
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      assert.deepEqual((JSON.parse(r.stdout) as { pod: unknown }).pod, { namespace: 'shop', name: 'web' }, command);
    }
    const stop = JSON.parse(runCli(['stop', '-f', fixture('files', 'deploy.yaml'), '-o', 'json']).stdout) as { services: string[] };
    assert.deepEqual(stop.services, ['web'], 'the Service of the file selects the template pod');
    // schedule: the only Pending pod of a file that also holds bound pods and nodes.
    const s = runCli(['schedule', '-f', PENDING, '-o', 'json']);
    assert.equal(s.code, 1, s.stderr);
    assert.deepEqual((JSON.parse(s.stdout) as { pod: unknown }).pod, { namespace: 'shop', name: 'web-6c9f7b8d4-q2x7z' });
  });

  it('asks for a name when the file holds several pods, and finds it by name', () => {
    const r = runCli(['inspect', '-f', fixture('inspect', 'two-deployments.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^podscope: name the pod to inspect: the input holds 2 pods\n {2}hint: e\.g\. podscope inspect api \(pods: shop\/api, shop\/web\)\n$/);
    const ok = runCli(['inspect', 'api', '-f', fixture('inspect', 'two-deployments.yaml'), '-o', 'json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as AnatomyResult).pod.name, 'api');
    const st = runCli(['stop', '-f', PENDING]);
    assert.equal(st.code, 2);
    assert.match(st.stderr, /^podscope: name the pod to stop: the input holds 5 pods\n {2}hint: e\.g\. podscope stop db-0 \(pods: shop\/db-0, /);
  });

  it('refuses a workload reference with a hint', () => {
    const r = runCli(['stop', 'deploy/web', '-f', fixture('files', 'app.yaml')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'podscope: "deploy/web" is not a pod\n  hint: name a pod: NAME or pod/NAME (kubectl get pods lists them)\n');
  });
});
