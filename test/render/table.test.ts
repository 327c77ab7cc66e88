import { strict as assert } from 'node:assert';
import Table from 'cli-table3';
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
