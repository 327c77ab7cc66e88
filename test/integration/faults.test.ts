/**
 * The fault matrix against the real control plane (issue 15): a cluster of its own, broken on
 * purpose while podscope runs. An audit webhook in blocking mode (cluster/faults.ts AuditGate)
 * holds one chosen request before the API server serves it, so "between page 1 and page 2" is
 * exact, not a race. Each case asserts podscope's exit code and output and records what it saw
 * in the matrix printed at the end (docs/security.md "Faults on the real control plane" quotes
 * it). Every podscope run is its own user, and the audit log proves they only read.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { runCliAsync, type CliResult } from '../helpers/cli.js';
import { auditLogPath, auditOffset, countBy, readAudit, requestKey, userKubeconfig, type AuditEvent } from './cluster/audit.js';
import { AuditGate, GATE_AUDIT_POLICY_YAML, compactEtcd, killComponent, signalComponent, startComponent } from './cluster/faults.js';
import { startCluster, stopCluster, type Cluster } from './cluster/harness.js';
import { killProcessesNow } from './cluster/processes.js';
import { newNamespace, waitFor } from './helpers.js';

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
      if (k !== 'apf') kubeconfigs[k] = userKubeconfig(c, USERS[k]);
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
    assert.ok(r.ms < 3000 + 4000, `ended after ${r.ms} ms`);
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
});
