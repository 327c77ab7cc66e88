import { strict as assert } from 'node:assert';
import { parseConditionMessage, splitConditionMessage } from '../../src/parse/node-condition.js';

describe('node condition messages', () => {
  it('splits the old comma-joined shape (AKS 1.11)', () => {
    const msg = 'container runtime is down,PLEG is not healthy: pleg was last seen active 1h56m24.276794343s ago; threshold is 3m0s';
    const parts = parseConditionMessage(msg);
    assert.deepEqual(parts.map((p) => p.kind), ['runtime-down', 'pleg-unhealthy']);
    const pleg = parts[1];
    assert.ok(pleg.kind === 'pleg-unhealthy');
    assert.ok(Math.abs((pleg.lastSeenSeconds ?? 0) - 6984.276794343) < 1e-6);
    assert.equal(pleg.thresholdSeconds, 180);
  });

  it('splits the new bracketed aggregate shape', () => {
    const msg = '[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]';
    assert.deepEqual(splitConditionMessage(msg), [
      'container runtime status check may not have completed yet',
      'PLEG is not healthy: pleg has yet to be successful',
    ]);
    assert.deepEqual(parseConditionMessage(msg).map((p) => p.kind), ['runtime-status-pending', 'pleg-not-yet-successful']);
  });

  it('reads a single bare error and a healthy message', () => {
    const one = parseConditionMessage('PLEG is not healthy: pleg was last seen active 3m5.30015447s ago; threshold is 3m0s');
    assert.equal(one.length, 1);
    assert.equal(one[0].kind, 'pleg-unhealthy');
    assert.deepEqual(parseConditionMessage('kubelet is posting ready status').map((p) => p.kind), ['other']);
    assert.deepEqual(parseConditionMessage(undefined), []);
  });

  it('keeps comma-space inside one old-style error together', () => {
    const msg = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
    const parts = parseConditionMessage(msg);
    assert.equal(parts.length, 1);
    assert.equal(parts[0].kind, 'network-not-ready');
  });
});
