// Mocha reporter: the spec reporter's output, then the plain line CI reads ("N passed, N failed").
// With PODSCOPE_TEST_SUMMARY set, the counts are also appended to that file as JSON (one line a run)
// so .ci/run can add up the unit and integration runs.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

const { EVENT_RUN_END } = Mocha.Runner.constants;

class PodscopeReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats || { passes: 0, failures: 0, pending: 0 };
      const line = `${s.passes} passed, ${s.failures} failed` + (s.pending ? `, ${s.pending} skipped` : '');
      process.stdout.write(`\n${line}\n`);
      const out = process.env.PODSCOPE_TEST_SUMMARY;
      if (out) fs.appendFileSync(out, JSON.stringify({ passed: s.passes, failed: s.failures, skipped: s.pending }) + '\n');
    });
  }
}
module.exports = PodscopeReporter;
