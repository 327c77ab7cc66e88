import assert from 'node:assert/strict';
import { formatAmount, isQuantity, quantityMilli, quantityValue, resourceAmount } from '../../src/parse/quantity.js';

describe('quantities', () => {
  it('reads cpu in millicores, rounding up like MilliValue()', () => {
    assert.equal(quantityMilli('500m'), 500);
    assert.equal(quantityMilli('1.5'), 1500);
    assert.equal(quantityMilli('2'), 2000);
    assert.equal(quantityMilli('0.0001'), 1, 'a tenth of a millicore rounds up');
    assert.equal(quantityMilli('100u'), 1);
    assert.equal(resourceAmount('cpu', '250m'), 250);
  });

  it('reads binary and decimal suffixes and exponents exactly', () => {
    assert.equal(quantityValue('1.5Gi'), 1610612736);
    assert.equal(quantityValue('16283456Ki'), 16283456 * 1024);
    assert.equal(quantityValue('100M'), 100_000_000);
    assert.equal(quantityValue('1e3'), 1000);
    assert.equal(quantityValue('1E3'), 1000);
    assert.equal(quantityValue('12e-1'), 2, '1.2 rounds up to 2 like Value()');
    assert.equal(quantityValue('128974848'), 128974848);
    assert.equal(quantityValue('129e6'), 129_000_000);
    assert.equal(quantityValue('123Mi'), 123 * 1024 * 1024);
    assert.equal(quantityValue('1k'), 1000);
    assert.equal(quantityValue('500m'), 1, 'half a byte is one byte');
  });

  it('rejects what the API server would reject', () => {
    for (const bad of ['', 'abc', '1.5.1', '1Gb', 'Gi', '1 Gi', '--1']) assert.equal(isQuantity(bad), false, bad);
    assert.throws(() => quantityValue('1GB'), /invalid quantity/);
  });

  it('formats amounts for people', () => {
    assert.equal(formatAmount('cpu', 1500), '1500m');
    assert.equal(formatAmount('cpu', 2000), '2');
    assert.equal(formatAmount('memory', 6 * 1024 ** 3), '6Gi');
    assert.equal(formatAmount('memory', 1.5 * 1024 ** 3), '1.5Gi');
    assert.equal(formatAmount('memory', 512), '512');
    assert.equal(formatAmount('example.com/gpu', 2), '2');
  });
});
