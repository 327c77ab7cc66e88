import { strict as assert } from 'node:assert';
import { formatSeconds, parseGoDuration } from '../../src/parse/duration.js';

describe('parseGoDuration', () => {
  it('reads the forms kubelet messages print', () => {
    assert.equal(parseGoDuration('3m0s'), 180);
    assert.ok(Math.abs((parseGoDuration('3m5.30015447s') ?? 0) - 185.30015447) < 1e-9);
    assert.ok(Math.abs((parseGoDuration('27h14m51.413818128s') ?? 0) - (27 * 3600 + 14 * 60 + 51.413818128)) < 1e-6);
    assert.equal(parseGoDuration('150ms'), 0.15);
    assert.equal(parseGoDuration('1.5µs'), 1.5e-6);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('-2s'), -2);
  });

  it('rejects what is not a duration', () => {
    for (const bad of ['', 'abc', '3x', '3m junk', 's', '1h2']) assert.equal(parseGoDuration(bad), null, bad);
  });
});

describe('formatSeconds', () => {
  it('prints the short operator form', () => {
    assert.equal(formatSeconds(185.3), '3m5s');
    assert.equal(formatSeconds(0.85), '850ms');
    assert.equal(formatSeconds(3600 * 26 + 60), '1d2h1m');
    assert.equal(formatSeconds(0), '0ms');
  });
});
