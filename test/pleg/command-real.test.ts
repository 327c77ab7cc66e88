import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, fixture, runCli } from '../helpers/cli.js';
import { parseValid } from '../helpers/schema.js';

const real = (...p: string[]) => fixture('real', 'pleg', ...p);

describe('podscope pleg on what on-call engineers paste (built CLI)', () => {
  it('reads `kubectl describe node` text with --describe-node, offline', () => {
    const r = runCli(['pleg', '--describe-node', real('jupyter-et-13-describe-node', 'describe-node.txt'), '--offline', '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const node = (parseValid(r.stdout) as { nodes: { name: string; status: string; plegLastSeenSeconds: number }[] }).nodes[0];
    assert.deepEqual([node.name, node.status], ['etkhub', 'unhealthy']);
    assert.ok(node.plegLastSeenSeconds > 16 * 3600);
    const healthy = runCli(['pleg', '--describe-node', real('negative-pharos-12-describe-ready', 'describe-node.txt'), '--offline']);
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
  });

  it('refuses --describe-node text that has no Conditions table, exit 3, one line', () => {
    const r = runCli(['pleg', '--describe-node', path.join(ROOT, 'README.md'), '--offline']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /not `kubectl describe node` output/);
  });

  it('says unhealthy, and that the duration was unreadable, when a paste broke it', () => {
    const r = runCli(['pleg', '--kubelet-log', real('k8s-93886-broken-duration', 'kubelet.log'), '--offline']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /UNHEALTHY/);
    assert.match(r.stdout, /duration unreadable/);
  });

  // Issue 13 item 8: input that is not a kubelet log.
  for (const [what, content] of [
    ['an empty file', ''],
    ['random bytes', Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 256))],
    ['a README', null],
  ] as const) {
    it(`says unknown, "does not look like a kubelet log", and exits 4 with --strict on ${what}`, () => {
      let file = path.join(ROOT, 'README.md');
      if (content !== null) {
        file = path.join(mkdtempSync(path.join(tmpdir(), 'podscope-notlog-')), 'input.log');
        writeFileSync(file, content);
      }
      const r = runCli(['pleg', '--kubelet-log', file, '--offline', '--strict']);
      assert.equal(r.code, 4, r.stdout + r.stderr);
      assert.match(r.stdout, /unknown/);
      assert.match(r.stdout, /this does not look like a kubelet log \(\d+ of \d+ lines recognised\)/);
      assert.equal(runCli(['pleg', '--kubelet-log', file, '--offline']).code, 0, 'without --strict, unknown is not a failure');
    });
  }
});
