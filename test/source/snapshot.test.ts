import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataError } from '../../src/errors.js';
import { openDirectory } from '../../src/source/snapshot.js';
import { ROOT, fixture } from '../helpers/cli.js';

const EXAMPLE = path.join(ROOT, 'examples', 'shop-snapshot');

function copyExample(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'snap-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

describe('snapshot source', () => {
  it('serves captured lists, filtered by scope and selector', async () => {
    const src = openDirectory(EXAMPLE);
    const all = await src.list('pods', { allNamespaces: true });
    assert.ok(all.ok && all.value.length === 5);
    const web = await src.list('pods', { allNamespaces: true, labelSelector: 'app.kubernetes.io/name=web' });
    assert.ok(web.ok && web.value.length === 2);
    const other = await src.list('pods', { allNamespaces: false, namespace: 'kube-system' });
    assert.ok(other.ok && other.value.length === 0);
    assert.equal((await src.info()).context, 'prod-eu-1');
  });

  it('reports what was forbidden at capture time as unavailable, with the fix', async () => {
    const nodes = await openDirectory(EXAMPLE).list('nodes', { allNamespaces: true });
    assert.ok(!nodes.ok);
    assert.equal(nodes.unavailable.kind, 'forbidden');
    assert.match(nodes.unavailable.reason, /not captured: forbidden: list nodes/);
    const metrics = await openDirectory(EXAMPLE).nodeMetrics('node-a');
    assert.ok(!metrics.ok && metrics.unavailable.kind === 'not-captured');
  });

  it('fails clearly on a missing or corrupt file', async () => {
    const dir = copyExample();
    rmSync(path.join(dir, 'pods.jsonl'));
    await assert.rejects(openDirectory(dir).list('pods', { allNamespaces: true }), (err: unknown) => {
      assert.ok(err instanceof DataError && /missing pods\.jsonl/.test(err.message));
      return true;
    });
    const dir2 = copyExample();
    writeFileSync(path.join(dir2, 'events.jsonl'), '{"kind":"Event"}\n{"kind":"Ev');
    await assert.rejects(openDirectory(dir2).list('events', { allNamespaces: true }), /corrupt at line 2/);
    const dir3 = copyExample();
    writeFileSync(path.join(dir3, 'manifest.json'), '{"format":');
    assert.throws(() => openDirectory(dir3), /manifest .* is corrupt/);
  });

  it('reads lines that span read chunks, multi-byte characters cut by a chunk edge, CRLF, blank lines and no final newline', async () => {
    const dir = copyExample();
    // Chunks are 1 MiB: a 2.5 MiB line spans three; the é/✓ pairs land on every byte offset of a chunk edge.
    const big = (i: number, pad: number) => JSON.stringify({ kind: 'Event', metadata: { name: `e${i}`, namespace: 'shop' }, message: 'é✓'.repeat(pad) });
    const lines = [big(0, 10), big(1, 500_000), '', '   ', big(2, 3), ...Array.from({ length: 3000 }, (_, i) => big(3 + i, 100 + (i % 7)))];
    writeFileSync(path.join(dir, 'events.jsonl'), `${lines.join('\r\n')}`);
    const got = await openDirectory(dir).list('events', { allNamespaces: true });
    assert.ok(got.ok);
    const want = lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
    assert.equal(got.value.length, want.length);
    assert.deepEqual(got.value, want);
    // A bad line after the long one is named by its number (blank lines count).
    writeFileSync(path.join(dir, 'events.jsonl'), `${big(0, 10)}\n${big(1, 500_000)}\n\n{"kind":\n${big(2, 3)}\n`);
    await assert.rejects(openDirectory(dir).list('events', { allNamespaces: true }), /events\.jsonl is corrupt at line 4 \(not JSON\)/);
  });

  it('refuses a directory that is neither a snapshot nor a dump', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'empty-'));
    assert.throws(() => openDirectory(dir), /neither a podscope snapshot/);
    assert.throws(() => openDirectory(path.join(dir, 'nope')), /is not a directory/);
  });
});

describe('kubectl cluster-info dump source', () => {
  const DUMP = fixture('cluster-info-dump');

  it('reads nodes.json and per-namespace pods/events/services', async () => {
    const src = openDirectory(DUMP);
    assert.equal((await src.info()).kind, 'cluster-info-dump');
    const nodes = await src.list('nodes', { allNamespaces: true });
    assert.ok(nodes.ok && nodes.value.length === 2);
    const pods = await src.list('pods', { allNamespaces: true });
    assert.ok(pods.ok);
    assert.deepEqual(pods.value.map((p) => p.metadata?.namespace).sort(), ['default', 'kube-system']);
    const slices = await src.list('endpointslices', { allNamespaces: true });
    assert.ok(!slices.ok && slices.unavailable.kind === 'not-captured');
  });

  it('names a corrupt dump file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dump-'));
    cpSync(DUMP, dir, { recursive: true });
    mkdirSync(path.join(dir, 'broken'));
    writeFileSync(path.join(dir, 'broken', 'pods.json'), '{"kind":"PodList","items":[');
    await assert.rejects(openDirectory(dir).list('pods', { allNamespaces: true }), /broken\/pods\.json is corrupt/);
  });
});
