/**
 * A real control plane for integration tests: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler (built from their Go modules by build.sh) and kwok faking the kubelets, all on
 * 127.0.0.1, with certificates and a kubeconfig in a fresh temp dir. Every process is recorded
 * by PID and stopped by PID.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { ensureBinaries, type Versions } from './binaries.js';
import * as c from './components.js';
import type { FrontConfig } from './kubelet-front.js';
import { httpGet, httpsGet, writeKubeconfig } from './kubeconfig.js';
import { kubeletMetric, kwokConfigYaml } from './kwok-config.js';
import { DEFAULT_NODES, KUBELET_PORT, nodeIP, nodeObject, type NodeSpec } from './nodes.js';
import { createPki, type Pki } from './pki.js';
import * as p from './processes.js';
import { waitFor } from './wait.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A running cluster. */
export interface Cluster {
  state: p.ClusterState;
  versions: Versions;
  /** Admin kubeconfig path (client cert in system:masters). */
  kubeconfig: string;
  kc: KubeConfig;
  pki: Pki;
  /** Whether this process started it (and so must stop it). */
  owned: boolean;
}

/** Options for startCluster. */
export interface StartOptions {
  owner?: 'up' | 'test';
  nodes?: NodeSpec[];
  log?: (line: string) => void;
  /** Flags appended to kube-apiserver's (a later flag wins), given the cluster's temp dir. */
  apiserverArgs?: (dir: string) => string[];
  /** The audit policy instead of AUDIT_POLICY_YAML. */
  auditPolicy?: string;
  /**
   * Kubernetes minor to run ("1.32"): an older minor pinned in versions-1.MINOR.env, built by
   * `build.sh --kubernetes 1.MINOR`. Default: the main version of versions.env (or
   * PODSCOPE_CLUSTER_KUBERNETES). Its kubelets answer as that minor's do (see kubelet-front.ts).
   */
  kubernetes?: string;
}

/** The Kubernetes minor a run asks for: the option, else PODSCOPE_CLUSTER_KUBERNETES, else the main one. */
export function requestedMinor(opt?: string): string | undefined {
  return opt ?? (process.env.PODSCOPE_CLUSTER_KUBERNETES || undefined);
}

const defaultLog = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

