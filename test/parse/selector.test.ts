import { strict as assert } from 'node:assert';
import { matches, parseSelector, requirementsOf } from '../../src/parse/selector.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };

  it('parses and matches equality and set forms', () => {
    assert.ok(matches(parseSelector('app=web,tier!=db'), labels));
    assert.ok(matches(parseSelector('app==web'), labels));
    assert.ok(!matches(parseSelector('app=api'), labels));
    assert.ok(matches(parseSelector('env in (prod, staging)'), labels));
    assert.ok(!matches(parseSelector('env notin (prod)'), labels));
    assert.ok(matches(parseSelector('tier'), labels));
    assert.ok(matches(parseSelector('!canary'), labels));
    assert.ok(!matches(parseSelector('!tier'), labels));
    assert.ok(matches(parseSelector(''), labels));
  });

  it('rejects bad syntax', () => {
    assert.throws(() => parseSelector('app=(web'), /cannot parse label selector/);
    assert.throws(() => parseSelector('a b'), /cannot parse/);
  });

  it('reads LabelSelector objects', () => {
    const reqs = requirementsOf({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] });
    assert.ok(matches(reqs, labels));
    assert.ok(!matches(reqs, { app: 'web', env: 'dev' }));
  });
});
