import junitBuilder from 'junit-report-builder';
import type { Builder } from 'junit-report-builder';
import type { Report } from '../report/types.js';

// The package is CommonJS whose module.exports is the builder; its .d.ts declares an ES default,
// which NodeNext types as the namespace. At run time the default import is the builder itself.
const root = junitBuilder as unknown as Builder;

/**
 * The report as JUnit XML: a suite per check, a failing case per finding, skipped and errored cases.
 * Shaped for what CI readers show: GitLab's parser (lib/gitlab/ci/parsers/test/junit.rb) shows the
 * text of <failure>/<error>, so a finding's evidence and next step go there, not only in
 * <system-out>; and the output is valid against Jenkins' junit-10.xsd (test/ci/vendor).
 */
export function renderJunit(report: Report): string {
  const b = root.newBuilder();
  b.name('podscope');
  for (const check of report.checks) {
    const suite = b.testSuite().name(`${check.id} ${check.title}`);
    const findings = report.findings.filter((f) => f.checkId === check.id);
    if (check.status === 'skipped') {
      suite.testCase().className(check.id).name(check.title).skipped().standardOutput(check.reason ?? '');
    } else if (check.status === 'errored') {
      suite.testCase().className(check.id).name(check.title).error(check.reason ?? 'errored', 'errored', check.reason ?? 'errored');
    } else if (!findings.length) {
      suite.testCase().className(check.id).name(check.title);
    }
    for (const f of findings) {
      const s = f.subject;
      const name = `${s.kind}/${s.namespace ? `${s.namespace}/` : ''}${s.name}${s.container ? ` [${s.container}]` : ''}`;
      const details = [...f.evidence, ...(f.remediation ? [`next: ${f.remediation}`] : [])].join('\n');
      const c = suite.testCase().className(check.id).name(name).failure(`${f.severity}: ${f.message}`, f.severity);
      if (details) c.stacktrace(details);
    }
  }
  // The builder also writes a skipped count on <testsuites>, which junit-10.xsd does not allow
  // (and no reader needs: each <testsuite> carries its own). Only the root tag is touched.
  return b.build().replace(/^(<testsuites\b[^>]*?) skipped="\d+"/m, '$1') + '\n';
}
