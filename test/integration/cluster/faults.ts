/**
 * Breaking a running cluster on purpose, for the fault matrix (test/integration/faults.test.ts):
 * stop, freeze and start one component again on the same ports and flags (its recorded PID
 * updated), compact etcd the way kube-apiserver's own compactor does, and an audit webhook that
 * holds one chosen request before the API server serves it, so a fault lands between two pages
 * of a list deterministically.
 */
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from './harness.js';
import type { AuditEvent } from './audit.js';
import { httpsGet } from './kubeconfig.js';
import * as p from './processes.js';
import { waitFor } from './wait.js';

/** The running (or last started) process of a component, by name. */
export function component(cluster: Pick<Cluster, 'state'>, name: string): p.Proc {
  const proc = cluster.state.procs.find((x) => x.name === name);
  if (!proc) throw new Error(`no component ${name} in cluster ${cluster.state.id}`);
  return proc;
}

/** Sends a signal to a component (SIGSTOP freezes it, SIGCONT thaws it). */
export function signalComponent(cluster: Pick<Cluster, 'state'>, name: string, sig: NodeJS.Signals): void {
  const proc = component(cluster, name);
  if (!p.isRunning(proc)) throw new Error(`${name} (pid ${proc.pid}) is not running`);
  process.kill(proc.pid, sig);
}

/** Kills a component at once (a crash: SIGKILL) and waits until it is gone. */
export async function killComponent(cluster: Pick<Cluster, 'state'>, name: string): Promise<void> {
  const proc = component(cluster, name);
  if (p.isRunning(proc)) process.kill(proc.pid, 'SIGKILL');
  await waitFor(`${name} gone`, async () => !p.isRunning(proc), 10_000, 20);
}

/** `--flag=value` of a recorded command line. */
function flag(proc: p.Proc, name: string): string {
  const arg = proc.args?.find((a) => a.startsWith(`--${name}=`));
  if (!arg) throw new Error(`${proc.name} was started without --${name}`);
  return arg.slice(name.length + 3);
}

/** Health URL of a restartable component. */
function healthUrl(cluster: Pick<Cluster, 'state'>, proc: p.Proc): string {
  if (proc.name === 'kube-apiserver') return `${cluster.state.server}/readyz`;
  if (proc.name === 'kwok') return `https://${flag(proc, 'server-address')}/healthz`;
  throw new Error(`no health probe for ${proc.name}`);
}

/**
 * Starts a stopped component again with the binary, flags and directory it had (same ports), records
 * its new PID in the cluster's registry entry, and waits until it is healthy.
 */
export async function startComponent(cluster: Pick<Cluster, 'state' | 'pki'>, name: string, timeoutMs = 120_000): Promise<p.Proc> {
  const old = component(cluster, name);
  if (p.isRunning(old)) throw new Error(`${name} (pid ${old.pid}) is still running`);
  if (!old.args) throw new Error(`${name}: its command line was not recorded`);
  const proc = p.startProcess(cluster.state.dir, name, old.binary, old.args, old.cwd);
  cluster.state.procs[cluster.state.procs.indexOf(old)] = proc;
  p.registerCluster(cluster.state);
  const url = healthUrl(cluster, proc);
  await waitFor(
    `${name} healthy again`,
    async () => {
      if (!p.isRunning(proc)) throw new Error(`${name} exited:\n${p.logTail(proc)}`);
      return (await httpsGet(url, cluster.pki.ca.cert, cluster.pki.admin).catch(() => ({ status: 0 }))).status === 200;
    },
    timeoutMs,
    100,
  );
  return proc;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** POSTs to etcd's HTTP/JSON gateway (v3 API) on its client URL. */
async function etcdPost<T>(cluster: Pick<Cluster, 'state'>, path: string, body: object): Promise<T> {
  const url = flag(component(cluster, 'etcd'), 'listen-client-urls');
  const res = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`etcd ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * Compacts etcd at its current revision as kube-apiserver's compactor does (etcd3/compact.go):
 * writes the revision to `compact_rev_key`, which every API server watches (its watch cache then
 * drops the list snapshots below it, within its 15 s poll), and compacts. Every resourceVersion
 * and continue token from before is then expired. Returns the compacted revision.
 */
export async function compactEtcd(cluster: Pick<Cluster, 'state'>): Promise<number> {
  type Put = { header: { revision: string } };
  const bumped = await etcdPost<Put>(cluster, '/v3/kv/put', { key: b64('/podscope-faults/bump'), value: b64(String(Date.now())) });
  const rev = Number(bumped.header.revision);
  await etcdPost(cluster, '/v3/kv/put', { key: b64('compact_rev_key'), value: b64(String(rev)) });
  await etcdPost(cluster, '/v3/kv/compaction', { revision: String(rev), physical: true });
  return rev;
}

/** A request the gate holds: `reached` resolves with its audit event once the API server is waiting on it. */
export interface Held {
  reached: Promise<AuditEvent>;
  release(): void;
}

/**
 * An audit webhook (blocking mode) on 127.0.0.1. The API server posts each audit event and waits
 * for the answer before it goes on; at the RequestReceived stage that is before the request is
 * served. `hold(match)` keeps the answer for the first matching request until `release()`.
 */
export class AuditGate {
  private readonly holds: { match: (ev: AuditEvent) => boolean; reached: (ev: AuditEvent) => void; released: Promise<void> }[] = [];
  private constructor(private readonly server: http.Server, readonly port: number) {}

  /** Starts the webhook server. */
  static async start(): Promise<AuditGate> {
    const ref: { gate?: AuditGate } = {};
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const items = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items?: AuditEvent[] }).items ?? [];
        void ref.gate!.answer(items).then(() => res.end('{}'));
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    ref.gate = new AuditGate(server, typeof addr === 'object' && addr ? addr.port : 0);
    return ref.gate;
  }

  private async answer(items: AuditEvent[]): Promise<void> {
    for (const ev of items) {
      if (ev.stage !== 'RequestReceived') continue;
      const i = this.holds.findIndex((h) => h.match(ev));
      if (i < 0) continue;
      const [h] = this.holds.splice(i, 1);
      h!.reached(ev);
      await h!.released;
    }
  }

  /** Holds the first request matching `match` (at RequestReceived) until released. */
  hold(match: (ev: AuditEvent) => boolean): Held {
    let reached!: (ev: AuditEvent) => void;
    let release!: () => void;
    const r = new Promise<AuditEvent>((res) => (reached = res));
    const released = new Promise<void>((res) => (release = res));
    this.holds.push({ match, reached, released });
    return { reached: r, release };
  }

  /** kube-apiserver flags for this webhook (its kubeconfig is written to `dir`). */
  apiserverArgs(dir: string): string[] {
    const file = join(dir, 'audit-gate.kubeconfig');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters:
- name: gate
  cluster: { server: "http://127.0.0.1:${this.port}/audit" }
users:
- name: gate
  user: {}
contexts:
- name: gate
  context: { cluster: gate, user: gate }
current-context: gate
`,
    );
    return [`--audit-webhook-config-file=${file}`, '--audit-webhook-mode=blocking'];
  }

  /** Releases every hold and stops the server. */
  async close(): Promise<void> {
    this.holds.length = 0;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The audit policy of the fault clusters: as components.ts's, but RequestReceived is logged (the gate needs it). */
export const GATE_AUDIT_POLICY_YAML = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Request
  verbs: [delete, deletecollection]
- level: Metadata
`;
