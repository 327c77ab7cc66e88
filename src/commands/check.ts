import { Flags } from '@oclif/core';
import { PodscopeCommand } from '../cli/base.js';
import { gateFlags, reportOutputFlag, scopeFlags, sourceFlags } from '../cli/flags.js';
import { emptyScope } from '../cli/empty-scope.js';
import type { EmptyScope } from '../cli/empty-scope.js';
import { startSpinner } from '../cli/spinner.js';
import { findCommandFinding } from '../checks/command-only.js';
import { CHECKS, findCheck } from '../checks/registry.js';
import { UsageError } from '../errors.js';
import { runChecks } from '../gather/check.js';
import { gateExitCode } from '../report/gate.js';
import type { Report } from '../report/types.js';
import { renderJunit } from '../render/junit.js';
import { renderReportMarkdown, renderReportTable } from '../render/report.js';
import { renderSarif } from '../render/sarif.js';

/** `podscope check`: every check over a scope; the CI gate. */
export default class Check extends PodscopeCommand {
  static override summary = 'Run every check over a scope and gate on the findings (for CI and morning sweeps).';
  static override description = `Findings are sorted by severity. Exit codes: 0 nothing at or above --fail-on; 1 findings at or above --fail-on; 2 usage error; 3 could not gather data; 4 a check could not run and --strict was given.`;
  static override examples = [
    '<%= config.bin %> check -n shop --fail-on warning -o junit > podscope.xml',
    '<%= config.bin %> check -A -o markdown >> "$GITHUB_STEP_SUMMARY"',
    '<%= config.bin %> check --from ./snapshot -o json',
  ];
  static override flags = {
    ...sourceFlags,
    ...scopeFlags,
    ...gateFlags,
    output: reportOutputFlag,
    checks: Flags.string({ description: 'Comma-separated check ids to run (default: all).' }),
  };

  async run(): Promise<Report> {
    const { flags } = await this.parse(Check);
    const checks = flags.checks
      ? flags.checks.split(',').map((id) => {
          const c = findCheck(id.trim());
          const only = c ? undefined : findCommandFinding(id.trim());
          if (only) throw new UsageError(`${only.id} is reported by podscope ${only.command} about one pod, not by check`, `run podscope ${only.command} POD; podscope checks lists the checks`);
          if (!c) throw new UsageError(`unknown check "${id.trim()}"`, 'podscope checks lists them');
          return c;
        })
      : CHECKS;
    const human = flags.output === 'table' || flags.output === 'wide';
    const spinner = await startSpinner('gathering', human && !this.jsonEnabled());
    let report: Report;
    let empty: EmptyScope | undefined;
    try {
      const source = await this.source(flags);
      const scope = this.scope(flags, source);
      report = await runChecks({ source, scope, checks, now: new Date() });
      empty = await emptyScope(source, scope);
    } finally {
      spinner.stop();
    }
    if (empty) process.stderr.write(`podscope: ${empty.note}\n`);
    const format = flags.output;
    if (!this.emitData(format, report)) {
      if (format === 'junit') this.emit(renderJunit(report));
      else if (format === 'sarif') this.emit(renderSarif(report));
      else if (format === 'markdown') this.emit(renderReportMarkdown(report));
      else this.emit(renderReportTable(report, { ...this.renderOptions(), wide: format === 'wide' }));
    }
    const incomplete = report.summary.skipped + report.summary.errored > 0;
    process.exitCode = gateExitCode(report.findings, incomplete || Boolean(empty), { failOn: flags['fail-on'], strict: flags.strict });
    return report;
  }
}
