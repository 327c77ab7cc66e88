import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { scanKubeletLog } from '../../src/analysis/pleg/logscan.js';
import { ROOT } from '../helpers/cli.js';

const fragments = [
  'E1119 10:02:03.123456    1 kubelet.go:1846] ', 'Nov 19 10:02:03 node-7 kubelet[1234]: ', '{"ts":1.5,"msg":"x"', 'PLEG is not healthy: pleg was last seen active ',
  '3m5.30015447s ago; threshold is 3m0s', 'rpc error: code = DeadlineExceeded', 'goroutine 1 [chan send, 5 minutes]:\n', '(*GenericPLEG).relist(',
  '\n', '\r\n', '\u0000', '\uFFFD', '"Kubelet version" kubeletVersion="v', 'killing cmd [du ', 'NetworkPlugin cni failed',
];

describe('kubelet log scanner (properties)', () => {
  it('never throws on arbitrary bytes, in any chunking, and counts every byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), async (chunks) => {
        const bufs = chunks.map((c) => Buffer.from(c));
        const r = await scanKubeletLog(Readable.from(bufs), { year: 2026 });
        assert.equal(r.bytes, bufs.reduce((n, b) => n + b.length, 0));
        assert.equal(r.incomplete, null);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on log-like text assembled from real fragments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 20 })), { maxLength: 60 }), async (parts) => {
        const r = await scanKubeletLog(Readable.from([parts.join('')]), { year: 2026 });
        for (const h of Object.values(r.hits)) {
          assert.ok(h.count >= 1 && h.examples.length >= 1 && h.examples.length <= 3);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps memory flat: 50 MB of log costs no more heap than 5 MB', function () {
    this.timeout(120_000);
    const run = (mb: number) => {
      const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(ROOT, 'test', 'pleg', 'memory-child.ts'), String(mb)], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 110_000,
      });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as { bytes: number; peak: number; hits: number };
    };
    const small = run(5);
    const big = run(50);
    assert.ok(big.bytes >= 10 * small.bytes * 0.95, 'the big run read ten times the bytes');
    assert.ok(big.hits > 9 * small.hits, 'and found ten times the matches');
    // Flat: the heap after GC does not grow with the input (slack for GC timing, not size).
    assert.ok(big.peak < small.peak * 1.5 + 4 * 1024 * 1024, `heap ${small.peak} B for 5 MB vs ${big.peak} B for 50 MB`);
  });
});
