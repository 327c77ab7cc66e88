import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, fixture, runCli } from '../helpers/cli.js';

/** Whether util-linux `script` is here to give the CLI a pseudo-terminal. */
const HAVE_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the built CLI on a pseudo-terminal of `cols` columns (stdout only; stderr, the spinner, dropped). */
function runTty(args: string[], cols: number): string {
  const cmd = `stty cols ${cols} rows 50; exec ${quote(process.execPath)} ${quote(path.join(ROOT, 'bin', 'run.js'))} ${args.map(quote).join(' ')} 2>/dev/null`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1', TERM: 'xterm' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  // The pty turns \n into \r\n; drop terminal mode sequences a shell may print.
  return r.stdout.replace(/\r/g, '').replace(/\u001b\[[?0-9;]*[a-zA-Z]/g, '');
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const width = (l: string) => [...l].length;

function fits(out: string, cols: number): void {
  assert.ok(out.trim().length > 0, 'printed something');
  for (const l of out.split('\n')) assert.ok(width(l) <= cols, `${width(l)} > ${cols}: ${l}`);
}

(HAVE_SCRIPT ? describe : describe.skip)('output on a terminal fits its width (pseudo-terminal via script)', () => {
  const SNAP = path.join(ROOT, 'examples', 'shop-snapshot');
  for (const cols of [80, 120]) {
    it(`check at ${cols} columns: every line fits, next steps give each remediation whole`, () => {
      const out = runTty(['check', '--from', SNAP], cols);
      fits(out, cols);
      assert.match(out, /Next steps:/);
      const report = JSON.parse(runCli(['check', '--from', SNAP, '-o', 'json']).stdout) as { findings: { remediation?: string }[] };
      for (const f of report.findings) if (f.remediation) assert.ok(squash(out).includes(squash(f.remediation)), f.remediation);
    });

    it(`inspect at ${cols} columns: CONTAINERS and VOLUMES fit, images still shown`, () => {
      const out = runTty(['inspect', '-f', fixture('inspect', 'istio-classic.json')], cols);
      fits(out, cols);
      assert.match(out, /CONTAINERS \(start order\)/);
      assert.match(squash(out), /docker\.io\/istio\/proxyv2:1\.20\.3/);
      assert.match(out, /VOLUMES\nVOLUME/);
    });

    it(`pleg at ${cols} columns: detail lines fit, no wrapped ellipsis`, () => {
      const out = runTty(['pleg', '--offline', '--kubelet-log', fixture('pleg', 'disk-io-1.21', 'kubelet.log')], cols);
      fits(out, cols);
      for (const l of out.split('\n')) assert.doesNotMatch(l, /^\s*…/);
      assert.match(out, /evidence: /);
    });
  }
});

describe('output off a terminal: full lines', () => {
  it('check prints each finding on one line and -o wide keeps whole evidence', () => {
    const table = runCli(['check', '--from', path.join(ROOT, 'examples', 'shop-snapshot')]).stdout;
    assert.ok(table.split('\n').some((l) => l.length > 120));
    assert.match(table, /Next steps:\n {2}POD001 pod\/shop\/checkout-5f6b8c7d9-2hvzl \[checkout\]: Read why it exits: kubectl logs -n shop checkout-5f6b8c7d9-2hvzl -c checkout --previous\n/);
    const pleg = runCli(['pleg', '--offline', '--kubelet-log', fixture('pleg', 'disk-io-1.21', 'kubelet.log')]).stdout;
    // The renderer used to cut evidence at 154 characters even in a pipe.
    assert.ok(pleg.split('\n').some((l) => l.startsWith('  evidence: ') && l.length > 200), 'evidence lines whole off a terminal');
  });
});
