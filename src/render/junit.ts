import junitBuilder from 'junit-report-builder';
import type { Builder } from 'junit-report-builder';
import type { Report } from '../report/types.js';

// The package is CommonJS whose module.exports is the builder; its .d.ts declares an ES default,
// which NodeNext types as the namespace. At run time the default import is the builder itself.
const root = junitBuilder as unknown as Builder;

// Characters XML 1.0 cannot carry even escaped (the builder drops them the same way).
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const xmlText = (s: string) => s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlAttr = (s: string) => xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');

/**
 * The report as JUnit XML: a suite per check, a failing case per finding, skipped and errored cases.
 * Shaped for what CI readers show: GitLab's parser (lib/gitlab/ci/parsers/test/junit.rb) shows the
 * text of <failure>/<error>, so a finding's evidence and next step go there, not only in
 * <system-out>, and a skipped check's reason is the message and text of <skipped>; and the output
 * is valid against Jenkins' junit-10.xsd (test/ci/vendor).
 */
export function renderJunit(report: Report): string {
  const b = root.newBuilder();
  b.name('podscope');
  const skipReasons: string[] = [];
  for (const check of report.checks) {
    const suite = b.testSuite().name(`${check.id} ${check.title}`);
    const findings = report.findings.filter((f) => f.checkId === check.id);
    if (check.status === 'skipped') {
      suite.testCase().className(check.id).name(check.title).skipped();
      skipReasons.push(check.reason ?? 'skipped');
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
  // The builder writes <skipped/> with no way to give the reason, so each one (in check order, as
  // built) gets its reason here. It also writes a skipped count on <testsuites>, which junit-10.xsd
  // does not allow (and no reader needs: each <testsuite> carries its own).
  // Only markup outside CDATA sections is touched: evidence in a CDATA section is cluster data and
  // may spell "<skipped/>" itself (outside CDATA the builder escapes every "<" of data).
  let i = 0;
  const parts = b.build().replace(/^(<testsuites\b[^>]*?) skipped="\d+"/m, '$1').split(/(<!\[CDATA\[[\s\S]*?\]\]>)/);
  const xml = parts
    .map((part, n) =>
      n % 2 === 1
        ? part
        : part.replace(/<skipped\/>/g, () => {
            const reason = skipReasons[i++] ?? 'skipped';
            return `<skipped message="${xmlAttr(reason)}">${xmlText(reason)}</skipped>`;
          }),
    )
    .join('');
  return xml + '\n';
}
