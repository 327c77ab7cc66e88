import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { scanKubeletLog } from '../../src/analysis/pleg/logscan.js';
import { DataError } from '../../src/errors.js';
import { MAX_METRICS_BYTES, openLocalLog, readLocalMetrics } from '../../src/source/local-node-data.js';
import { openDirectory } from '../../src/source/snapshot.js';
import { ROOT, fixture, runCli } from '../helpers/cli.js';

const ALL = { allNamespaces: true };
const EXAMPLE = path.join(ROOT, 'examples', 'shop-snapshot');
const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), p));

function snapshot(): string {
  const dir = tmp('snap-lim-');
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

function dump(): string {
  const dir = tmp('dump-lim-');
  cpSync(fixture('cluster-info-dump'), dir, { recursive: true });
  return dir;
}

/** Asserts fn throws (or rejects with) a one-line DataError matching re. */
async function dataError(fn: () => unknown, re: RegExp): Promise<void> {
  await assert.rejects(async () => fn(), (err: unknown) => {
    assert.ok(err instanceof DataError, `expected a DataError, got ${String(err)}`);
    assert.match(err.message, re);
    assert.equal(err.message.includes('\n'), false);
    return true;
  });
}

/** Runs fn, failing if it takes longer than ms (a FIFO read would block forever). */
async function within<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`blocked for ${ms} ms`)), ms)));
  try {
    return await Promise.race([fn(), t]);
  } finally {
    clearTimeout(timer);
  }
}

