// `check -f` on the same 5,000 pods as multi-document YAML, one YAML List, one JSON List and a JSON
// stream, beside kube-score v1.20.0 (`score -o ci`, built by tools/build.sh from tools/kube-score/ like the control
// plane) on the same file, and beside JSON.parse of the JSON List, all in the same run.
// Target (issue 14): check -f at least as fast as kube-score on YAML and multi-document input.
// Also the parser choice: js-yaml (what podscope uses) against `yaml` on the multi-document file.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { load } from 'js-yaml';
import { PROBE, ROOT, median, timeRun } from './lib.js';
import { generateManifests } from './gen-manifests.js';

const PODS = 5000;
const files = generateManifests(path.join(ROOT, 'bench', '.data'), PODS);

const build = spawnSync('bash', [path.join(ROOT, 'tools', 'build.sh'), 'kube-score'], { encoding: 'utf8' });
const kubeScore = build.status === 0 ? build.stdout.trim().split('\n').at(-1) : undefined;
if (!kubeScore) console.log(`kube-score: skipped (build failed: ${(build.stderr || '').trim().split('\n').at(-1) ?? `exit ${build.status}`})`);

const jsonList = readFileSync(files['JSON List'].file, 'utf8');
const parseMs = median(3, () => {
  const t = performance.now();
  JSON.parse(jsonList);
  return performance.now() - t;
});
console.log(`${PODS} pods; reference JSON.parse of the JSON List (${files['JSON List'].mb.toFixed(1)} MB): ${parseMs.toFixed(0)} ms`);

const run = (args) => {
  const r = timeRun(process.execPath, ['--require', PROBE, path.join(ROOT, 'bin', 'run.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.code !== 0 && r.code !== 1) throw new Error(`podscope ${args.join(' ')} failed (${r.code}): ${r.stderr.slice(0, 500)}`);
  return r;
};
const ks = (file) => {
  const r = timeRun('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M', kubeScore, 'score', '-o', 'ci', file]);
  return { ...r, objects: new Set((r.stdout.match(/^\[\w+\] ([^:]+):/gm) ?? []).map((l) => l.split(' ')[1])).size };
};
console.log('\nform                 MB    podscope check -f        kube-score score -o ci        ratio   x JSON.parse');
let first;
for (const [form, { file, mb }] of Object.entries(files)) {
  const ps = [run(['check', '-f', file, '-o', 'json']), run(['check', '-f', file, '-o', 'json'])].sort((a, b) => a.ms - b.ms)[0];
  const findings = JSON.stringify(JSON.parse(ps.stdout).findings);
  // The same pods in every form must give the same findings.
  if ((first ??= findings) !== findings) throw new Error(`${form}: findings differ from the first form's`);
  let ref = 'skipped';
  let ratio = '';
  if (kubeScore) {
    const k = [ks(file), ks(file)].sort((a, b) => a.ms - b.ms)[0];
    ref = k.objects ? `${(k.ms / 1000).toFixed(2)} s ${k.rssMiB?.toFixed(0)} MiB` : `reads no objects (${(k.ms / 1000).toFixed(2)} s)`;
    ratio = k.objects ? `${(ps.ms / k.ms).toFixed(2)}x` : '-';
  }
  console.log(`${form.padEnd(20)} ${mb.toFixed(1).padStart(4)}  ${`${(ps.ms / 1000).toFixed(2)} s ${ps.rssMiB?.toFixed(0)} MiB`.padEnd(24)} ${ref.padEnd(29)} ${ratio.padEnd(7)} ${(ps.ms / parseMs).toFixed(1)}x  (${JSON.parse(findings).length} findings)`);
}
console.log('target: podscope <= kube-score (ratio <= 1.00x) on every YAML and multi-document form');

// The parser choice, in process, on the multi-document YAML: parse only.
const multi = readFileSync(files['multi-document YAML'].file, 'utf8');
const docs = multi.split(/^---\n/m);
const tJs = performance.now();
for (const d of docs) load(d);
const jsMs = performance.now() - tJs;
const tY = performance.now();
for (const d of parseAllDocuments(multi)) d.toJS();
const yMs = performance.now() - tY;
console.log(`\nYAML parsers on the multi-document file: js-yaml ${jsMs.toFixed(0)} ms, yaml ${yMs.toFixed(0)} ms (${(yMs / jsMs).toFixed(1)}x slower); JSON.parse of the same pods ${parseMs.toFixed(0)} ms`);