/** Start the whole control plane and the default kwok nodes; stops what it started if a step fails. */
export async function startCluster(opts: StartOptions = {}): Promise<Cluster> {
  const log = opts.log ?? defaultLog;
  const t0 = Date.now();
  const bins = ensureBinaries(requestedMinor(opts.kubernetes));
  const dir = mkdtempSync(join(tmpdir(), 'podscope-cluster-'));
  const pki = createPki(dir);
  const ports: c.Ports = {
    etcdClient: await p.freePort(),
    etcdPeer: await p.freePort(),
    apiserver: await p.freePort(),
    controllerManager: await p.freePort(),
    scheduler: await p.freePort(),
    kwok: await p.freePort(),
  };
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const kubeconfig = writeKubeconfig({
    path: join(dir, 'kubeconfig'),
    name: 'podscope-test',
    server,
    caFile: pki.ca.cert,
    client: pki.admin,
  });
  writeKubeconfig({
    path: join(dir, 'kube-controller-manager.kubeconfig'),
    name: 'kcm',
    server,
    caFile: pki.ca.cert,
    client: pki.controllerManager,
  });
  writeKubeconfig({ path: join(dir, 'kube-scheduler.kubeconfig'), name: 'sched', server, caFile: pki.ca.cert, client: pki.scheduler });
  writeFileSync(join(dir, 'kwok.yaml'), kwokConfigYaml(bins.kwokShare));
  writeFileSync(join(dir, 'kube-scheduler.yaml'), c.schedulerConfigYaml(dir));
  writeFileSync(join(dir, 'audit-policy.yaml'), opts.auditPolicy ?? c.AUDIT_POLICY_YAML);
  const state: p.ClusterState = {
    id: basename(dir),
    dir,
    kubeconfig,
    server,
    owner: opts.owner ?? 'test',
    ownerPid: process.pid,
    procs: [],
  };
  const start = (name: string, binary: string, args: string[], cwd = dir) => {
    const proc = p.startProcess(dir, name, binary, args, cwd);
    state.procs.push(proc);
    p.registerCluster(state);
    return proc;
  };
  const ready = async (proc: p.Proc, probe: () => Promise<boolean>, timeoutMs = 60_000) => {
    const t = Date.now();
    await waitFor(
      `${proc.name} ready`,
      async () => {
        if (!p.isRunning(proc)) throw new Error(`${proc.name} exited:\n${p.logTail(proc)}`);
        return probe().catch(() => false);
      },
      timeoutMs,
    );
    log(`${proc.name} ready in ${Date.now() - t} ms`);
  };
  const tlsOk = (url: string) => async () => (await httpsGet(url, pki.ca.cert, pki.admin)).status === 200;
  try {
    await ready(start('etcd', bins.etcd, c.etcdArgs(dir, ports)), async () =>
      (await httpGet(`http://127.0.0.1:${ports.etcdClient}/health`)).body.includes('"health":"true"'),
    );
    const frontConfig: FrontConfig = {
      socket: join(dir, 'kubelet-front.sock'),
      kwokPort: ports.kwok,
      kubeletPort: KUBELET_PORT,
      cert: pki.serving.cert,
      key: pki.serving.key,
      ca: pki.ca.cert,
      nodes: {},
      logsDir: join(dir, 'node-logs'),
      nodeLogQuery: nodeLogQueryByDefault(bins.versions.kubernetes),
    };
    writeFileSync(join(dir, 'kubelet-front.json'), JSON.stringify(frontConfig));
    writeFileSync(join(dir, 'egress-selector.yaml'), c.egressSelectorYaml(frontConfig.socket));
    const front = start('kubelet-front', process.execPath, frontArgs(dir), repoRoot);
    await ready(front, async () => readFileSync(front.log, 'utf8').includes('kubelet-front ready'));
    await ready(start('kube-apiserver', bins.kubeApiserver, [...c.apiserverArgs(dir, pki, ports), ...(opts.apiserverArgs?.(dir) ?? [])]), tlsOk(`${server}/readyz`), 120_000);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    await installKwokMetrics(kc, bins.kwokShare);
    await ready(
      start('kube-controller-manager', bins.kubeControllerManager, c.controllerManagerArgs(dir, pki, ports)),
      tlsOk(`https://127.0.0.1:${ports.controllerManager}/healthz`),
    );
    await ready(
      start('kube-scheduler', bins.kubeScheduler, c.schedulerArgs(dir, pki, ports)),
      tlsOk(`https://127.0.0.1:${ports.scheduler}/healthz`),
    );
    await ready(start('kwok', bins.kwok, c.kwokArgs(dir, pki, ports)), tlsOk(`https://127.0.0.1:${ports.kwok}/healthz`));
    const cluster: Cluster = { state, versions: bins.versions, kubeconfig, kc, pki, owned: true };
    await addNodes(cluster, opts.nodes ?? DEFAULT_NODES);
    await waitFor(
      'default service account',
      async () =>
        (await kc.makeApiClient(CoreV1Api).listNamespacedServiceAccount({ namespace: 'default' })).items.some(
          (sa) => sa.metadata?.name === 'default',
        ),
      60_000,
    );
    log(`cluster up in ${Date.now() - t0} ms: ${server}, kubeconfig ${kubeconfig}`);
    return cluster;
  } catch (err) {
    await p.stopProcesses(state.procs);
    p.unregisterCluster(state);
    log(`start failed; logs kept in ${dir}/logs`);
    throw err;
  }
}

/**
 * Whether that version's kubelets answer node log queries as deployed by default: NodeLogQuery is
 * beta and off by default in 1.30-1.32 (pkg/features/versioned_kube_features.go of v1.32.13), so a
 * 1.32 kubelet serves /var/log instead. The main version's front keeps answering them so the
 * PLEG tests can read kubelet logs.
 */
function nodeLogQueryByDefault(version: string): boolean {
  const minor = Number(/^v1\.(\d+)\./.exec(version)?.[1] ?? 'NaN');
  return !(minor <= 32);
}

/** The kubelet front's command line: run by this Node (24, from the npm `node` package) with tsx resolved from the repo. */
function frontArgs(dir: string): string[] {
  return ['--import', 'tsx', join(repoRoot, 'test/integration/cluster/kubelet-front.ts'), join(dir, 'kubelet-front.json')];
}

/**
 * Every kubelet down at once: stops the kubelet front, so the API server's node proxy cannot dial
 * any node and answers 503 "error trying to reach service". kwok keeps the nodes Ready (it posts
 * their status itself), as a real cluster does until the node monitor grace period passes.
 */
export async function stopKubeletFront(cluster: Pick<Cluster, 'state'>): Promise<void> {
  await p.stopProcesses(cluster.state.procs.filter((x) => x.name === 'kubelet-front'));
}

