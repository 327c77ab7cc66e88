import assert from 'node:assert/strict';
import { fixture, runCli } from '../helpers/cli.js';
import type { AnatomyResult } from '../../src/analysis/anatomy/types.js';
import { parseValid } from '../helpers/schema.js';

/** Per fixture: containers in start order as `name role/sidecar start stop`, and the finding ids. */
const EXPECTED: Record<string, { pod: string; containers: string[]; findings: string[]; table: RegExp[] }> = {
  'istio-classic': {
    pod: 'bookinfo/reviews-v1-5d9c6f8b7-k2x8p',
    containers: ['istio-init init 1 -', 'reviews app 2 1', 'istio-proxy sidecar/classic 2 1'],
    findings: ['POD004'],
    table: [/istio-proxy\s+sidecar \(classic\)\s+proxy\s+docker\.io\/istio\/proxyv2:1\.20\.3/, /2\. reviews, istio-proxy/, /WARNING POD004 \[istio-proxy\]/, /holdApplicationUntilProxyStarts/],
  },
  'istio-native': {
    pod: 'bookinfo/reviews-v1-6b7f8d9c4-m5t2r',
    containers: ['istio-init init 1 -', 'istio-proxy sidecar/native 2 2', 'reviews app 3 1'],
    findings: [],
    table: [/istio-proxy\s+sidecar \(native\)\s+proxy/, /2\. istio-proxy\s+\(native sidecar: TERM after every app container/, /FINDINGS\n\s+none/],
  },
  'linkerd-native': {
    pod: 'emojivoto/web-7f6d9c5b8-h8j4k',
    containers: ['linkerd-init init 1 -', 'linkerd-proxy sidecar/native 2 2', 'web-svc app 3 1'],
    findings: [],
    table: [/linkerd-init\s+init\s+proxy-init/, /4143\/TCP linkerd-proxy\s+running[^\n]*\n\s+4191\/TCP linkerd-admin/, /why linkerd-proxy: name "linkerd-proxy": Linkerd's proxy/],
  },
  'log-shipper': {
    pod: 'shop/checkout-84f7c9d6b5-tq2vz',
    containers: ['checkout app 1 1', 'fluent-bit sidecar/classic 1 1'],
    findings: [],
    table: [/app-logs\s+emptyDir\s+limit 500Mi\s+checkout rw \/var\/log\/checkout\s+log-shipper pattern: checkout writes logs, fluent-bit reads and ships them\n\s+fluent-bit ro \/var\/log\/checkout/],
  },
  'share-process-namespace': {
    pod: 'web/nginx-6c9d8f7b4-w2v5x',
    containers: ['nginx app 1 1', 'config-reloader sidecar/classic 1 1'],
    findings: [],
    table: [/pid\s+pod \(sandbox\)\s+containers see and signal each other's processes .*PID 1 is the pause process/],
  },
  'kube-proxy-hostnetwork': {
    pod: 'kube-system/kube-proxy-7xk2p',
    containers: ['kube-proxy app 1 1'],
    findings: [],
    table: [/network\s+host \(node\)\s+the node's network/, /uts\s+host \(node\)\s+the node's hostname \(implied by hostNetwork\)/, /Unknown, exit 255/, /xtables-lock\s+hostPath\s+\/run\/xtables\.lock \(FileOrCreate\)/],
  },
  'job-classic-sidecar': {
    pod: 'shop/db-migrate-29384710-8vqlw',
    containers: ['migrate app 1 1', 'cloud-sql-proxy sidecar/classic 1 1'],
    findings: ['POD005', 'POD004'],
    table: [/CRITICAL POD005 \[cloud-sql-proxy\] the job's work is done but cloud-sql-proxy is still running, so Job db-migrate-29384710 cannot complete/, /terminated: Completed \(exit 0\)/],
  },
  'port-collision': {
    pod: 'payments/payments-api-6d8f9b7c5-r4t6y',
    containers: ['api app 1 1', 'statsd-exporter sidecar/classic 1 1'],
    findings: ['POD001', 'POD003'],
    table: [/CRITICAL POD003 \[statsd-exporter\] port 9090\/TCP is declared by api and statsd-exporter/, /waiting: CrashLoopBackOff\s+6\s+Error, exit 1/],
  },
};

const CONTAINER_KEYS = ['name', 'role', 'sidecar', 'pattern', 'startOrder', 'stopOrder', 'ports', 'state', 'restarts', 'image', 'patternReason', 'ready', 'lastTermination'];
const brief = (r: AnatomyResult) => r.containers.map((c) => `${c.name} ${c.role}${c.sidecar ? `/${c.sidecar}` : ''} ${c.startOrder ?? '-'} ${c.stopOrder ?? '-'}`);

describe('podscope inspect -f (built CLI)', () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: table`, () => {
      const r = runCli(['inspect', '-f', fixture('inspect', `${name}.json`)]);
      assert.ok([0, 1].includes(r.code), r.stderr);
      assert.ok(r.stdout.startsWith(`Pod:   ${want.pod}\n`), r.stdout.slice(0, 200));
      for (const section of ['NAMESPACES', 'CONTAINERS (start order)', 'START ORDER', 'STOP ORDER', 'VOLUMES', 'FINDINGS']) assert.ok(r.stdout.includes(`\n${section}\n`), section);
      for (const re of want.table) assert.match(r.stdout, re);
      assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour without a TTY');
    });

    it(`${name}: -o json is the DESIGN.md contract`, () => {
      const r = runCli(['inspect', '-f', fixture('inspect', `${name}.json`), '-o', 'json']);
      assert.ok([0, 1].includes(r.code), r.stderr);
      const out = parseValid(r.stdout) as AnatomyResult;
      assert.deepEqual(Object.keys(out), ['$schema', 'schemaVersion', 'pod', 'namespaces', 'containers', 'volumes', 'findings']);
      assert.equal(out.schemaVersion, 1);
      assert.equal(`${out.pod.namespace}/${out.pod.name}`, want.pod);
      assert.deepEqual(Object.keys(out.namespaces), ['network', 'ipc', 'uts', 'pid']);
      for (const c of out.containers) assert.deepEqual(Object.keys(c), CONTAINER_KEYS);
      for (const v of out.volumes) {
        assert.deepEqual(Object.keys(v), ['name', 'type', 'mounts', 'source', 'sharing']);
        for (const m of v.mounts) assert.deepEqual(Object.keys(m), ['container', 'readOnly', 'path']);
      }
      assert.deepEqual(brief(out), want.containers);
      assert.deepEqual(out.findings.map((f) => f.checkId), want.findings);
    });
  }

  it('never prints env values, in any format', () => {
    for (const [file, secret] of [['istio-classic.json', 'hunter2-do-not-print'], ['job-classic-sidecar.json', 's3cr3t'], ['cronjob-report.yaml', 'n0t-for-print']]) {
      for (const o of ['table', 'wide', 'json', 'yaml']) {
        const r = runCli(['inspect', '-f', fixture('inspect', file), '-o', o]);
        assert.ok([0, 1].includes(r.code), r.stderr);
        assert.ok(!r.stdout.includes(secret), `${file} -o ${o}`);
      }
    }
  });

  it('--json prints the same result as -o json', () => {
    const a = runCli(['inspect', '-f', fixture('inspect', 'port-collision.json'), '-o', 'json']);
    const b = runCli(['inspect', '-f', fixture('inspect', 'port-collision.json'), '--json']);
    assert.deepEqual(parseValid(b.stdout), parseValid(a.stdout));
  });

  it('-o wide adds readiness and the reason for each guess', () => {
    const r = runCli(['inspect', '-f', fixture('inspect', 'log-shipper.json'), '-o', 'wide']);
    assert.match(r.stdout, /READY\s+WHY/);
    assert.match(r.stdout, /fluent-bit .*yes\s+name "fluent-bit": a log shipper/);
    assert.match(r.stdout, /kube-api-access-8h2kq\s+projected/);
  });

  it('reads a CronJob template: the pod is the only one in the file, so no name is needed', () => {
    const r = runCli(['inspect', '-f', fixture('inspect', 'cronjob-report.yaml'), '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = parseValid(r.stdout) as AnatomyResult;
    assert.deepEqual(out.pod, { namespace: 'shop', name: 'nightly-report' });
    assert.deepEqual(out.findings.map((f) => [f.checkId, f.severity]), [['POD004', 'warning'], ['POD005', 'warning']]);
    assert.ok(out.containers.every((c) => c.state === 'unknown' && c.restarts === 0));
    const t = runCli(['inspect', '-f', fixture('inspect', 'cronjob-report.yaml')]);
    assert.match(t.stdout, /^Pod:   shop\/nightly-report  \(from the template of CronJob\/nightly-report\)\nNode:  \(not scheduled\)/);
    assert.match(t.stdout, /CronJob\/nightly-report is a template: containers have no runtime state/);
  });

  it('asks for a name when the file holds several pods, and finds it by name', () => {
    const r = runCli(['inspect', '-f', fixture('inspect', 'two-deployments.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^podscope: name the pod to inspect: the input holds 2 pods\n  hint: e\.g\. podscope inspect api \(pods: shop\/api, shop\/web\)/);
    const ok = runCli(['inspect', 'api', '-f', fixture('inspect', 'two-deployments.yaml'), '-o', 'json']);
    assert.equal(ok.code, 0, ok.stderr);
    const out = parseValid(ok.stdout) as AnatomyResult;
    assert.deepEqual(brief(out), ['vector sidecar/native 1 2', 'api app 2 1']);
    assert.deepEqual(out.findings.map((f) => [f.checkId, f.severity]), [['POD006', 'info']]);
  });

  it('reads a snapshot (--from) with the pod events: liveness restarts are explained', () => {
    const r = runCli(['inspect', 'checkout-84f7c9d6b5-lv9k2', '-n', 'shop', '--from', fixture('inspect', 'snapshot-shop'), '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = parseValid(r.stdout) as AnatomyResult;
    assert.deepEqual(out.findings.map((f) => f.checkId), ['POD007']);
    assert.match(out.findings[0].evidence.join('\n'), /Killing \(x4\): Container checkout failed liveness probe, will be restarted/);
    assert.deepEqual(out.containers[0].lastTermination, { reason: 'Error', exitCode: 137, signal: null, finishedAt: '2026-11-21T16:20:03.000Z' });
    const t = runCli(['inspect', 'checkout-84f7c9d6b5-lv9k2', '--from', fixture('inspect', 'snapshot-shop')]);
    assert.match(t.stdout, /last exit checkout: SIGKILL/);
    assert.match(t.stdout, /\nRECENT WARNING EVENTS\n  2026-11-21T16:20:01\.000Z Warning Unhealthy \(x12\): Liveness probe failed/);
  });

  it('needs a pod name against a live cluster', () => {
    const r = runCli(['inspect'], { env: { KUBECONFIG: fixture('inspect', 'no-such-kubeconfig') } });
    assert.ok(r.code === 2 || r.code === 3, `${r.code} ${r.stderr}`);
    assert.match(r.stderr, /^podscope: /);
  });
});

describe('the inspect checks in the catalogue and in podscope check', () => {
  it('podscope checks lists POD003-POD007', () => {
    const r = runCli(['checks', '-o', 'json']);
    const ids = (parseValid(r.stdout) as { checks: { id: string; needs: string[] }[] }).checks.map((c) => c.id);
    for (const id of ['POD003', 'POD004', 'POD005', 'POD006', 'POD007']) assert.ok(ids.includes(id), id);
  });

  it('podscope check runs them across the pods of a snapshot and gates on POD005', () => {
    const r = runCli(['check', '--from', fixture('inspect', 'snapshot-shop'), '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const rep = parseValid(r.stdout) as { findings: { checkId: string; subject: { name: string } }[] };
    assert.deepEqual(
      rep.findings.map((f) => `${f.checkId} ${f.subject.name}`),
      ['POD005 db-migrate-29384710-8vqlw', 'POD004 db-migrate-29384710-8vqlw', 'POD007 checkout-84f7c9d6b5-lv9k2'],
    );
  });
});
