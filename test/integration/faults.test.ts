/**
 * The fault matrix against the real control plane (issue 15): a cluster of its own, broken on
 * purpose while podscope runs. An audit webhook in blocking mode (cluster/faults.ts AuditGate)
 * holds one chosen request before the API server serves it, so "between page 1 and page 2" is
 * exact, not a race. Each case asserts podscope's exit code and output and records what it saw
 * in the matrix printed at the end (docs/security.md "Faults on the real control plane" quotes
 * it). Every podscope run is its own user, and the audit log proves they only read.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, FlowcontrolApiserverV1Api, RbacAuthorizationV1Api, type V1Pod } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { parseAllDocuments } from 'yaml';
import { ROOT, runCliAsync, type CliResult } from '../helpers/cli.js';
import { auditLogPath, auditOffset, countBy, readAudit, requestKey, userKubeconfig, type AuditEvent } from './cluster/audit.js';
import { AuditGate, GATE_AUDIT_POLICY_YAML, compactEtcd, killComponent, signalComponent, startComponent } from './cluster/faults.js';
import { addNodes, startCluster, stopCluster, type Cluster } from './cluster/harness.js';
import { httpsGet } from './cluster/kubeconfig.js';
import { clientCert } from './cluster/pki.js';
import { killProcessesNow } from './cluster/processes.js';
import { newNamespace, pod, waitFor, waitRunning } from './helpers.js';

/** More than two pages at podscope's page size (500, src/source/live.ts). */
const PODS = 1200;
const NAMESPACES = 3;
const READ_VERBS = new Set(['get', 'list', 'watch']);
const USERS = {
  freeze: 'podscope-fault-freeze',
  crash: 'podscope-fault-crash',
  compact: 'podscope-fault-compact',
  watch: 'podscope-fault-watch',
  pleg: 'podscope-fault-pleg',
  apf: 'podscope-fault-apf',
} as const;
/** The load that shares podscope's priority level (another flow of the same FlowSchema). */
const APF_LOAD_USER = 'podscope-fault-apf-load';

