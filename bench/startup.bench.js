// Cold start: `podscope --version` and `--help` against `node -e 0` (target: within 2x).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, median, report, timeRun } from './lib.js';

const run = path.join(ROOT, 'bin', 'run.js');
const N = 15;
// A run that fails (e.g. an old Node refused) would be fast and wrong: check each command works first.
for (const [args, want] of [[['--version'], /^podscope\/\d/], [['--help'], /COMMANDS/], [['checks'], /^ID\s+SEVERITY/]]) {
  const r = timeRun(process.execPath, [run, ...args]);
  if (r.code !== 0 || !want.test(r.stdout)) throw new Error(`podscope ${args.join(' ')} failed (exit ${r.code}): ${r.stderr}`);
}
const ref = median(N, () => timeRun(process.execPath, ['-e', '0']).ms);
const version = median(N, () => timeRun(process.execPath, [run, '--version']).ms);
const help = median(N, () => timeRun(process.execPath, [run, '--help']).ms);
const checks = median(N, () => timeRun(process.execPath, [run, 'checks']).ms);
console.log(`median of ${N} runs, Node ${process.version}`);
report('podscope --version', version, 'ms', 'node -e 0', ref, '<= 2x');
report('podscope --help   ', help, 'ms', 'node -e 0', ref, '<= 2x');
report('podscope checks   ', checks, 'ms', 'node -e 0', ref, '(no target; loads the registry)');

// The single-file executable (npm run dist), if built: same commands, beside the same reference.
const sea = path.join(ROOT, 'dist-bin', '.build', 'linux-amd64', 'kubectl-podscope');
if (fs.existsSync(sea)) {
  const seaVersion = median(N, () => timeRun(sea, ['--version'], { env: {} }).ms);
  const seaChecks = median(N, () => timeRun(sea, ['checks'], { env: {} }).ms);
  // kubectl runs kubectl_complete-podscope -> kubectl-podscope __complete at every TAB
  const completes = timeRun(sea, ['__complete', 'ch'], { env: {} });
  if (completes.code !== 0 || !/^check\t/.test(completes.stdout)) throw new Error(`executable __complete failed (exit ${completes.code}): ${completes.stderr}`);
  const seaComplete = median(N, () => timeRun(sea, ['__complete', 'ch'], { env: {} }).ms);
  report('executable --version', seaVersion, 'ms', 'node -e 0', ref, '<= 2x');
  report('executable checks   ', seaChecks, 'ms', 'node -e 0', ref, '(no target; loads the registry)');
  report('executable __complete', seaComplete, 'ms', 'node -e 0', ref, '(no target; one TAB of kubectl podscope)');
} else {
  console.log('executable: not measured (dist-bin/ missing: run npm run dist)');
}
