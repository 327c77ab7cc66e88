/**
 * `npm run bench:live`: podscope against the real control plane at scale (test/integration/cluster),
 * beside kubectl v1.36.3 measured in the same run. Starts its own cluster with BENCH_NODES kwok
 * nodes (default 1,000) and BENCH_PODS pods (default 10,000; Deployments of BENCH_PODS/10 replicas
 * in 10 namespaces, each behind a Service), then prints one table: wall time and peak RSS per
 * command, and the requests each podscope command made (from the API server's audit log).
 * Heavy (minutes, GBs): not part of `.ci/run`. Stops the cluster at the end and on Ctrl-C.
 * BENCH_POPULATE_ONLY=1 starts and fills a cluster and leaves it running (as `cluster:up` does);
 * BENCH_REUSE=1 measures on that cluster (filling what is missing), then stops it unless
 * BENCH_KEEP=1. BENCH_ONLY=pleg,schedule (any of check, schedule, inspect, snapshot, pleg) measures
 * only those parts. See test/integration/cluster/README.md for every variable.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { auditedRun, countBy, userKubeconfig } from '../test/integration/cluster/audit.js';
import { binaries } from '../test/integration/cluster/binaries.js';
import {
  addNodes,
  attachCluster,
  findRunningUpCluster,
  startCluster,
  startKubeletFront,
  stopCluster,
  stopKubeletFront,
  type Cluster,
} from '../test/integration/cluster/harness.js';
import { waitFor } from '../test/integration/cluster/wait.js';
import { signalComponent } from '../test/integration/cluster/faults.js';
import { fmt, medianOf, ratio, timeParallel, timeProcess, type Timed } from './live-lib.js';

const ROOT = join(import.meta.dirname, '..');
const NODES = Number(process.env.BENCH_NODES ?? 1000);
const PODS = Number(process.env.BENCH_PODS ?? 10000);
const NAMESPACES = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LIMIT_MS = Number(process.env.BENCH_LIMIT_S ?? 600) * 1000;
const USER = 'podscope-bench';
const PARTS = ['check', 'schedule', 'inspect', 'snapshot', 'pleg'] as const;
const ONLY = (process.env.BENCH_ONLY ?? PARTS.join(',')).split(',').map((x) => x.trim()).filter(Boolean);
const bad = ONLY.filter((x) => !(PARTS as readonly string[]).includes(x));
if (bad.length) throw new Error(`BENCH_ONLY: unknown part ${bad.join(', ')} (parts: ${PARTS.join(', ')})`);
const want = (part: (typeof PARTS)[number]) => ONLY.includes(part);
const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;

const log = (line: string) => process.stderr.write(`[bench:live ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const rows: string[][] = [];
const budgets: string[] = [];

/** RSS in MiB of one of the cluster's processes, from /proc. */
function rssOf(c: Cluster, name: string): number {
  const pid = c.state.procs.find((p) => p.name === name)?.pid;
  const m = pid ? /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8')) : null;
  return m ? Number(m[1]) / 1024 : NaN;
}