describe('fault matrix against the real control plane', function () {
  this.timeout(120_000);
  let c: Cluster | undefined;
  let gate: AuditGate | undefined;
  let auditFrom = 0;
  let outDir = '';
  let allPods = 0;
  const kubeconfigs: Partial<Record<keyof typeof USERS, string>> = {};
  const matrix: string[] = [];
  const killNow = () => c && killProcessesNow(c.state.procs);

  const cl = (): Cluster => {
    if (!c) throw new Error('no fault cluster');
    return c;
  };

  /** Runs podscope as `who`; returns its result and how long it took. */
  async function podscope(who: keyof typeof USERS, args: string[]): Promise<CliResult & { ms: number }> {
    const t = Date.now();
    const r = await runCliAsync(args, { env: { KUBECONFIG: kubeconfigs[who]! } });
    return { ...r, ms: Date.now() - t };
  }

  /** Like podscope(), with stderr handed to `onStderr` as it arrives (to act when podscope says it waits). */
  function podscopeLive(who: keyof typeof USERS, args: string[], onStderr: (text: string) => void): Promise<CliResult & { ms: number }> {
    const t = Date.now();
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], {
        env: { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1', KUBECONFIG: kubeconfigs[who]! },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString('utf8');
        onStderr(stderr);
      });
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t }));
    });
  }

  /** The first line podscope wrote to stderr. */
  const firstLine = (r: CliResult) => r.stderr.split('\n')[0] ?? '';

  /** A podscope error: exactly one `podscope:` line, at most one hint, no stack. */
  function oneErrorLine(r: CliResult, re: RegExp): void {
    assert.equal(r.code, 3, `exit ${r.code}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0] ?? '', re);
    assert.ok(lines.length <= 2 && (lines.length === 1 || lines[1]!.startsWith('  hint: ')), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }

  /** Pods of the snapshot in `dir` (its pods.jsonl), or null when no manifest says it is complete. */
  function snapshotPods(dir: string): number | null {
    if (!existsSync(join(dir, 'manifest.json'))) return null;
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { resources: Record<string, number> };
    const lines = readFileSync(join(dir, 'pods.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    assert.equal(manifest.resources.pods, lines, 'the manifest counts the lines written');
    return lines;
  }

  /** Holds `user`'s first paginated pods list at its second page (a `continue` token), before the server serves it. */
  const holdPage2 = (user: string) =>
    gate!.hold((ev) => ev.user.username === user && ev.verb === 'list' && ev.objectRef?.resource === 'pods' && /[?&]continue=/.test(ev.requestURI));

  /** `user`'s requests in the audit log since the suite began. */
  const eventsOf = (user: string): AuditEvent[] => readAudit(auditLogPath(cl()), auditFrom).filter((e) => e.user.username === user);

  before(async function () {
    this.timeout(300_000);
    process.once('exit', killNow);
    gate = await AuditGate.start();
    c = await startCluster({
      auditPolicy: GATE_AUDIT_POLICY_YAML,
      apiserverArgs: (dir) => [
        ...gate!.apiserverArgs(dir),
        // Priority and fairness on (components.ts turns it off for the shared cluster), with the usual limits.
        '--enable-priority-and-fairness=true',
        '--max-requests-inflight=400',
        '--max-mutating-requests-inflight=200',
      ],
    });
    auditFrom = auditOffset(auditLogPath(c));
    for (const k of Object.keys(USERS) as (keyof typeof USERS)[]) {
      // The APF user is an ordinary reader (system:masters would fall under the exempt FlowSchema).
      kubeconfigs[k] = k === 'apf' ? userKubeconfig(c, USERS[k], []) : userKubeconfig(c, USERS[k]);
    }
    outDir = mkdtempSync(join(tmpdir(), 'podscope-faults-'));
    const core = c.kc.makeApiClient(CoreV1Api);
    const limit = pLimit(16);
    // Never scheduled (no such scheduler): they cost the cluster nothing and make no events.
    const idle = (i: number): V1Pod => ({
      metadata: { name: `idle-${i}`, labels: { app: 'idle' } },
      spec: { schedulerName: 'podscope-faults-nobody', containers: [{ name: 'app', image: 'registry.invalid/idle:1' }] },
    });
    const t = Date.now();
    for (let n = 0; n < NAMESPACES; n++) {
      const ns = await newNamespace(c.kc, `faults${n}`);
      const per = PODS / NAMESPACES;
      await Promise.all(Array.from({ length: per }, (_, i) => limit(() => core.createNamespacedPod({ namespace: ns, body: idle(n * per + i) }))));
    }
    allPods = (await core.listPodForAllNamespaces()).items.length;
    process.stderr.write(`      ${allPods} pods created in ${Date.now() - t} ms\n`);
    assert.ok(allPods >= PODS);
  });

  after(async function () {
    this.timeout(60_000);
    process.stderr.write(`      fault matrix:\n${matrix.map((l) => `        ${l}\n`).join('')}`);
    if (c) await stopCluster(c);
    process.removeListener('exit', killNow);
    await gate?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('1a. kube-apiserver frozen (SIGSTOP) between page 1 and page 2 of the pods list: one line, exit 3 within --request-timeout, no snapshot; thawed, the next run is complete', async () => {
    const dir = join(outDir, 'freeze');
    const held = holdPage2(USERS.freeze);
    const run = podscope('freeze', ['snapshot', dir, '-A', '--request-timeout', '3s']);
    await held.reached;
    signalComponent(cl(), 'kube-apiserver', 'SIGSTOP');
    held.release();
    let r;
    try {
      r = await run;
    } finally {
      signalComponent(cl(), 'kube-apiserver', 'SIGCONT');
    }
    oneErrorLine(r, /^podscope: the API server at https:\/\/127\.0\.0\.1:\d+ did not answer GET \/api\/v1\/pods: no answer within 3s \(--request-timeout, retries included\)$/);
    // The 3 s budget plus podscope's start-up and the first lists (up to 6.6 s measured at load average 16).
    assert.ok(r.ms < 3000 + 8000, `ended after ${r.ms} ms`);
    assert.equal(snapshotPods(dir), null, 'no manifest: nothing claims to be a complete snapshot');
    matrix.push(`1a freeze mid-list: exit ${r.code} in ${r.ms} ms: ${firstLine(r)}`);

    const again = await podscope('freeze', ['snapshot', join(outDir, 'freeze-again'), '-A']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(snapshotPods(join(outDir, 'freeze-again')), allPods);
    matrix.push(`1a thawed: exit ${again.code} in ${again.ms} ms, ${allPods} pods`);
  });

  it('1b. kube-apiserver killed between page 1 and page 2: one line, exit 3 at once, no snapshot; started again, the next run is complete', async () => {
    const dir = join(outDir, 'crash');
    const held = holdPage2(USERS.crash);
    const run = podscope('crash', ['snapshot', dir, '-A']);
    await held.reached;
    await killComponent(cl(), 'kube-apiserver');
    held.release();
    const r = await run;
    const t = Date.now();
    await startComponent(cl(), 'kube-apiserver');
    const restartMs = Date.now() - t;
    oneErrorLine(r, /^podscope: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
    assert.ok(r.ms < 10_000, `ended after ${r.ms} ms`);
    assert.equal(snapshotPods(dir), null, 'no manifest: nothing claims to be a complete snapshot');
    matrix.push(`1b kill mid-list: exit ${r.code} in ${r.ms} ms: ${firstLine(r)}`);

    const again = await podscope('crash', ['snapshot', join(outDir, 'crash-again'), '-A']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(snapshotPods(join(outDir, 'crash-again')), allPods);
    matrix.push(`1b restarted (ready in ${restartMs} ms): exit ${again.code} in ${again.ms} ms, ${allPods} pods`);
  });

  it('2. etcd compacted between page 1 and page 2: the continue token expires (410), podscope lists once more from the start and is complete', async () => {
    const dir = join(outDir, 'compact');
    const core = cl().kc.makeApiClient(CoreV1Api);
    const held = holdPage2(USERS.compact);
    const run = podscope('compact', ['snapshot', dir, '-A', '--request-timeout', '60s']);
    await held.reached;
    // A token of our own from the same moment tells when the API server has dropped its list snapshots.
    const probe = (await core.listPodForAllNamespaces({ limit: 1 })).metadata?._continue;
    assert.ok(probe);
    const rev = await compactEtcd(cl());
    await waitFor(
      'the continue token to expire (410)',
      async () =>
        core.listPodForAllNamespaces({ limit: 1, _continue: probe }).then(
          () => false,
          (err: { code?: number }) => err.code === 410,
        ),
      40_000,
      500,
    );
    held.release();
    const r = await run;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(snapshotPods(dir), allPods, 'every pod, once');
    const lists = eventsOf(USERS.compact).filter((e) => e.verb === 'list' && e.objectRef?.resource === 'pods');
    const codes = lists.map((e) => `${/[?&]continue=/.test(e.requestURI) ? 'continue' : 'start'}:${e.responseStatus?.code}`);
    const pages = Math.ceil(allPods / 500);
    assert.deepEqual(codes, ['start:200', 'continue:410', 'start:200', ...Array(pages - 1).fill('continue:200')]);
    matrix.push(`2 compacted at revision ${rev}: exit ${r.code} in ${r.ms} ms, pods lists ${codes.join(' ')}, ${allPods} pods`);
  });
  it('3. kube-apiserver restarted during stop --watch: the watches come back; a deletion after they are back leaves no hole, one inside the gap is marked in the timeline', async function () {
    this.timeout(180_000);
    const kc = cl().kc;
    const core = kc.makeApiClient(CoreV1Api);
    const ns = await newNamespace(kc, 'faults-stop');
    await core.createNamespacedService({ namespace: ns, body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } } });
    for (const name of ['web-a', 'web-b', 'web-c']) {
      await core.createNamespacedPod({ namespace: ns, body: pod(name, { app: 'web' }, { terminationGracePeriodSeconds: 3 }) });
    }
    for (const name of ['web-a', 'web-b', 'web-c']) await waitRunning(kc, ns, name);
    const watches = ['pod', 'EndpointSlice', 'event'];
    const restartApiserver = async () => {
      await killComponent(cl(), 'kube-apiserver');
      const t = Date.now();
      await startComponent(cl(), 'kube-apiserver');
      return Date.now() - t;
    };
    /** Checks the progress lines: one when each watch broke, one when it was back. */
    const progress = (r: CliResult) => {
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /^podscope:/m, 'no error');
      for (const w of watches) {
        assert.equal(r.stderr.split('\n').filter((l) => new RegExp(`^${w} watch lost its connection after resourceVersion \\d+; reconnecting$`).test(l)).length, 1, `one line when the ${w} watch broke, not one per reconnect:\n${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^${w} watch back after [\\d.]+ s( \\(listed again: its resourceVersion had expired\\))?; changes in that window are timed when seen$`, 'm'));
      }
      assert.match(r.stdout, /pod gone from the API/);
      assert.match(r.stdout, /^VERDICT /m);
    };
    /** The timeline's gap entries: the watch, its offset and length (ms). */
    const gaps = (stdout: string) =>
      stdout.split('\n').flatMap((l) => {
        const m = /^([+-]?\d+) ms +(\S+) watch not connected for (\d+) ms/.exec(l);
        return m ? [{ watch: m[2]!, at: Number(m[1]), ms: Number(m[3]), line: l.trim().replace(/\s{2,}/g, '  ') }] : [];
      });

    // 3a: the API server restarts while podscope waits; the pod is deleted once every watch is back.
    let restartMs: Promise<number> | undefined;
    let deleted = false;
    const a = await podscopeLive('watch', ['stop', 'web-a', '-n', ns, '--watch', '--timeout', '90s'], (err) => {
      if (!restartMs && err.includes('waiting for pod')) restartMs = restartApiserver();
      if (!deleted && watches.every((w) => err.includes(`${w} watch back after`))) {
        deleted = true;
        void core.deleteNamespacedPod({ namespace: ns, name: 'web-a' });
      }
    });
    progress(a);
    const ga = gaps(a.stdout);
    assert.deepEqual(ga.map((g) => g.watch).sort(), ['EndpointSlice', 'event', 'pod'], `every watch's gap is in the timeline:\n${a.stdout}`);
    assert.ok(ga.every((g) => g.at < 0 && g.at + g.ms < 0), 'every gap closed before the deletion: nothing after +0 ms is late');
    assert.match(a.stdout, /^\+0 ms +deletionTimestamp set: .* \(grace 3 s\) +Pod\/web-a$/m);
    matrix.push(`3a apiserver restarted (ready in ${await restartMs} ms) during stop --watch, pod deleted after the watches were back: exit ${a.code} in ${a.ms} ms; gaps all before +0 ms, e.g. "${ga[0]!.line}"`);

    // 3b: the same, but the pod watch is held back (audit gate) until the pod is gone: the deletion falls in its gap.
    restartMs = undefined;
    let gone: Promise<void> | undefined;
    const b = await podscopeLive('watch', ['stop', 'web-b', '-n', ns, '--watch', '--timeout', '90s'], (err) => {
      if (gone || !err.includes('waiting for pod')) return;
      gone = (async () => {
        await killComponent(cl(), 'kube-apiserver');
        // Held from the first pods watch after the crash: the first watches were opened before it.
        const heldWatch = gate!.hold((ev) => ev.user.username === USERS.watch && ev.verb === 'watch' && ev.objectRef?.resource === 'pods');
        const t = Date.now();
        restartMs = startComponent(cl(), 'kube-apiserver').then(() => Date.now() - t);
        await restartMs;
        await heldWatch.reached;
        await core.deleteNamespacedPod({ namespace: ns, name: 'web-b' });
        await waitFor('web-b gone', () => core.readNamespacedPod({ namespace: ns, name: 'web-b' }).then(() => false, () => true), 30_000, 100);
        heldWatch.release();
      })();
    });
    await gone;
    progress(b);
    const gb = gaps(b.stdout);
    const podGap = gb.find((g) => g.watch === 'pod');
    assert.ok(podGap, `the pod watch's gap is in the timeline:\n${b.stdout}`);
    assert.match(podGap.line, /^-\d+ ms  pod watch not connected for \d+ ms( \(resourceVersion expired: listed again\))?: changes in this window are timed when podscope saw them  Pod\/web-b$/);
    // The pod watch was held until the pod was gone: it saw the deletion only as it came back (replayed, or by the relist).
    assert.ok(podGap.ms > 1000 && podGap.at + podGap.ms > -1000, JSON.stringify(podGap));
    assert.ok(b.stdout.indexOf('pod watch not connected') < b.stdout.indexOf('pod gone from the API'), 'the gap entry comes before what was seen late');
    matrix.push(`3b apiserver restarted (ready in ${await restartMs} ms), pod deleted while the pod watch was still away: exit ${b.code} in ${b.ms} ms; marked: "${podGap.line}"`);
  });

  it('4. kwok killed, then frozen, during pleg --all: every node reported unreachable, the run ends within ceil(nodes / --node-concurrency) x --node-timeout', async function () {
    this.timeout(180_000);
    await addNodes(cl(), Array.from({ length: 12 }, (_, i) => ({ name: `kwok-fault-${i}`, capacity: { cpu: '4', memory: '16Gi', pods: '110' } })));
    const nodes = 15;
    const args = ['pleg', '--all', '--node-timeout', '2s', '--node-concurrency', '4', '-o', 'json'];
    const bound = Math.ceil(nodes / 4) * 2000;
    // Killed first: its run (refused at once) measures podscope's start-up and lists on this machine now.
    let overhead = 0;
    for (const how of ['killed', 'frozen'] as const) {
      if (how === 'frozen') signalComponent(cl(), 'kwok', 'SIGSTOP');
      else await killComponent(cl(), 'kwok');
      let r;
      try {
        r = await podscope('pleg', args);
      } finally {
        if (how === 'frozen') signalComponent(cl(), 'kwok', 'SIGCONT');
        else await startComponent(cl(), 'kwok');
      }
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { nodes: { name: string; status: string; unavailable: { input: string; kind: string; reason: string }[] }[] };
      assert.equal(out.nodes.length, nodes);
      for (const n of out.nodes) {
        const u = n.unavailable.find((x) => x.kind === 'unreachable');
        assert.ok(u, `${n.name} not reported unreachable: ${JSON.stringify(n.unavailable)}`);
        assert.equal(n.status, 'degraded', n.name);
      }
      if (how === 'killed') overhead = r.ms;
      else assert.ok(r.ms <= bound + overhead + 3000, `${how}: ${r.ms} ms, bound ${bound} ms plus ${overhead} ms of start-up (the killed run) plus 3 s`);
      assert.ok(r.ms <= bound + 10_000, `${how}: ${r.ms} ms`);
      const sample = out.nodes[0]!.unavailable.find((x) => x.kind === 'unreachable')!.reason;
      matrix.push(`4 kwok ${how} during pleg --all (${nodes} nodes, --node-timeout 2s, --node-concurrency 4, bound ${bound} ms): exit ${r.code} in ${r.ms} ms, ${nodes}/${nodes} unreachable, e.g. "${sample}"`);
    }
  });

  it('5. API Priority and Fairness gives podscope\'s user a tiny share: the real server answers 429 with Retry-After, podscope waits and finishes complete', async function () {
    this.timeout(180_000);
    const kc = cl().kc;
    allPods = (await kc.makeApiClient(CoreV1Api).listPodForAllNamespaces()).items.length;
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const reader = parseAllDocuments(readFileSync(join(ROOT, 'deploy', 'rbac.yaml'), 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'ClusterRole' && d.metadata?.name === 'podscope-reader');
    await rbac.createClusterRole({ body: reader });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'podscope-fault-apf' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'podscope-reader' },
        subjects: [USERS.apf, APF_LOAD_USER].map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name })),
      },
    });
    const fc = kc.makeApiClient(FlowcontrolApiserverV1Api);
    await fc.createPriorityLevelConfiguration({
      body: {
        metadata: { name: 'podscope-tiny' },
        spec: { type: 'Limited', limited: { nominalConcurrencyShares: 1, lendablePercent: 0, borrowingLimitPercent: 0, limitResponse: { type: 'Reject' } } },
      },
    });
    await fc.createFlowSchema({
      body: {
        metadata: { name: 'podscope-tiny' },
        spec: {
          priorityLevelConfiguration: { name: 'podscope-tiny' },
          matchingPrecedence: 500,
          distinguisherMethod: { type: 'ByUser' },
          rules: [
            {
              subjects: [USERS.apf, APF_LOAD_USER].map((name) => ({ kind: 'User', user: { name } })),
              resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }],
              nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
            },
          ],
        },
      },
    });
    // The load: 12 loops listing every pod (about 1 MB each) as another user of the same priority level.
    const loadCert = clientCert(cl().state.dir, cl().pki.ca, `user-${APF_LOAD_USER}`, `/CN=${APF_LOAD_USER}`);
    const codes: Record<number, number> = {};
    let stop = false;
    const loops = Array.from({ length: 12 }, async () => {
      while (!stop) {
        const res = await httpsGet(`${cl().state.server}/api/v1/pods`, cl().pki.ca.cert, loadCert, 10_000).catch(() => ({ status: 0 }));
        codes[res.status] = (codes[res.status] ?? 0) + 1;
      }
    });
    try {
      await waitFor('the load to be throttled (429)', async () => (codes[429] ?? 0) > 0, 30_000, 100);
      // podscope starts under the load, which stops 6 s later; its Retry-After waits carry it over.
      const dir = join(outDir, 'apf');
      const run = podscope('apf', ['snapshot', dir, '-A']);
      await new Promise((res) => setTimeout(res, 6000));
      stop = true;
      const r = await run;
      await Promise.all(loops);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(snapshotPods(dir), allPods, 'complete');
      const mine = eventsOf(USERS.apf);
      const throttled = mine.filter((e) => e.responseStatus?.code === 429);
      assert.ok(throttled.length > 0, `podscope was never throttled: ${JSON.stringify(countBy(mine, (e) => String(e.responseStatus?.code)))}`);
      // APF's Retry-After is 1 to 32 s (apiserver util/flowcontrol/dropped_requests_tracker.go); podscope caps a wait at 10 s.
      const waits = throttled.map((e) => {
        const at = Date.parse(e.requestReceivedTimestamp);
        const next = mine.find((x) => x.requestURI === e.requestURI && Date.parse(x.requestReceivedTimestamp) > at);
        assert.ok(next, `no retry of ${e.requestURI}`);
        return Date.parse(next.requestReceivedTimestamp) - at;
      });
      assert.ok(waits.every((w) => w >= 900 && w <= 11_000), `waits before each retry: ${waits.join(', ')} ms`);
      // Each request's budget (--request-timeout 30s, waits included) bounds the run.
      assert.ok(r.ms < 60_000, `${r.ms} ms`);
      matrix.push(`5 APF tiny share (load ${JSON.stringify(codes)}): exit ${r.code} in ${r.ms} ms, ${throttled.length} of podscope's ${mine.length} requests answered 429, retried after ${waits.join(', ')} ms, ${allPods} pods`);
    } finally {
      stop = true;
      await Promise.all(loops);
    }
  });

  it('6. read-only, proven: every podscope run of this matrix made only get, list and watch requests (audit log)', () => {
    for (const user of Object.values(USERS)) {
      const events = eventsOf(user);
      assert.ok(events.length > 0, `no request of ${user} in the audit log`);
      const writes = events.filter((e) => !READ_VERBS.has(e.verb));
      assert.deepEqual(writes.map((e) => `${requestKey(e)} ${e.objectRef?.name ?? ''}`), [], `${user} wrote`);
      matrix.push(`6 ${user}: ${events.length} requests, ${JSON.stringify(countBy(events, (e) => e.verb))}`);
    }
  });
});
