import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture, runCli } from '../helpers/cli.js';
import { parseValid } from '../helpers/schema.js';

const SHOP = fixture('schedule', 'shop-snapshot');

describe('podscope schedule (built CLI)', () => {
  it('explains a Pending pod node by node from a real v1.36.3 snapshot, and agrees with its event', () => {
    const r = runCli(['schedule', 'trainer-0', '-n', 'shop', '--from', SHOP]);
    assert.equal(r.code, 1, r.stderr); // SCH001 is critical: the default --fail-on critical gate
    assert.match(r.stdout, /^gpu-1\s+no\s+TaintToleration\s+node\(s\) had untolerated taint\(s\)\s+untolerated taint nvidia\.com\/gpu=present:NoSchedule$/m);
    assert.match(r.stdout, /^worker-2\s+no\s+NodeResourcesFit\s+Insufficient cpu, Insufficient memory, Insufficient nvidia\.com\/gpu\s+requests 4 cpu, 1500m free of 4 \(short by 2500m\)/m);
    assert.match(r.stdout, /podscope: 0\/5 nodes are available: 1 node\(s\) were unschedulable, 2 Insufficient cpu, 2 Insufficient memory, 2 Insufficient nvidia.com\/gpu, 2 node\(s\) had untolerated taint\(s\)\./);
    assert.match(r.stdout, /podscope agrees with the scheduler/);
    assert.match(r.stdout, /gpu-1 would fit if the pod tolerated its taint/);
  });

  it('-o json prints exactly the DESIGN.md "Scheduling result" contract', () => {
    const r = runCli(['schedule', 'web-6f5d45594c-9sv8z', '-n', 'shop', '--from', SHOP, '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const j = parseValid(r.stdout) as Record<string, unknown> & { nodes: Record<string, unknown>[]; event: Record<string, unknown>; findings: { checkId: string }[] };
    assert.deepEqual(Object.keys(j), ['$schema', 'schemaVersion', 'pod', 'nodes', 'summary', 'event', 'findings']);
    assert.equal(j.schemaVersion, 1);
    assert.deepEqual(j.pod, { namespace: 'shop', name: 'web-6f5d45594c-9sv8z' });
    for (const n of j.nodes) assert.deepEqual(Object.keys(n), ['name', 'fits', 'failedFilter', 'reason', 'detail']);
    assert.deepEqual(j.nodes.find((n) => n.name === 'worker-1'), {
      name: 'worker-1',
      fits: false,
      failedFilter: 'InterPodAffinity',
      reason: "node(s) didn't match pod anti-affinity rules",
      detail: 'a pod matching the required anti-affinity is already in kubernetes.io/hostname=worker-1',
    });
    assert.deepEqual(Object.keys(j.event), ['message', 'counts', 'agrees']);
    assert.equal(j.event.agrees, true);
    assert.deepEqual(j.event.counts, { 'node(s) were unschedulable': 1, "node(s) didn't match pod anti-affinity rules": 2, 'node(s) had untolerated taint(s)': 2 });
    assert.deepEqual(j.findings.map((f) => f.checkId), ['SCH001', 'SCH003']);
    const viaFlag = runCli(['schedule', 'web-6f5d45594c-9sv8z', '-n', 'shop', '--from', SHOP, '--json']);
    assert.deepEqual(parseValid(viaFlag.stdout), j, '--json prints the same contract');
    const y = runCli(['schedule', 'web-6f5d45594c-9sv8z', '-n', 'shop', '--from', SHOP, '-o', 'yaml']);
    assert.match(y.stdout, /^schemaVersion: 1$/m);
  });

  it('-f with nodes in the file: uses the scheduler wording of the kubelets\' version (1.31) and matches the event', () => {
    const r = runCli(['schedule', 'web-6c9f7b8d4-q2x7z', '-f', fixture('schedule', 'pending-memory.json'), '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const j = parseValid(r.stdout) as { summary: string; event: { message: string; agrees: boolean } };
    assert.equal(j.summary, j.event.message.split(' preemption:')[0]);
    assert.equal(j.event.agrees, true);
    const file = JSON.parse(readFileSync(fixture('schedule', 'pending-memory.json'), 'utf8')) as { items: { kind: string }[] };
    assert.ok(file.items.some((i) => i.kind === 'Event'), 'the fixture carries its event');
  });

  it('a manifest without nodes and no cluster to compare with exits 3, not with a stack', () => {
    const pod = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const r = runCli(['schedule', '-f', '-'], { stdin: pod, env: { KUBECONFIG: '/nonexistent/kubeconfig' } });
    assert.equal(r.code, 3, r.stderr);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  });

  it('check runs the scheduling checks over the snapshot', () => {
    const r = runCli(['check', '--from', SHOP, '-o', 'json', '--checks', 'SCH001,SCH002,SCH003,SCH004']);
    assert.equal(r.code, 1, 'critical findings fail the gate');
    const rep = parseValid(r.stdout) as { findings: { checkId: string; subject: { name: string } }[] };
    const got = rep.findings.map((f) => `${f.checkId} ${f.subject.name}`).sort();
    assert.deepEqual(got, [
      'SCH001 checkout-0',
      'SCH001 etl-0',
      'SCH001 reports-0',
      'SCH001 trainer-0',
      'SCH001 web-6f5d45594c-9sv8z',
      'SCH002 reports-0',
      'SCH003 web-6f5d45594c-9sv8z',
      'SCH004 etl-0',
    ]);
  });
});