async function populate(c: Cluster): Promise<void> {
  let t = Date.now();
  const core = c.kc.makeApiClient(CoreV1Api);
  const apps = c.kc.makeApiClient(AppsV1Api);
  const have = new Set((await core.listNode()).items.map((n) => n.metadata?.name));
  const extra = Array.from({ length: Math.max(0, NODES - 3) }, (_, i) => `kwok-bench-${i}`).filter((n) => !have.has(n));
  for (let i = 0; i < extra.length; i += 100) {
    await addNodes(c, extra.slice(i, i + 100).map((name) => ({ name, capacity: { cpu: '32', memory: '128Gi', pods: '110' } })));
  }
  log(`${NODES} nodes Ready in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  t = Date.now();
  const per = Math.ceil(PODS / NAMESPACES);
  const haveNs = new Set((await core.listNamespace()).items.map((n) => n.metadata?.name));
  for (let i = 0; i < NAMESPACES; i++) {
    const namespace = `bench-${i}`;
    if (haveNs.has(namespace)) continue;
    const labels = { app: `app-${i}` };
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedService({ namespace, body: { metadata: { name: `app-${i}` }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } } });
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: `app-${i}` },
        spec: {
          replicas: per,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              terminationGracePeriodSeconds: 5,
              containers: [{ name: 'app', image: 'registry.invalid/app:1', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
            },
          },
        },
      },
    });
  }
  let last = -1;
  await waitFor(
    `${per * NAMESPACES} pods Ready`,
    async () => {
      const ready = (await apps.listDeploymentForAllNamespaces()).items.reduce((s, d) => s + (d.status?.readyReplicas ?? 0), 0);
      if (ready !== last) log(`${ready}/${per * NAMESPACES} pods Ready`);
      last = ready;
      return ready >= per * NAMESPACES;
    },
    45 * 60_000,
  );
  log(`${per * NAMESPACES} pods Ready in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  if ((await core.listNamespacedPod({ namespace: 'bench-0', fieldSelector: 'metadata.name=pending-0' })).items.length) return;
  await core.createNamespacedPod({
    namespace: 'bench-0',
    body: { metadata: { name: 'pending-0' }, spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1', resources: { requests: { cpu: '1000' } } }] } },
  });
  await waitFor('FailedScheduling of pending-0', async () =>
    (await core.listNamespacedEvent({ namespace: 'bench-0', fieldSelector: 'involvedObject.name=pending-0' })).items.some((e) => e.reason === 'FailedScheduling'),
  );
}

async function main(): Promise<void> {
  const bins = binaries();
  const running = process.env.BENCH_REUSE === '1' ? findRunningUpCluster() : undefined;
  if (process.env.BENCH_REUSE === '1' && !running) throw new Error('BENCH_REUSE=1: no cluster left running by BENCH_POPULATE_ONLY=1 or cluster:up');
  log(running ? `using the cluster at ${running.server}` : `starting the cluster; ${NODES} nodes, ${PODS} pods`);
  const c = running ? attachCluster(running) : await startCluster({ owner: process.env.BENCH_POPULATE_ONLY === '1' ? 'up' : 'test', log });
  if (process.env.BENCH_POPULATE_ONLY === '1') {
    await populate(c);
    log(`populated; left running: export KUBECONFIG=${c.kubeconfig}`);
    return;
  }
  const keep = running !== undefined && process.env.BENCH_KEEP === '1';
  const stop = async () => {
    if (keep) await startKubeletFront(c);
    else await stopCluster(c);
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  const out = mkdtempSync(join(tmpdir(), 'podscope-bench-live-'));
  try {
    // BENCH_SKIP_POPULATE=1 (with BENCH_REUSE=1): measure the cluster as it is.
    if (process.env.BENCH_SKIP_POPULATE !== '1') await populate(c);
    const core = c.kc.makeApiClient(CoreV1Api);
    const nodeNames = (await core.listNode()).items.map((n) => n.metadata!.name!);
    const deployments = (await c.kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces()).items;
    const readyPods = deployments.reduce((s, d) => s + (d.status?.readyReplicas ?? 0), 0);
    const kubeconfig = userKubeconfig(c, USER);
    const env = { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1', KUBECONFIG: kubeconfig };
    const adminEnv = { ...env, KUBECONFIG: c.kubeconfig };
    const podscope = (args: string[], stdout?: string) => timeProcess(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], env, LIMIT_MS, stdout);
    const kubectl = (args: string[]) => timeProcess(bins.kubectl, args, adminEnv, LIMIT_MS);
    /** One audited podscope run (its requests counted), then RUNS-1 more for the median. */
    const measured = async (label: string, args: string[], runs = 1, stdout?: string): Promise<Timed> => {
      const { result, events } = await auditedRun(c, USER, () => podscope(args, stdout));
      budgets.push(`${label}: ${events.length} requests ${JSON.stringify(countBy(events))}`);
      const all = [result];
      for (let i = 1; i < runs; i++) all.push(await podscope(args));
      return all.sort((a, b) => a.ms - b.ms)[Math.floor(all.length / 2)]!;
    };
    const server = `apiserver ${rssOf(c, 'kube-apiserver').toFixed(0)} MiB, etcd ${rssOf(c, 'etcd').toFixed(0)} MiB, kwok ${rssOf(c, 'kwok').toFixed(0)} MiB RSS`;
    log(`populated: ${nodeNames.length} nodes, ${readyPods} pods Ready; ${server}; ${load()}`);
    const row = (cells: string[]) => {
      rows.push([...cells, load()]);
      log(cells.join(' | '));
    };

    if (want('check')) {
      const check = await measured('check -A', ['check', '-A', '-o', 'json'], RUNS);
      const kGet = await medianOf(RUNS, () => kubectl(['get', 'nodes,pods,events,services,endpointslices', '-A', '-o', 'json']));
      const raws = ['/api/v1/nodes', '/api/v1/pods', '/api/v1/events', '/api/v1/services', '/apis/discovery.k8s.io/v1/endpointslices'];
      const kRaw = await medianOf(RUNS, () => timeParallel(raws.map((p) => ({ cmd: bins.kubectl, args: ['get', '--raw', p] })), adminEnv, LIMIT_MS));
      row(['`check -A -o json`', fmt(check), `kubectl get nodes,pods,events,services,endpointslices -A -o json: ${fmt(kGet)} → ${ratio(check, kGet)} (target ≤ 0.5× time, RSS below)`]);
      row(['', '', `kubectl get --raw of the five lists in parallel: ${fmt(kRaw)} → ${ratio(check, kRaw)} (target ≤ 2.5× time)`]);
    }
    if (want('schedule')) {
      const ps = await measured('schedule', ['schedule', 'pending-0', '-n', 'bench-0', '-o', 'json'], RUNS);
      const k = await medianOf(RUNS, () =>
        timeParallel(
          [
            { cmd: bins.kubectl, args: ['get', 'pod', 'pending-0', '-n', 'bench-0', '-o', 'json'] },
            { cmd: bins.kubectl, args: ['get', 'nodes', '-o', 'json'] },
            { cmd: bins.kubectl, args: ['get', 'pods', '-A', '-o', 'json', '--field-selector', 'status.phase!=Succeeded,status.phase!=Failed'] },
            { cmd: bins.kubectl, args: ['get', 'events', '-n', 'bench-0', '-o', 'json', '--field-selector', 'involvedObject.name=pending-0'] },
          ],
          adminEnv,
          LIMIT_MS,
        ),
      );
      row(['`schedule pending-0 -n bench-0`', fmt(ps), `kubectl get of the pod, all nodes, all non-terminated pods and the pod's events, in parallel: ${fmt(k)} → ${ratio(ps, k)}`]);
    }
    if (want('inspect')) {
      const pod = (await core.listNamespacedPod({ namespace: 'bench-1', limit: 1 })).items[0]?.metadata?.name ?? 'none';
      const ps = await measured('inspect', ['inspect', pod, '-n', 'bench-1', '-o', 'json'], RUNS);
      const k = await medianOf(RUNS, () => kubectl(['describe', 'pod', pod, '-n', 'bench-1']));
      row([`\`inspect ${pod} -n bench-1\``, fmt(ps), `kubectl describe pod: ${fmt(k)} → ${ratio(ps, k)}`]);
    }
    if (want('snapshot')) {
      const snap = await measured('snapshot -A', ['snapshot', join(out, 'snap'), '-A', '-o', 'json']);
      const dump = await kubectl(['cluster-info', 'dump', '-A', '--output-directory', join(out, 'dump')]);
      row(['`snapshot -A`', fmt(snap), `kubectl cluster-info dump -A --output-directory: ${fmt(dump)} → ${ratio(snap, dump)}`]);
    }
    if (want('pleg')) {
      // The reference: the same kubelet calls (metrics and node log query of every node) through
      // the node proxy, 32 at a time, 5 s each, by one curl (no parsing, no analysis) ...
      const since = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const curlConfig = join(out, 'kubelet-calls.curl');
      writeFileSync(
        curlConfig,
        nodeNames
          .flatMap((n) => [`/api/v1/nodes/${n}/proxy/metrics`, `/api/v1/nodes/${n}/proxy/logs/?query=kubelet&sinceTime=${encodeURIComponent(since)}`])
          .map((path) => `url = "${c.state.server}${path}"\noutput = "/dev/null"\n`)
          .join(''),
      );
      const curlArgs = ['-s', '--parallel', '--parallel-max', '32', '-m', '5', '--cacert', c.pki.ca.cert, '--cert', c.pki.admin.cert, '--key', c.pki.admin.key, '-K', curlConfig];
      // ... while kubectl reads the three lists pleg reads (nodes, events, pods), unpaged.
      const lists = ['/api/v1/nodes', '/api/v1/events', '/api/v1/pods'].map((p) => ({ cmd: bins.kubectl, args: ['get', '--raw', p] }));
      const curl = () => timeParallel([{ cmd: 'curl', args: curlArgs }, ...lists], adminEnv, LIMIT_MS);
      const pleg = async (label: string, file: string, hang = false) => {
        const ps = await measured(label, ['pleg', '--all', '-o', 'json'], 1, join(out, file));
        if (hang) {
          // Every call would hang its 5 s: curl would take ceil(nodes/32) x 5 s or more, so it is not run.
          const full = Math.ceil(nodeNames.length / 32) * 5;
          row([`\`pleg --all -o json\`, ${label}`, `${fmt(ps)}; ${plegSummary(join(out, file))}`, `not run: every call hangs its 5 s, so the same calls 32 at a time take at least ${full} s (computed), which is also podscope's time without the shortened budget (target ≤ 30 s)`]);
          return;
        }
        const ref = await curl();
        row([`\`pleg --all -o json\`, ${label}`, `${fmt(ps)}; ${plegSummary(join(out, file))}`, `curl of the same ${nodeNames.length * 2} kubelet calls, 32 in parallel, beside kubectl get --raw of the nodes, events and pods lists: ${fmt(ref)} → ${(ps.ms / ref.ms).toFixed(2)}× time (target ≤ 30 s)`]);
      };
      await pleg('kubelets answering', 'pleg-answering.json');
      // A black-holed zone: the kubelet front frozen (SIGSTOP), so every proxied call hangs until
      // podscope's budget ends (no 503 comes back); the curl reference waits its 5 s per call too.
      signalComponent(c, 'kubelet-front', 'SIGSTOP');
      try {
        await pleg('no kubelet answering, calls hang (black-holed)', 'pleg-hang.json', true);
      } finally {
        signalComponent(c, 'kubelet-front', 'SIGCONT');
      }
      // No kubelet answers, refused: the API server's node proxy cannot reach any (503 "error trying to reach service").
      await stopKubeletFront(c);
      try {
        await pleg('no kubelet answering', 'pleg-none.json');
      } finally {
        if (keep) await startKubeletFront(c);
      }
    }

    console.log(`\n## bench:live — ${nodeNames.length} kwok nodes, ${readyPods} pods Ready in ${NAMESPACES} namespaces (${server} after populating)`);
    console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${load()} at the end; median of ${RUNS} where a reference is compared\n`);
    console.log('| command | podscope | reference (same run) | load average (1, 5, 15 min) after |\n|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log('\nRequests per podscope command (API server audit log):');
    for (const b of budgets) console.log(`- ${b}`);
  } finally {
    await stop();
    rmSync(out, { recursive: true, force: true });
  }
}

/** `1000 nodes {"healthy":1000}, 0 unreachable`: counts of `pleg -o json` output by status, and unreachable nodes. */
function plegSummary(file: string): string {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as { nodes?: { status?: string; unavailable?: { kind?: string }[] }[] };
    const nodes = r.nodes ?? [];
    const by: Record<string, number> = {};
    for (const n of nodes) by[n.status ?? '?'] = (by[n.status ?? '?'] ?? 0) + 1;
    const unreachable = nodes.filter((n) => n.unavailable?.some((u) => u.kind === 'unreachable')).length;
    return `${nodes.length} nodes ${JSON.stringify(by)}, ${unreachable} unreachable`;
  } catch (err) {
    return `(no JSON: ${String(err).slice(0, 80)})`;
  }
}

await main();
