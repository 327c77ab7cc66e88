// `check -A --from` a snapshot of 5,000 nodes and 150,000 pods: time and peak RSS, against a bare
// JSON.parse of the same files (target: < 20 s, < 2 GiB, within 3x of JSON.parse), and at a quarter
// of the size to show the growth is linear.
import { createReadStream, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { PROBE, ROOT, report, timeRun } from './lib.js';
import { generateSnapshot } from './gen-snapshot.js';

async function parseAll(dir) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let n = 0;
  for (const f of ['nodes', 'pods', 'events', 'services', 'endpointslices']) {
    const file = path.join(dir, `${f}.jsonl`);
    if (!existsSync(file)) continue;
    for await (const line of readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (line) {
        JSON.parse(line);
        n++;
      }
    }
  }
  const c = process.cpuUsage(c0);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (c.user + c.system) / 1000, n };
}

const sizes = [
  { nodes: 1250, pods: 37500 },
  { nodes: 5000, pods: 150000 },
];
for (const s of sizes) {
  const dir = path.join(ROOT, 'bench', '.data', `snap-${s.nodes}-${s.pods}`);
  const made = await generateSnapshot(dir, s);
  const ref = await parseAll(dir);
  const run = timeRun(process.execPath, ['--require', PROBE, path.join(ROOT, 'bin', 'run.js'), 'check', '-A', '--from', dir, '-o', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.code !== 0 && run.code !== 1) throw new Error(`check failed (${run.code}): ${run.stderr.slice(0, 500)}`);
  const findings = JSON.parse(run.stdout).findings.length;
  console.log(`\n${s.nodes} nodes, ${s.pods} pods (${made.mb.toFixed(0)} MB of JSONL${made.reused ? ', reused' : ''}); ${findings} findings`);
  report('check -A --from (wall)', run.ms / 1000, 's', 'JSON.parse of the same files', ref.ms / 1000, '< 20 s and <= 3x');
  // CPU time (user + system, every thread) is less swayed by other jobs than wall time: printed beside it.
  if (run.cpuMs !== undefined) report('check -A --from (CPU, all threads)', run.cpuMs / 1000, 's', 'JSON.parse of the same files', ref.cpuMs / 1000, 'for comparison under load');
  console.log(`peak RSS: ${run.rssMiB?.toFixed(0)} MiB (target < 2048 MiB); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}
