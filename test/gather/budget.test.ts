import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { CHECKS } from '../../src/checks/registry.js';
import { LISTS, NODE_REQUEST_CONCURRENCY } from '../../src/gather/budget.js';
import { gatherCheck } from '../../src/gather/check.js';
import { gatherPleg } from '../../src/gather/pleg.js';
import { gatherPod } from '../../src/gather/pod.js';
import { gatherSchedule } from '../../src/gather/schedule.js';
import { gatherStop } from '../../src/gather/stop.js';
import { MemorySource, pod } from './memory-source.js';

// The request budget (src/gather/budget.ts): a constant number of lists per command whatever the
// cluster's size, never a request per pod; per-node requests at bounded concurrency.

const node = (name: string): V1Node => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
const NODES = Array.from({ length: 12 }, (_, i) => node(`node-${i}`));
const PODS = Array.from({ length: 300 }, (_, i) => pod(i % 2 ? 'shop' : 'lab', `p-${i}`, `node-${i % 12}`));
const sorted = (calls: string[]) => [...calls].sort();

describe('request budget (src/gather)', () => {
  it('check: one list per resource its checks need or use, however many checks read it', async () => {
    const s = new MemorySource({ pods: PODS, nodes: NODES }, 'shop');
    await gatherCheck(s, { namespace: 'shop', allNamespaces: false }, CHECKS);
    const kinds = [...new Set(CHECKS.flatMap((c) => [...c.needs, ...c.uses]))];
    assert.deepEqual(sorted(s.calls), sorted(['info', ...kinds.map((k) => `list ${k} shop`)]));
  });

  it('stop: the pod, then its namespace\'s lists, once each', async () => {
    const s = new MemorySource({ pods: PODS, nodes: NODES }, 'shop');
    await gatherStop(s, { pod: 'p-1' });
    assert.equal(s.calls[0], 'get shop/p-1');
    assert.deepEqual(sorted(s.calls.slice(1)), sorted(LISTS.stop.map((k) => `list ${k} shop`)));
  });

  it('inspect: the pod and its namespace\'s events', async () => {
    const s = new MemorySource({ pods: PODS }, 'shop');
    await gatherPod(s, { pod: 'pod/p-3' });
    assert.deepEqual(s.calls, ['get shop/p-3', ...LISTS.inspect.map((k) => `list ${k} shop`)]);
  });

  it('schedule: the pod, nodes, every pod and the pod\'s events, whatever the number of pods', async () => {
    const s = new MemorySource({ pods: PODS, nodes: NODES }, 'shop');
    await gatherSchedule(s, { pod: 'p-5', namespace: undefined, fromFile: false, cluster: () => Promise.reject(new Error('not a dry run')) });
    assert.deepEqual(sorted(s.calls), sorted(['get shop/p-5', 'list nodes *', 'list pods *', 'list events shop', 'info']));
  });

  it('pleg --all --sample: three lists, two scrapes and one log per node, at most NODE_REQUEST_CONCURRENCY at once', async () => {
    const s = new MemorySource({ pods: PODS, nodes: NODES }, 'default');
    const g = await gatherPleg({ source: s, nodes: [], all: true, sampleSeconds: 1, sinceSeconds: 60, now: () => new Date(), sleep: async () => {} });
    assert.equal(g.names.length, 12);
    const count = (prefix: string) => s.calls.filter((c) => c.startsWith(prefix)).length;
    assert.deepEqual(sorted(s.calls.filter((c) => c.startsWith('list') || c === 'info')), sorted(['info', ...LISTS.pleg.map((k) => `list ${k} *`)]));
    assert.equal(count('metrics '), 24);
    assert.equal(count('logs '), 12);
    assert.ok(s.maxNodeInFlight > 1, 'per-node requests run in parallel');
    assert.ok(s.maxNodeInFlight <= NODE_REQUEST_CONCURRENCY, `${s.maxNodeInFlight} per-node requests at once`);
  });
});
