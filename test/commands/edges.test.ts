import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, fixture, runCli } from '../helpers/cli.js';

// Issue 13: every edge of the CLI behaves like kubectl's. One test (or more) per item.
const EXAMPLE = path.join(ROOT, 'examples', 'shop-snapshot');
const SCHED = fixture('schedule', 'shop-snapshot');
const LOG = fixture('pleg', 'rpc-timeout-1.28-journald', 'kubelet.log');
const RUN = path.join(ROOT, 'bin', 'run.js');

/** One line of error, then at most a hint or usage line; never a stack. */
function assertOneLineError(stderr: string, re: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.match(lines[0], re);
  assert.ok(lines.length <= 2, stderr);
  if (lines[1]) assert.match(lines[1], /^ {2}(hint|usage): /);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

/** Runs a shell line under a pseudo-terminal of 80 columns (util-linux `script`). */
function onTty(line: string): { code: number; out: string } {
  const r = spawnSync('script', ['-qec', `stty cols 80 rows 24; ${line}`, '/dev/null'], { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1' } });
  return { code: r.status ?? -1, out: r.stdout };
}

describe('CLI edges (issue 13)', function () {
  this.timeout(120_000);
  it('1: missing arguments and flag conflicts say which, with the usage line', () => {
    // (stop's POD became optional with issue 11's pod resolver; snapshot's DIR stays required.)
    const snap = runCli(['snapshot']);
    assert.equal(snap.code, 2);
    assertOneLineError(snap.stderr, /^podscope: missing argument DIR \(New or empty directory to write\)$/);
    assert.match(snap.stderr, /usage: podscope snapshot DIR \[flags\]; see podscope snapshot --help/);
    const both = runCli(['stop', 'web', '--delete', '--watch']);
    assert.equal(both.code, 2);
    assertOneLineError(both.stderr, /^podscope: --watch and --delete cannot be used together$/);
    assertOneLineError(runCli(['check', '--bogus']).stderr, /^podscope: unknown flag --bogus$/);
    assertOneLineError(runCli(['check', 'extra']).stderr, /^podscope: unexpected argument extra$/);
  });

  it('2: unknown commands get one line and the nearest command; help and version work as in kubectl', () => {
    for (const [args, near] of [[['chekc'], 'check'], [['inspekt', 'foo'], 'inspect'], [['snap'], 'snapshot']] as const) {
      const r = runCli([...args]);
      assert.equal(r.code, 2);
      assertOneLineError(r.stderr, new RegExp(`^podscope: unknown command "${args[0]}"$`));
      assert.match(r.stderr, new RegExp(`did you mean ${near}\\?`));
    }
    assert.doesNotMatch(runCli(['xyzzy']).stderr, /did you mean/);
    const help = runCli(['help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^COMMANDS/m);
    assert.match(runCli(['help', 'check']).stdout, /\$ podscope check/);
    assert.match(runCli(['version']).stdout, /^podscope\/\d+\.\d+\.\d+ /);
  });

  it('3: -h works on every command', () => {
    for (const c of ['check', 'checks', 'inspect', 'pleg', 'schedule', 'snapshot', 'stop']) {
      const r = runCli([c, '-h']);
      assert.equal(r.code, 0, `${c}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`USAGE\\n {2}\\$ podscope ${c}`));
    }
  });

  it('4: input errors are not bugs (snapshot into a file, an unwritable path): exit 2 or 3, never 70', () => {
    const file = runCli(['snapshot', 'README.md']);
    assert.equal(file.code, 2);
    assertOneLineError(file.stderr, /^podscope: README.md is a file, not a directory$/);
    const unwritable = runCli(['checks', '--write-docs', '/nonexistent-dir/checks.md']);
    assert.equal(unwritable.code, 3, unwritable.stderr);
    assertOneLineError(unwritable.stderr, /^podscope: cannot open \/nonexistent-dir\/checks.md: no such file or directory$/);
  });

  it('5: a binary file and a corrupt manifest are one line', () => {
    const bin = runCli(['check', '-f', '/bin/ls']);
    assert.equal(bin.code, 3);
    assertOneLineError(bin.stderr, /is not a Kubernetes object: binary file$/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'podscope-badman-'));
    writeFileSync(path.join(dir, 'manifest.json'), '{"kind": bad\n');
    const bad = runCli(['check', '--from', dir]);
    assert.equal(bad.code, 3);
    assertOneLineError(bad.stderr, /^podscope: snapshot manifest .* is corrupt: /);
  });

  it('6: hints point the right way', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'podscope-onepod-'));
    const pod = path.join(dir, 'pod.yaml');
    writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: web, image: nginx}]\n');
    const noKube = runCli(['schedule', '-f', pod]);
    assert.equal(noKube.code, 3);
    assertOneLineError(noKube.stderr, /holds no nodes, so schedule checks it against the live cluster's nodes, but no kubeconfig found/);
    assert.doesNotMatch(noKube.stderr, /-f FILE/);
    const help = runCli(['snapshot', '--help']).stdout;
    assert.doesNotMatch(help, /--file|OFFLINE FLAGS|--from=/);
    const snapNoKube = runCli(['snapshot', '/tmp/podscope-never']);
    assert.equal(snapNoKube.code, 3);
    assert.match(snapNoKube.stderr, /hint: snapshot captures a live cluster: give --kubeconfig FILE or set KUBECONFIG\n$/);
    const which = runCli(['schedule', '--from', SCHED]);
    assert.equal(which.code, 2);
    assert.match(which.stderr, /hint: e\.g\. podscope schedule checkout-0 \(pods: shop\/checkout-0 \(Pending\), shop\/etl-0 \(Pending\)/);
    const sch5 = runCli(['check', '--checks', 'SCH005', '--from', EXAMPLE]);
    assert.equal(sch5.code, 2);
    assertOneLineError(sch5.stderr, /^podscope: SCH005 is reported by podscope schedule about one pod, not by check$/);
    assert.match(runCli(['checks']).stdout, /Reported only by podscope schedule[^\n]*\n {2}SCH005 .*\n {2}SCH006 .*\n {2}SCH007 /);
  });

  it('7: a scope that matches nothing is not a clean pass', () => {
    const ns = runCli(['check', '--from', SCHED, '-n', 'nosuchns']);
    assert.equal(ns.code, 3);
    assertOneLineError(ns.stderr, /^podscope: namespace "nosuchns" not found in the input$/);
    const sel = runCli(['check', '--from', SCHED, '-l', 'app=nosuch']);
    assert.equal(sel.code, 0);
    assert.match(sel.stderr, /^podscope: nothing matched: no pods in any namespace with labels app=nosuch/);
    assert.equal(runCli(['check', '--from', SCHED, '-l', 'app=nosuch', '--strict']).code, 4);
    assert.equal(runCli(['check', '--from', SCHED, '-n', 'shop', '-l', 'app=nosuch', '--strict']).code, 4);
    const fine = runCli(['check', '--from', SCHED, '-n', 'shop']);
    assert.equal(fine.stderr, '');
  });

  it('9: pleg --kubelet-log diagnoses the log when the cluster is unreachable, and lists why', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'podscope-down-'));
    const kc = path.join(dir, 'config');
    writeFileSync(kc, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\nusers: [{name: u, user: {token: t}}]\n');
    const r = runCli(['pleg', '--kubelet-log', LOG, '--kubeconfig', kc, '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.nodes[0].status, 'unhealthy');
    const cluster = out.nodes[0].unavailable.find((u: { input: string }) => u.input === 'cluster');
    assert.match(cluster.reason, /^unavailable: cannot reach the API server at https:\/\/127.0.0.1:1/);
    assert.match(r.stderr, /^podscope: cluster unavailable \(cannot reach/);
  });

  it('11: stdin on a terminal is refused with a hint (no EAGAIN, no wait for Ctrl-D); piped stdin is read', () => {
    const f = onTty(`${process.execPath} ${RUN} check -f -`);
    assert.equal(f.code, 2, f.out);
    assert.match(f.out, /podscope: -f - reads standard input, but standard input is a terminal/);
    assert.doesNotMatch(f.out, /EAGAIN/);
    const log = onTty(`${process.execPath} ${RUN} pleg --offline --kubelet-log -`);
    assert.equal(log.code, 2, log.out);
    assert.match(log.out, /--kubelet-log - reads standard input, but standard input is a terminal\r?\n {2}hint: pipe or redirect/);
    const piped = runCli(['pleg', '--offline', '--kubelet-log', '-', '-o', 'json'], { stdin: 'Nov 19 10:00:00 n1 kubelet[1]: I1119 10:00:00.000000 1 kubelet.go:1] "hello"\n' });
    assert.notEqual(piped.code, 2, piped.stderr);
  });

  it('12: help piped into head never warns of an unsettled await and exits 0', () => {
    for (let i = 0; i < 4; i++) {
      for (const c of ['check', 'pleg', 'snapshot']) {
        const r = spawnSync('bash', ['-c', `"${process.execPath}" "${RUN}" ${c} --help | head -3 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
        assert.doesNotMatch(r.stderr, /unsettled top-level await|EPIPE/);
        assert.equal(r.stdout.trim(), '0', `${c}: ${r.stderr}`);
      }
    }
  });

  it('15: one duration syntax, one log-window flag, agreeing catalogue, "1 check:", JSON fields, $ examples', () => {
    // A bare number is seconds everywhere (as --request-timeout); a bad duration is exit 2.
    assert.equal(runCli(['stop', 'web', '--timeout', '5']).code, 3, 'accepted, then no kubeconfig');
    assert.equal(runCli(['stop', 'web', '--timeout', '5x']).code, 2);
    assert.equal(runCli(['pleg', '--offline', '--kubelet-log', LOG, '--since', '90']).code, 1);
    assert.equal(runCli(['snapshot', '/tmp/podscope-never', '--since', 'soon']).code, 2);
    assert.equal(runCli(['snapshot', '/tmp/podscope-never', '--log-since', '90']).code, 3, 'old name still accepted');
    assert.doesNotMatch(runCli(['snapshot', '--help']).stdout, /log-since/);
    // checks -o wide: each NEEDS line has its RBAC line beside it.
    const wide = runCli(['checks', '-o', 'wide']).stdout;
    assert.match(wide, /^PLEG002 .* events {2,}.*list events {2,}.*\n {50,}nodes \(optional\) +list nodes \(cluster-wide\)/m);
    assert.match(runCli(['check', '--from', EXAMPLE, '--checks', 'POD001']).stdout, /\n1 check: /);
    const pleg = JSON.parse(runCli(['pleg', '--offline', '--kubelet-log', LOG, '-o', 'json']).stdout);
    assert.deepEqual(Object.keys(pleg).slice(0, 2), ['schemaVersion', 'tool']);
    for (const c of ['check', 'checks', 'inspect', 'pleg', 'schedule', 'snapshot', 'stop']) {
      const ex = runCli([c, '--help']).stdout.split('EXAMPLES\n')[1] ?? '';
      for (const line of ex.split('\n').filter((l) => l.trim())) assert.match(line, /^ {2}\$ /, `${c}: ${line}`);
    }
  });

  it('16: run as kubectl-podscope, usage and examples say kubectl podscope', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'podscope-plugin-'));
    const plugin = path.join(dir, 'kubectl-podscope');
    symlinkSync(RUN, plugin);
    const run = (args: string[]) => spawnSync(process.execPath, [plugin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1' } });
    const help = run(['check', '--help']).stdout;
    assert.match(help, /USAGE\n {2}\$ kubectl podscope check/);
    assert.doesNotMatch(help.split('EXAMPLES')[1], /\$ podscope/);
    assert.match(run(['--help']).stdout, /\$ kubectl podscope \[COMMAND\]/);
    assert.match(run(['snapshot']).stderr, /usage: kubectl podscope snapshot DIR \[flags\]; see kubectl podscope snapshot --help/);
    assert.match(run(['chekc']).stderr, /kubectl podscope --help lists the commands/);
  });
});
