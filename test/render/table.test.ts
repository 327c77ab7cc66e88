import { strict as assert } from 'node:assert';
import Table from 'cli-table3';
import { fitLines } from '../../src/render/fit.js';
import { linearTable, painter, plainTable } from '../../src/render/style.js';

/** What cli-table3 prints for these rows with plainTable's settings (the reference layout). */
function viaCliTable3(rows: string[][]): string {
  const chars = Object.fromEntries(['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid'].map((k) => [k, '']));
  const t = new Table({ chars: { ...chars, middle: '  ' }, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  for (const r of rows) t.push(r);
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}

describe('tables', () => {
  const c = painter(true);
  const rows = [
    [c.bold('SEVERITY'), c.bold('CHECK'), c.bold('OBJECT'), c.bold('EVIDENCE')],
    [c.red.bold('CRITICAL'), 'POD001', 'pod/shop/checkout [checkout]', 'state: waiting CrashLoopBackOff\nrestarts: 27\nlast termination: Error, exit code 1'],
    [c.yellow('WARNING'), 'PLEG002', 'node/ip-10-0-3-17', 'log ×7 (11-19 10:02:03 → 11-19 10:06:31): “Failed to list pod sandboxes” …'],
    [c.cyan('INFO'), 'STOP005', '', ''],
  ];

  it('the linear layout prints exactly what cli-table3 prints (colour, multi-line cells, wide characters)', () => {
    assert.equal(linearTable(rows), viaCliTable3(rows));
    const plain = rows.map((r) => r.map((x) => x.replace(/\u001b\[[0-9;]*m/g, '')));
    assert.equal(linearTable(plain), viaCliTable3(plain));
  });

  it('plainTable handles 150,000 rows (no call-stack overflow, linear layout)', () => {
    const many = Array.from({ length: 150_000 }, (_, i) => ['WARNING', 'STOP001', `pod/team-${i % 300}/web-${i}`]);
    const out = plainTable(['SEVERITY', 'CHECK', 'OBJECT'], many, painter(false));
    const lines = out.split('\n');
    assert.equal(lines.length, 150_001);
    assert.equal(lines[0], 'SEVERITY  CHECK    OBJECT');
    assert.equal(lines[150_000], 'WARNING   STOP001  pod/team-299/web-149999');
  });
});

describe('tables that fit the terminal (issue 13 item 13)', () => {
  const c = painter(false);
  const message = 'behind Service checkout, but no container delays SIGTERM with a preStop hook: connections routed during endpoint and kube-proxy lag are refused';
  const rows = [
    ['CRITICAL', 'POD001', 'pod/shop/checkout-5f6b8c7d9-2hvzl [checkout]', message],
    ['WARNING', 'STOP001', 'pod/shop/web-7d9c6b5f4-x7k2p', 'short'],
  ];
  const squash = (s: string) => s.replace(/\s+/g, '');

  for (const width of [60, 80, 120]) {
    it(`at ${width} columns every line fits and no character of any cell is lost`, () => {
      const out = plainTable(['SEVERITY', 'CHECK', 'OBJECT', 'MESSAGE'], rows, c, width);
      for (const line of out.split('\n')) assert.ok(line.length <= width, `${line.length} > ${width}: ${line}`);
      // Read column by column: the MESSAGE column's lines joined give the message back, words whole.
      const start = out.split('\n')[0].indexOf('MESSAGE');
      const col = out.split('\n').slice(1, 1 + out.split('\n').slice(1).findIndex((l, i) => i > 0 && l.startsWith('WARNING'))).map((l) => l.slice(start).trim());
      assert.equal(col.join(' '), message);
      assert.equal(squash(out).length, squash(['SEVERITY', 'CHECK', 'OBJECT', 'MESSAGE', ...rows.flat()].join('')).length);
    });
  }

  it('without a width (not a terminal) nothing is wrapped: full lines', () => {
    const out = plainTable(['SEVERITY', 'CHECK', 'OBJECT', 'MESSAGE'], rows, c);
    assert.equal(out.split('\n').length, 3);
    assert.ok(out.includes(message));
  });

  it('fitLines wraps prose at spaces with a hanging indent and keeps every word', () => {
    const line = `  STOP001 4 objects: ${message}`;
    const out = fitLines(line, 50);
    for (const l of out.split('\n')) assert.ok(l.length <= 50, l);
    assert.equal(out.split('\n').map((l) => l.trim()).join(' '), line.trim());
    assert.ok(out.split('\n').slice(1).every((l) => l.startsWith('    ')));
    assert.equal(fitLines(line, undefined), line);
  });
});