/** The kubelets back after stopKubeletFront: starts the front again on the same socket and re-records the cluster. */
export async function startKubeletFront(cluster: Pick<Cluster, 'state'>): Promise<void> {
  const { state } = cluster;
  const i = state.procs.findIndex((x) => x.name === 'kubelet-front');
  if (i < 0) throw new Error('this cluster has no kubelet front');
  if (p.isRunning(state.procs[i]!)) return;
  const readyLines = (log: string) => (readFileSync(log, 'utf8').match(/kubelet-front ready/g) ?? []).length;
  const before = readyLines(state.procs[i]!.log);
  const proc = p.startProcess(state.dir, 'kubelet-front', process.execPath, frontArgs(state.dir), repoRoot);
  state.procs[i] = proc;
  p.registerCluster(state);
  await waitFor('kubelet-front ready again', async () => {
    if (!p.isRunning(proc)) throw new Error(`kubelet-front exited:\n${p.logTail(proc)}`);
    return readyLines(proc.log) > before;
  });
}

/** Install kwok's Metric CRD and the Metric that serves every node's kubelet metrics. */
async function installKwokMetrics(kc: KubeConfig, shareDir: string): Promise<void> {
  const crd = parseYaml(readFileSync(join(shareDir, 'kwok.x-k8s.io_metrics.yaml'), 'utf8'));
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  await ext.createCustomResourceDefinition({ body: crd });
  await waitFor(
    'Metric CRD established',
    async () => {
      const got = await ext.readCustomResourceDefinition({ name: crd.metadata.name });
      return got.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True') ?? false;
    },
    30_000,
  );
  await kc
    .makeApiClient(CustomObjectsApi)
    .createClusterCustomObject({ group: 'kwok.x-k8s.io', version: 'v1alpha1', plural: 'metrics', body: kubeletMetric('kubelet') });
}

/** Create kwok nodes (each with its own InternalIP, known to the kubelet front) and wait until they are Ready. */
export async function addNodes(cluster: Cluster, specs: NodeSpec[]): Promise<void> {
  const frontPath = join(cluster.state.dir, 'kubelet-front.json');
  const front = JSON.parse(readFileSync(frontPath, 'utf8')) as FrontConfig;
  const ipOf = new Map<string, string>();
  let index = Object.keys(front.nodes).length;
  for (const spec of specs) {
    const ip = nodeIP(index++);
    front.nodes[ip] = spec.name;
    ipOf.set(spec.name, ip);
  }
  writeFileSync(frontPath, JSON.stringify(front));
  const core = cluster.kc.makeApiClient(CoreV1Api);
  for (const spec of specs) {
    await core.createNode({ body: nodeObject(spec, ipOf.get(spec.name)!, cluster.versions.kubernetes) });
  }
  // Ready, and the node lifecycle controller has lifted the not-ready taint it puts on new nodes.
  await waitFor(
    `${specs.length} nodes Ready and untainted`,
    async () => {
      const nodes = (await core.listNode()).items;
      return specs.every((s) => {
        const n = nodes.find((x) => x.metadata?.name === s.name);
        return (
          n?.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') &&
          !n.spec?.taints?.some((t) => t.key.startsWith('node.kubernetes.io/'))
        );
      });
    },
    60_000,
  );
}

/** Make `node`'s kubelet answer the node log query `?query=NAME` with `text` (as journalctl would print it). */
export function setNodeLog(cluster: Cluster, node: string, text: string, name = 'kubelet'): void {
  const dir = join(cluster.state.dir, 'node-logs', node);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.log`), text);
}

/** Stop every process of the cluster by PID; remove its temp dir unless `keepDir`. */
export async function stopCluster(cluster: Pick<Cluster, 'state'>, keepDir = false): Promise<void> {
  await p.stopProcesses(cluster.state.procs);
  p.unregisterCluster(cluster.state);
  if (!keepDir) rmSync(cluster.state.dir, { recursive: true, force: true });
}

/** A running cluster left by `cluster:up`, if any. */
export function findRunningUpCluster(): p.ClusterState | undefined {
  return p.registeredClusters().find((s) => s.owner === 'up' && p.clusterAlive(s));
}

/** Attach to a cluster started elsewhere (not owned: this process will not stop it). */
export function attachCluster(state: p.ClusterState): Cluster {
  const kc = new KubeConfig();
  kc.loadFromFile(state.kubeconfig);
  const pkiDir = state.dir;
  const pair = (n: string) => ({ cert: join(pkiDir, `${n}.crt`), key: join(pkiDir, `${n}.key`) });
  const pki: Pki = {
    ca: pair('ca'),
    serving: pair('serving'),
    admin: pair('admin'),
    controllerManager: pair('kube-controller-manager'),
    scheduler: pair('kube-scheduler'),
    apiserverKubeletClient: pair('apiserver-kubelet-client'),
    serviceAccountKey: join(pkiDir, 'sa.key'),
    serviceAccountPub: join(pkiDir, 'sa.pub'),
  };
  return { state, versions: ensureBinaries().versions, kubeconfig: state.kubeconfig, kc, pki, owned: false };
}
