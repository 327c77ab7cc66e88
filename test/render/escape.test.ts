import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { AnatomyResult } from '../../src/analysis/anatomy/types.js';
import type { PlegResult } from '../../src/analysis/pleg/types.js';
import type { StopResult } from '../../src/analysis/stop/result.js';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/gather/check.js';
import type { Report } from '../../src/report/types.js';
import { renderAnatomyTable } from '../../src/render/anatomy.js';
import { escapeControl, escapeControlKeepNewlines, escapeError } from '../../src/render/escape.js';
import { renderPlegTable } from '../../src/render/pleg.js';
import { renderReportMarkdown, renderReportTable } from '../../src/render/report.js';
import { renderStopTable } from '../../src/render/stop.js';
import { openSource } from '../../src/source/open.js';
import { ROOT, fixture, runCli } from '../helpers/cli.js';

/** What must never reach a terminal from data: C0 but newline, DEL, C1, and the bidi controls. */
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Strings rich in what attacks a terminal, mixed with any code point. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\u001b', '\u0007', '\r', '\n', '\t', '\b', '\u007f', '\u009b', '\u0085', '\u202e', '\u2066', '\u0000', ']', '[', '2J', ';', 'a', ' '), maxLength: 16 }),
);

/** A copy of a value with `s` appended to every string in it (every field a renderer may show). */
function taint<T>(v: T, s: string): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') return x + s;
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  return walk(v) as T;
}

function clean(text: string, what: string): void {
  const m = FORBIDDEN.exec(text);
  assert.equal(m, null, `${what}: U+${m?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} at ${m?.index} in ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 20), (m?.index ?? 0) + 20))}`);
}

describe('terminal escapes (render boundary)', () => {
  it('shows the OSC 52 container name of issue 15 escaped, and bidi overrides as \\u', () => {
    assert.equal(escapeControl('app\u001b]52;c;ZXZpbA==\u0007\u001b[2J'), 'app\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J');
    assert.equal(escapeControl('a\u202eb\u2066c\u0085d\u007fe\bf\rg\nh\ti'), 'a\\u202eb\\u2066c\\x85d\\x7fe\\x08f\\rg\\nh\\ti');
    assert.equal(escapeControlKeepNewlines('one\ntwo\u001b[2J'), 'one\ntwo\\x1b[2J');
    assert.equal(escapeControl('plain — ünïcode ✓'), 'plain — ünïcode ✓');
  });

  it('escapes an error message and its hint before they are printed', () => {
    const err = Object.assign(new Error('pod "x\u001b[2J" not found'), { hint: 'pods: y\u0007' });
    escapeError(err);
    assert.equal(err.message, 'pod "x\\x1b[2J" not found');
    assert.equal(err.hint, 'pods: y\\x07');
  });

  describe('property: no control byte but newline, and no ESC, reaches a table from any string field', () => {
    let report: Report;
    let anatomy: AnatomyResult;
    let stop: StopResult;
    let pleg: PlegResult;
    before(async () => {
      const source = await openSource({ from: `${ROOT}/examples/shop-snapshot` });
      report = await runChecks({ source, scope: { allNamespaces: true }, checks: CHECKS, now: new Date('2026-11-21T17:00:00Z') });
      const hostileFile = fixture('hostile', 'hostile.json');
      anatomy = JSON.parse(runCli(['inspect', '-f', hostileFile, '-o', 'json']).stdout) as AnatomyResult;
      stop = JSON.parse(runCli(['stop', '-f', hostileFile, 'web-7d9f8-abcde', '-o', 'json']).stdout) as StopResult;
      pleg = JSON.parse(runCli(['pleg', '--offline', '--kubelet-log', fixture('pleg', 'disk-io-1.21', 'kubelet.log'), '-o', 'json']).stdout) as PlegResult;
      assert.ok(report.findings.length && anatomy.containers.length && stop.containers.length && pleg.nodes.length);
    });

    for (const width of [undefined, 80]) {
      for (const wide of [false, true]) {
        it(`check, inspect, stop and pleg tables (${wide ? 'wide' : 'table'}, width ${width ?? 'none'})`, function () {
          // 60 renders of four tables: 2-9 s idle, over 20 s at load average 16 (a correctness
          // property, not a speed target, so it gets room)
          this.timeout(120_000);
          fc.assert(
            fc.property(hostile, (s) => {
              const opts = { color: false, width, wide };
              clean(renderReportTable(taint(report, s), opts), 'check');
              const header = taint({ node: 'node-1', phase: 'Running', template: null, notes: ['events: forbidden'], warnings: ['2026 Warning Unhealthy: probe failed'] }, s);
              clean(renderAnatomyTable(taint(anatomy, s), header, opts), 'inspect');
              clean(renderStopTable(taint(stop, s), opts), 'stop');
              clean(renderPlegTable(taint(pleg, s), opts), 'pleg');
            }),
            { numRuns: 60 },
          );
        });
      }
    }

    it('markdown', () => {
      fc.assert(fc.property(hostile, (s) => clean(renderReportMarkdown(taint(report, s)), 'markdown')), { numRuns: 60 });
    }).timeout(120_000);
  });
});
