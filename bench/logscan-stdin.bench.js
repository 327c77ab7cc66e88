// 1 GiB kubelet log through standard input: the generator streams it into a pipe (nothing is
// written to disk) and `podscope pleg --offline --kubelet-log -` reads it. Beside it, in the same
// run and from the same generator: `grep -cE` with podscope's prefilter patterns and `wc -l`.
// Figures: wall time, MB/s and peak RSS (target: memory flat, DESIGN.md §5: the scan streams).
import path from 'node:path';
import { PROBE, ROOT, report, timeRun } from './lib.js';
import { SIGNATURES } from '../dist/analysis/pleg/signatures.js';

const BYTES = 2 ** 30;
const gen = `"${process.execPath}" "${path.join(ROOT, 'bench', 'gen-kubelet-log.js')}" --stdout ${BYTES}`;
const keys = [...new Set(SIGNATURES.flatMap((s) => s.keys))];
const ere = keys.map((k) => k.replace(/[.[\]{}()*+?^$|\\]/g, '\\$&')).join('|');
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
// GNU time gives the reference's peak RSS; absent, the reference has no RSS figure.
const gnuTime = timeRun('/usr/bin/time', ['-f', '%M', 'true']).code === 0;
const rssOf = (stderr) => {
  const m = /^(\d+)\s*$/m.exec(stderr ?? '');
  return gnuTime && m ? Number(m[1]) / 1024 : undefined;
};

/** Runs `gen | cmd` in sh with pipefail; returns wall ms, exit code, stdout and stderr. */
function piped(cmd) {
  const r = timeRun('bash', ['-o', 'pipefail', '-c', `${gen} | ${cmd}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  return r;
}

const mb = BYTES / 1e6;
const genOnly = piped('cat > /dev/null');
const podscope = piped(`"${process.execPath}" --require "${PROBE}" "${path.join(ROOT, 'bin', 'run.js')}" pleg --offline --kubelet-log - -o json`);
// exit 1 = a node at or above --fail-on (the generated log is of an unhealthy node)
if (podscope.code !== 0 && podscope.code !== 1) throw new Error(`pleg failed (${podscope.code}): ${podscope.stderr.slice(0, 500)}`);
const node = JSON.parse(podscope.stdout).nodes[0];
const grep = piped(`${gnuTime ? '/usr/bin/time -f %M ' : ''}grep -cE ${q(ere)}`);
const wc = piped(`${gnuTime ? '/usr/bin/time -f %M ' : ''}wc -l`);

console.log(`1 GiB (${mb.toFixed(0)} MB) generated into a pipe; generator alone into cat: ${(genOnly.ms / 1000).toFixed(1)} s (${(mb / (genOnly.ms / 1000)).toFixed(0)} MB/s, the ceiling)`);
console.log(`podscope: ${node.status}, top cause ${node.causes[0]?.id ?? '-'}; grep counted ${grep.stdout.trim()} matching lines, wc ${wc.stdout.trim()} lines`);
console.log(`wall: podscope ${(podscope.ms / 1000).toFixed(1)} s | grep -cE ${(grep.ms / 1000).toFixed(1)} s | wc -l ${(wc.ms / 1000).toFixed(1)} s`);
report('pleg --kubelet-log - (throughput)', mb / (podscope.ms / 1000), 'MB/s', 'grep -cE same patterns, same pipe', mb / (grep.ms / 1000), '>= 100 MB/s or within 3x of grep');
report('pleg --kubelet-log - (throughput)', mb / (podscope.ms / 1000), 'MB/s', 'wc -l, same pipe', mb / (wc.ms / 1000), 'information only');
const fmt = (x) => (x === undefined ? 'n/a' : `${x.toFixed(0)} MiB`);
console.log(`peak RSS: podscope ${fmt(podscope.rssMiB)} | grep ${fmt(rssOf(grep.stderr))} | wc ${fmt(rssOf(wc.stderr))} (target: podscope under 200 MiB, flat: the 128 MiB and 1 GiB file runs of logscan.bench.js show the same)`);
if (podscope.rssMiB !== undefined && podscope.rssMiB > 200) {
  console.log('OVER TARGET: peak RSS above 200 MiB for a streamed log');
  process.exitCode = 1;
}
