// Kubelet log scan: `podscope pleg --kubelet-log` over a generated 1 GiB log, beside `grep -cE`
// with the same patterns on the same file in the same run (target: >= 100 MB/s or within 3x of
// grep), and peak RSS at 128 MiB and 1 GiB (target: flat, the scan streams).
import { openSync, readSync, closeSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { PROBE, ROOT, report, timeRun } from './lib.js';
import { generateKubeletLog } from './gen-kubelet-log.js';
import { SIGNATURES } from '../dist/analysis/pleg/signatures.js';

const dir = path.join(ROOT, 'bench', '.data');
const big = path.join(dir, 'kubelet-1g.log');
const made = await generateKubeletLog(big, 2 ** 30);

// A 128 MiB prefix of the same log, cut at a line end.
const small = path.join(dir, 'kubelet-128m.log');
if (!existsSync(small)) {
  const fd = openSync(big, 'r');
  const buf = Buffer.alloc(2 ** 27);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  writeFileSync(small, buf.subarray(0, buf.lastIndexOf(10, n - 1) + 1));
}

// The same literal keys podscope's prefilter uses, as one extended regex for grep.
const keys = [...new Set(SIGNATURES.flatMap((s) => s.keys))];
const ere = keys.map((k) => k.replace(/[.[\]{}()*+?^$|\\]/g, '\\$&')).join('|');

const mbOf = (file) => Number(timeRun('stat', ['-c', '%s', file]).stdout) / 1e6;
console.log(`log: ${made.mb.toFixed(0)} MiB${made.reused ? ' (reused)' : ''}; ${keys.length} patterns`);
for (const file of [small, big]) {
  const mb = mbOf(file);
  const scan = timeRun(process.execPath, ['--require', PROBE, path.join(ROOT, 'bin', 'run.js'), 'pleg', '--offline', '--kubelet-log', file, '-o', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // exit 1 = a node at or above --fail-on (the generated log is of an unhealthy node)
  if (scan.code !== 0 && scan.code !== 1) throw new Error(`pleg failed (${scan.code}): ${scan.stderr.slice(0, 500)}`);
  const node = JSON.parse(scan.stdout).nodes[0];
  const grep = timeRun('grep', ['-cE', ere, file]);
  console.log(`\n${path.basename(file)}: ${mb.toFixed(0)} MB; podscope: ${node.status}, top cause ${node.causes[0]?.id ?? '-'}; grep counted ${grep.stdout.trim()} matching lines`);
  report('podscope pleg --kubelet-log (throughput)', mb / (scan.ms / 1000), 'MB/s', 'grep -cE same patterns', mb / (grep.ms / 1000), '>= 100 MB/s or within 3x of grep');
  console.log(`peak RSS: ${scan.rssMiB?.toFixed(0)} MiB (target: flat across sizes)`);
}
