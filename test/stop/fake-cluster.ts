import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, fixture } from '../helpers/cli.js';
import type { CliResult } from '../helpers/cli.js';
import { FakeApi, json, watchLines } from './fake-api.js';

type Obj = { kind?: string; metadata: Record<string, unknown> & { name: string; resourceVersion?: string } } & Record<string, unknown>;

/**
 * A fake API server that plays a pod's stop the way the real control plane does: on DELETE it
 * sets deletionTimestamp, then the EndpointSlice controller marks the endpoint terminating, the
 * kubelet terminates the container, the pod goes and the endpoint leaves the slice.
 */
export class FakeCluster {
  readonly api: FakeApi;
  private rv = 48300;
  private readonly watchers = new Map<string, http.ServerResponse[]>();
  pod: Obj;
  slice: Obj;
  service: Obj;
  deletedAt: number | null = null;

  constructor(private readonly steps: { terminatingMs: number; killedMs: number; goneMs: number }) {
    const list = JSON.parse(readFileSync(fixture('stop', 'web-behind-service.json'), 'utf8')) as { items: Obj[] };
    this.pod = list.items.find((o) => o.kind === 'Pod')!;
    this.service = list.items.find((o) => o.kind === 'Service')!;
    this.slice = list.items.find((o) => o.kind === 'EndpointSlice')!;
    this.api = new FakeApi((req) => {
      const p = req.path;
      if (req.method === 'DELETE') return (_r, res) => this.remove(res, req.body);
      if (p.endsWith(':10249/proxy/metrics')) {
        return (_r, res) => json(res, 503, { kind: 'Status', message: 'error trying to reach service: dial tcp 10.0.1.17:10249: connect: connection refused', code: 503 });
      }
      const kind = p.endsWith('/pods') ? 'pods' : p.endsWith('/endpointslices') ? 'endpointslices' : p.endsWith('/events') ? 'events' : p.endsWith('/services') ? 'services' : p.endsWith('/nodes') ? 'nodes' : undefined;
      if (p === '/api/v1/namespaces/shop/pods/web-7d9f8b6c5-x2kqp') return (_r, res) => json(res, this.deletedAt && this.gone ? 404 : 200, this.pod);
      if (!kind) return undefined;
      if (req.query.get('watch') === '1') {
        return (_r, res) => {
          watchLines(res, [], false);
          this.watchers.set(kind, [...(this.watchers.get(kind) ?? []), res]);
        };
      }
      const items = kind === 'pods' ? (this.gone ? [] : [this.pod]) : kind === 'endpointslices' ? [this.slice] : kind === 'services' ? [this.service] : [];
      return (_r, res) => json(res, 200, { kind: 'List', metadata: { resourceVersion: String(this.rv) }, items });
    });
  }

  private gone = false;

  private send(kind: string, type: string, object: Obj): void {
    object.metadata.resourceVersion = String(++this.rv);
    for (const w of this.watchers.get(kind) ?? []) w.write(`${JSON.stringify({ type, object })}\n`);
  }

  private setEndpoint(conditions: Record<string, boolean> | null, trigger?: string): void {
    const eps = this.slice.endpoints as { targetRef: { name: string }; conditions: unknown }[];
    const mine = eps.findIndex((e) => e.targetRef.name === this.pod.metadata.name);
    if (conditions) eps[mine]!.conditions = conditions;
    else eps.splice(mine, 1);
    const ann = this.slice.metadata.annotations as Record<string, string>;
    if (trigger) ann['endpoints.kubernetes.io/last-change-trigger-time'] = trigger;
    else delete ann['endpoints.kubernetes.io/last-change-trigger-time'];
    this.send('endpointslices', 'MODIFIED', this.slice);
  }

  private remove(res: http.ServerResponse, body: string): void {
    const opts = JSON.parse(body) as { preconditions?: { uid?: string } };
    if (opts.preconditions?.uid !== this.pod.metadata.uid) {
      json(res, 409, { kind: 'Status', message: 'Precondition failed: UID in precondition', code: 409 });
      return;
    }
    this.deleteNow();
    json(res, 200, this.pod);
  }

  /** Whether the pod, EndpointSlice and event watches are all open. */
  get watching(): boolean {
    return ['pods', 'endpointslices', 'events'].every((k) => (this.watchers.get(k) ?? []).length > 0);
  }

  /** Deletes the pod as another client would, and plays the stop. */
  deleteNow(): void {
    const now = Date.now();
    this.deletedAt = now;
    const sec = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    this.pod.metadata.deletionTimestamp = sec(now + 30_000);
    this.pod.metadata.deletionGracePeriodSeconds = 30;
    this.send('pods', 'MODIFIED', this.pod);
    setTimeout(() => this.setEndpoint({ ready: false, serving: true, terminating: true }), this.steps.terminatingMs);
    setTimeout(() => {
      const st = this.pod.status as { containerStatuses: { state: unknown }[]; conditions: { type: string; status: string; lastTransitionTime: string }[] };
      st.containerStatuses[0]!.state = { terminated: { exitCode: 143, reason: 'Error', finishedAt: sec(Date.now()), startedAt: '2026-11-21T16:02:14Z' } };
      for (const c of st.conditions) if (c.type === 'Ready') Object.assign(c, { status: 'False', lastTransitionTime: sec(Date.now()) });
      this.send('pods', 'MODIFIED', this.pod);
      this.setEndpoint({ ready: false, serving: false, terminating: true }, sec(Date.now()));
    }, this.steps.killedMs);
    setTimeout(() => {
      this.gone = true;
      this.send('pods', 'DELETED', this.pod);
      this.setEndpoint(null);
    }, this.steps.goneMs);
  }

  /** Starts the server and writes a kubeconfig for it; returns its path. */
  async start(): Promise<string> {
    const kc = await this.api.start();
    const dir = mkdtempSync(path.join(tmpdir(), 'podscope-stop-'));
    const file = path.join(dir, 'kubeconfig');
    writeFileSync(file, kc.exportConfig());
    return file;
  }
}

/** Runs the built CLI without blocking this process (the fake server lives here). */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}, onSpawn?: (child: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), ...args], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1', ...env },
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
