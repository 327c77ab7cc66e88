import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { recordSnapshot } from '../../src/source/recorder.js';
import { openDirectory } from '../../src/source/snapshot.js';
import type { ClusterSource, Got, ResourceKind, ResourceMap } from '../../src/source/types.js';
import { got, missing } from '../../src/source/types.js';

const node = (name: string, ready: string, message: string): V1Node => ({
  metadata: { name },
  status: { conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady', message }] },
});

const pod: V1Pod = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: { containers: [{ name: 'web', image: 'nginx', env: [{ name: 'API_KEY', value: 'hunter2' }, { name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] }] },
};

/** A source standing in for a live cluster: nodes listed, events forbidden, node-b's proxy forbidden. */
class FakeLive implements ClusterSource {
  readonly defaultNamespace = 'shop';
  asked: string[] = [];
  async info() {
    return { kind: 'live' as const, location: 'https://api.example:6443', context: 'prod', serverVersion: 'v1.34.2' };
  }
  async list<K extends ResourceKind>(kind: K): Promise<Got<ResourceMap[K][]>> {
    this.asked.push(kind);
    if (kind === 'events') return missing({ input: 'events', kind: 'forbidden', reason: 'forbidden: list events in namespace "shop"' });
    const data: Record<string, unknown[]> = {
      nodes: [node('node-a', 'False', 'PLEG is not healthy: pleg was last seen active 3m5s ago; threshold is 3m0s'), node('node-b', 'True', 'kubelet is posting ready status')],
      pods: [structuredClone(pod)],
      services: [],
      endpointslices: [],
    };
    return got(data[kind] as ResourceMap[K][]);
  }
  async getPod(): Promise<Got<V1Pod>> {
    return got(pod);
  }
  async nodeMetrics(n: string): Promise<Got<string>> {
    return got(`kubelet_running_pods{node="${n}"} 3\n`);
  }
  async nodeLogs(n: string): Promise<Got<Readable>> {
    if (n === 'node-b') return missing({ input: 'kubelet-logs', kind: 'forbidden', reason: 'forbidden: get nodes/proxy' });
    return got(Readable.from(['E1121 09:00:00.000000 1 kubelet.go:2055] "Skipping pod synchronization"\n']));
  }
  async close() {}
}

describe('snapshot recorder', () => {
  it('captures lists and unhealthy nodes, redacts env values, records what was forbidden', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'rec-')), 'snap');
    const fake = new FakeLive();
    const manifest = await recordSnapshot({
      source: fake, dir, scope: { allNamespaces: false, namespace: 'shop' }, nodeData: 'unhealthy', logSinceSeconds: 3600, now: new Date('2026-11-21T09:00:00Z'), version: '0.1.0',
    });
    assert.ok(!fake.asked.includes('secrets'));
    assert.deepEqual(manifest.resources, { nodes: 2, pods: 1, services: 0, endpointslices: 0 });
    assert.deepEqual(manifest.nodeData, { metrics: ['node-a'], kubeletLogs: ['node-a'] });
    assert.equal(manifest.unavailable[0].input, 'events');
    const podsText = readFileSync(path.join(dir, 'pods.jsonl'), 'utf8');
    assert.ok(!podsText.includes('hunter2'), 'env value must be redacted');
    assert.ok(podsText.includes('<redacted>') && podsText.includes('secretKeyRef'));
    assert.ok(existsSync(path.join(dir, 'node-data', 'node-a', 'kubelet.log')));

    const back = openDirectory(dir);
    const nodes = await back.list('nodes', { allNamespaces: true });
    assert.ok(nodes.ok && nodes.value.length === 2);
    const events = await back.list('events', { allNamespaces: true });
    assert.ok(!events.ok && events.unavailable.kind === 'forbidden');
    const m = await back.nodeMetrics('node-a');
    assert.ok(m.ok && m.value.includes('kubelet_running_pods'));
  });

  it('refuses a directory that is not empty', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rec-'));
    await recordSnapshot({ source: new FakeLive(), dir: path.join(dir, 's'), scope: { allNamespaces: true }, nodeData: 'none', logSinceSeconds: 60, now: new Date(), version: 'x' });
    await assert.rejects(
      recordSnapshot({ source: new FakeLive(), dir: path.join(dir, 's'), scope: { allNamespaces: true }, nodeData: 'none', logSinceSeconds: 60, now: new Date(), version: 'x' }),
      /is not empty/,
    );
  });
});

describe('snapshot recorder: a kubelet log cut mid-stream', () => {
  it('records it as unavailable, keeps no half file, and the snapshot completes', async () => {
    class CutLive extends FakeLive {
      override async nodeLogs(): Promise<Got<Readable>> {
        const s = new Readable({ read() {} });
        s.push('E1121 09:00:00.000000 1 kubelet.go:2055] "Skipping pod synchronization"\n');
        setTimeout(() => s.destroy(new Error('no data for 5s')), 10);
        return got(s);
      }
    }
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'rec-')), 'snap');
    const manifest = await recordSnapshot({
      source: new CutLive(), dir, scope: { allNamespaces: false, namespace: 'shop' }, nodeData: 'unhealthy', logSinceSeconds: 3600, now: new Date('2026-11-21T09:00:00Z'), version: '0.1.0',
    });
    assert.deepEqual(manifest.nodeData.kubeletLogs, []);
    assert.ok(manifest.unavailable.some((u) => u.input === 'kubelet-logs' && /kubelet log of node node-a was cut off: no data for 5s/.test(u.reason)));
    assert.ok(!existsSync(path.join(dir, 'node-data', 'node-a', 'kubelet.log')));
  });
});