describe('offline input limits (issue 15)', () => {
  it('a snapshot manifest that is null, or has no resources object, is a DataError', async () => {
    for (const body of ['null', '[1]', '{"format":"podscope-snapshot","schemaVersion":1}', '{"format":"podscope-snapshot","schemaVersion":1,"resources":{},"unavailable":null}']) {
      const dir = snapshot();
      writeFileSync(path.join(dir, 'manifest.json'), body);
      await dataError(() => openDirectory(dir), /manifest .* (is corrupt|not a podscope snapshot manifest)/);
    }
  });

  it('check --from a snapshot with a broken manifest says so in one line, exit 3 (issue 13 item 5)', () => {
    const dir = snapshot();
    writeFileSync(path.join(dir, 'manifest.json'), '{"format":\n"podscope-snapshot",\n oops\n');
    const r = runCli(['check', '--from', dir]);
    assert.equal(r.code, 3);
    assert.equal(r.stderr.split('\n')[0], `podscope: snapshot manifest ${path.join(dir, 'manifest.json')} is corrupt: not valid JSON`);
    assert.match(r.stderr.split('\n')[1], /^ {2}hint: /);
    assert.equal(r.stderr.trimEnd().split('\n').length, 2);
  });

  it('pods.jsonl that is a directory or holds scalar lines is a DataError', async () => {
    const dir = snapshot();
    const pods = path.join(dir, 'pods.jsonl');
    cpSync(pods, path.join(dir, 'x'));
    execFileSync('rm', [pods]);
    mkdirSync(pods);
    await dataError(() => openDirectory(dir).list('pods', ALL), /pods\.jsonl is a directory, not a file/);
    for (const line of ['1', 'null', '"text"', '[1,2]']) {
      const d = snapshot();
      writeFileSync(path.join(d, 'pods.jsonl'), `{"kind":"Pod","metadata":{"name":"a"}}\n${line}\n`);
      await dataError(() => openDirectory(d).list('pods', ALL), /corrupt at line 2 \(not a JSON object\)/);
    }
  });

  it('a FIFO inside a snapshot is refused without being opened (no hang)', async function () {
    this.timeout(10_000);
    const dir = snapshot();
    execFileSync('rm', [path.join(dir, 'events.jsonl')]);
    execFileSync('mkfifo', [path.join(dir, 'events.jsonl')]);
    await within(3000, () => dataError(() => openDirectory(dir).list('events', ALL), /events\.jsonl is a FIFO, not a file/));
    const nodeDir = path.join(dir, 'node-data', 'node-a');
    mkdirSync(nodeDir, { recursive: true });
    execFileSync('mkfifo', [path.join(nodeDir, 'metrics.txt'), path.join(nodeDir, 'kubelet.log')]);
    await within(3000, () => dataError(() => openDirectory(dir).nodeMetrics('node-a'), /metrics\.txt is a FIFO/));
    await within(3000, () => dataError(() => openDirectory(dir).nodeLogs('node-a', { query: 'kubelet' }), /kubelet\.log is a FIFO/));
    const d2 = snapshot();
    execFileSync('rm', [path.join(d2, 'manifest.json')]);
    execFileSync('mkfifo', [path.join(d2, 'manifest.json')]);
    await within(3000, () => dataError(() => openDirectory(d2), /manifest\.json is a FIFO/));
  });

  it('cluster-info dump files holding null, [1,null] or non-object items are DataErrors', async () => {
    for (const body of ['null', '[1,null]', '{"items":[1,null]}', '{"kind":"PodList","items":[{"metadata":{}},null]}']) {
      const dir = dump();
      const ns = (await import('node:fs')).readdirSync(dir).find((e) => e !== 'nodes.json' && !e.includes('.')) as string;
      writeFileSync(path.join(dir, ns, 'pods.json'), body);
      await dataError(() => openDirectory(dir).list('pods', ALL), /cluster-info dump file .*pods\.json is (not a List|corrupt: item \d+ is not an object)/);
      writeFileSync(path.join(dir, 'nodes.json'), body);
      await dataError(() => openDirectory(dir).list('nodes', ALL), /nodes\.json is (not a List|corrupt)/);
    }
  });

  it(`--kubelet-metrics: a gzip bomb and a file past ${MAX_METRICS_BYTES / 2 ** 20} MiB are refused with one line`, async () => {
    const dir = tmp('metrics-');
    const bomb = path.join(dir, 'bomb.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(MAX_METRICS_BYTES * 4, 'a'), { level: 9 }));
    const rss = process.memoryUsage().rss;
    await dataError(() => readLocalMetrics(bomb), /decompresses past 16 MiB/);
    assert.ok(process.memoryUsage().rss - rss < 200 * 2 ** 20, 'gunzip must stop at the limit');
    const big = path.join(dir, 'big.txt');
    writeFileSync(big, Buffer.alloc(MAX_METRICS_BYTES + 1, 'a'));
    await dataError(() => readLocalMetrics(big), /is larger than 16 MiB/);
    await dataError(() => readLocalMetrics(dir), /cannot read kubelet metrics .*: it is a directory/);
    const ok = path.join(dir, 'ok.gz');
    writeFileSync(ok, gzipSync('# TYPE x counter\nx 1\n'));
    assert.match(readLocalMetrics(ok).text, /^# TYPE x counter/);
  });

  it('an unreadable kubelet log (a directory, a missing file) is one line, exit 3', async () => {
    const dir = tmp('log-');
    await dataError(() => openLocalLog(dir), /cannot read kubelet log .*: it is a directory/);
    await dataError(() => openLocalLog(path.join(dir, 'none')), /cannot read kubelet log .*ENOENT/);
    const r = runCli(['pleg', '--offline', '--kubelet-log', dir]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr.split('\n')[0], `podscope: cannot read kubelet log ${dir}: it is a directory`);
  });

  it('a corrupt or truncated gzip kubelet log is one line, exit 3, never a healthy verdict', async () => {
    const dir = tmp('gz-');
    const log = readFileSync(fixture('pleg', 'negative-startup-1.28', 'kubelet.log'));
    const truncated = path.join(dir, 'truncated.log.gz');
    const whole = gzipSync(log);
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const corrupt = path.join(dir, 'corrupt.log.gz');
    writeFileSync(corrupt, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('not deflate data at all')]));
    for (const [file, why] of [[truncated, /unexpected end of file/], [corrupt, /incorrect header check|invalid/]] as const) {
      const r = runCli(['pleg', '--offline', '--kubelet-log', file]);
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.equal(r.stdout, '', 'no verdict');
      const [first] = r.stderr.split('\n');
      assert.match(first, new RegExp(`^podscope: kubelet log ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid gzip: `));
      assert.match(first, why);
      const piped = runCli(['pleg', '--offline', '--kubelet-log', '-'], { stdin: readFileSync(file) });
      assert.equal(piped.code, 3, piped.stderr);
      assert.match(piped.stderr.split('\n')[0], /^podscope: kubelet log from standard input is not valid gzip: /);
    }
    // The same log whole still reads.
    const good = path.join(dir, 'good.log.gz');
    writeFileSync(good, whole);
    assert.ok([0, 1].includes(runCli(['pleg', '--offline', '--kubelet-log', good]).code));
  });

  it('a PLEG line longer than 1 MB is cut, not dropped: the node is not healthy', async () => {
    const pleg = 'E1119 10:00:00.000000    3921 kubelet.go:2359] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 5m0s ago; threshold is 3m0s" junk=';
    const long = `${pleg}${'x'.repeat(3 * 2 ** 20)}\nI1119 10:00:01.000000    3921 kubelet.go:1] "after"\n`;
    // In one chunk, and in 64 KiB chunks (the line spans many).
    const chunks = (s: string, n: number) => Array.from({ length: Math.ceil(s.length / n) }, (_, i) => Buffer.from(s.slice(i * n, (i + 1) * n)));
    for (const input of [[Buffer.from(long)], chunks(long, 65536)]) {
      const scan = await scanKubeletLog(Readable.from(input));
      assert.ok(scan.plegAge, 'the PLEG line must be seen');
      assert.equal(scan.plegAge.last, 300);
    }
  });

  it('snapshot and dump readers throw only DataErrors on arbitrary bytes (property)', async function () {
    this.timeout(30_000);
    const dir = snapshot();
    const dd = dump();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.constantFrom('manifest.json', 'pods.jsonl', 'nodes.json'), async (bytes, file) => {
        const target = file === 'nodes.json' ? path.join(dd, file) : path.join(dir, file);
        const original = (await import('node:fs')).readFileSync(target);
        writeFileSync(target, bytes);
        try {
          const src = openDirectory(file === 'nodes.json' ? dd : dir);
          await src.list(file === 'nodes.json' ? 'nodes' : 'pods', ALL);
        } catch (err) {
          if (!(err instanceof DataError) || err.message.includes('\n')) throw err;
        } finally {
          writeFileSync(target, original);
        }
      }),
      { numRuns: 150 },
    );
  });
});
