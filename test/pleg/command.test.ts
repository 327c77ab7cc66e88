import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, runCli } from '../helpers/cli.js';
import { parseValid } from '../helpers/schema.js';

const log = (c: string) => fixture('pleg', c, 'kubelet.log');
const json = (stdout: string) => parseValid(stdout) as { schemaVersion: number; selection: { mode: string }; nodes: Record<string, unknown>[] };

describe('podscope pleg (built CLI)', () => {
  it('diagnoses from a kubelet log alone, with no kubeconfig, naming the node from journald', () => {
    const r = runCli(['pleg', '--kubelet-log', log('disk-io-1.9')]);
    assert.equal(r.code, 1, r.stderr); // unhealthy counts as critical for the --fail-on gate
    assert.match(r.stdout, /^NODE\s+STATUS\s+PLEG LAST SEEN\s+RELIST P99\s+TOP CAUSE/);
    assert.match(r.stdout, /ip-172-20-61-112\s+UNHEALTHY\s+4m42s ago\s+-\s+disk-io \(\d+%\)/);
    assert.match(r.stdout, /evidence: log ×\d+ .*killing cmd \[nice -n 19 du -s/);
    assert.match(r.stdout, /next: On ip-172-20-61-112: iostat -x 5/);
    assert.match(r.stdout, /not available: cluster, node-metrics/);
  });

  it('prints the DESIGN.md JSON contract with -o json, and the same with --json', () => {
    const a = runCli(['pleg', '--offline', '--kubelet-log', log('pid-exhaustion-1.14'), '-o', 'json']);
    const b = runCli(['pleg', '--offline', '--kubelet-log', log('pid-exhaustion-1.14'), '--json']);
    assert.equal(a.code, 1, a.stderr);
    const ra = json(a.stdout);
    const rb = json(b.stdout);
    assert.deepEqual({ ...ra, generatedAt: 0 }, { ...rb, generatedAt: 0 });
    assert.equal(ra.schemaVersion, 1);
    const n = ra.nodes[0] as { name: string; status: string; plegLastSeenSeconds: number; relist: null; causes: { id: string; confidence: number; evidence: string[]; remediation: string }[]; unavailable: { input: string; reason: string }[] };
    assert.deepEqual(Object.keys(n).slice(0, 6), ['name', 'status', 'plegLastSeenSeconds', 'relist', 'causes', 'unavailable']);
    assert.equal(n.name, 'node-gpu-5');
    assert.equal(n.status, 'unhealthy');
    assert.equal(n.plegLastSeenSeconds, 246.3);
    assert.equal(n.relist, null);
    assert.equal(n.causes[0].id, 'pid-exhaustion');
    assert.ok(n.causes[0].confidence > 0 && n.causes[0].confidence <= 1);
    assert.ok(n.causes[0].evidence.some((e) => e.includes('fork/exec /usr/bin/nice: resource temporarily unavailable')));
    assert.deepEqual(n.unavailable.map((u) => u.input), ['cluster', 'node-metrics']);
  });

  it('reads the log from standard input, gzip files too, and names the node "-" when the log does not', () => {
    const text = readFileSync(log('relist-deadlock-goroutine-dump'), 'utf8');
    const r = runCli(['pleg', '--kubelet-log', '-', '-o', 'json'], { stdin: text });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(json(r.stdout).nodes[0].name, '-');
    const dir = mkdtempSync(path.join(tmpdir(), 'pleg-'));
    const gz = path.join(dir, 'kubelet.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(log('cni-failure-1.29-calico'))));
    const g = json(runCli(['pleg', '--kubelet-log', gz, '-o', 'json']).stdout);
    assert.equal((g.nodes[0] as { causes: { id: string }[] }).causes[0].id, 'cni-failure');
  });

  it('says healthy, with no cause, for a normal start-up log', () => {
    const r = runCli(['pleg', '--kubelet-log', log('negative-startup-1.28')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /worker-a-1\s+healthy\s+-\s+-\s+-/);
    assert.doesNotMatch(r.stdout, /evidence:/);
  });

  it('uses two saved scrapes as rates and says so', () => {
    const m = (f: string) => fixture('pleg', 'metrics', f);
    const r = runCli(['pleg', 'node-9', '--offline', '--kubelet-metrics', m('rpc-metrics-1.txt'), '--kubelet-metrics', m('rpc-metrics-2.txt'), '--sample', '10s', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const n = json(r.stdout).nodes[0] as { name: string; metricsMode: string; relist: { saturated: boolean }; status: string; causes: { id: string; evidence: string[] }[] };
    assert.equal(n.name, 'node-9');
    assert.equal(n.metricsMode, 'rate');
    assert.equal(n.relist.saturated, true);
    assert.equal(n.status, 'degraded');
    assert.equal(n.causes[0].id, 'runtime-rpc-timeout');
    assert.ok(n.causes[0].evidence.some((e) => e.includes('operation_type="list_podsandbox"} +5 in 10s')));
    const t = runCli(['pleg', 'node-9', '--offline', '--kubelet-metrics', m('rpc-metrics-1.txt'), '--kubelet-metrics', m('rpc-metrics-2.txt')]);
    assert.match(t.stdout, /node-9\s+DEGRADED\s+-\s+≥10s\s+runtime-rpc-timeout/);
    assert.match(t.stdout, /metrics: two scrapes, rates over the interval/);
  });

  it('diagnoses the suspect nodes of a snapshot by default, and every node with --all', () => {
    const snap = fixture('pleg', 'snapshot-3-nodes');
    const r = json(runCli(['pleg', '--from', snap, '-o', 'json']).stdout);
    assert.equal(r.selection.mode, 'default');
    assert.deepEqual(r.nodes.map((n) => [n.name, n.status]), [['worker-2', 'degraded'], ['worker-3', 'unhealthy']]);
    const w3 = r.nodes[1] as { plegLastSeenSeconds: number; causes: { id: string }[]; metricsMode: string };
    assert.equal(w3.plegLastSeenSeconds, 365, 'capturedAt minus kubelet_pleg_last_seen_seconds');
    assert.equal(w3.causes[0].id, 'runtime-rpc-timeout');
    assert.equal(w3.metricsMode, 'totals');
    const all = json(runCli(['pleg', '--from', snap, '--all', '-o', 'json']).stdout);
    assert.deepEqual(all.nodes.map((n) => [n.name, n.status]), [['worker-1', 'healthy'], ['worker-2', 'degraded'], ['worker-3', 'unhealthy']]);
  });

  it('rejects bad usage with exit 2 and unreadable input with exit 3', () => {
    assert.equal(runCli(['pleg', 'a', '--all', '--offline']).code, 2);
    assert.equal(runCli(['pleg', '--offline', '--sample', 'soon', '--kubelet-log', log('disk-io-1.9')]).code, 2);
    const missing = runCli(['pleg', '--kubelet-log', '/nonexistent/kubelet.log']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /^podscope: cannot read kubelet log/);
    assert.doesNotMatch(missing.stderr, /at .*\.js/);
    assert.equal(runCli(['pleg', '--from', fixture('pleg', 'snapshot-3-nodes'), 'no-such-node']).code, 3);
  });
});
