import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { LogScanner, scanKubeletLog } from '../../src/analysis/pleg/logscan.js';
import { SIGNATURES, prefilterSource } from '../../src/analysis/pleg/signatures.js';
import { sniffGzip } from '../../src/source/local-node-data.js';

const skip = (i: number, age: string) =>
  `Nov 19 10:0${i}:00 node-7 kubelet[1]: E1119 10:0${i}:00.000000       1 kubelet.go:2359] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active ${age} ago; threshold is 3m0s"\n`;

describe('kubelet log scanner', () => {
  it('counts repeated lines once per signature, with first and last time and the last line', async () => {
    const text = [skip(1, '3m1s'), skip(2, '4m1s'), skip(3, '5m1.5s')].join('');
    const r = await scanKubeletLog(Readable.from([text]), { year: 2026 });
    const h = r.hits['pleg-unhealthy']!;
    assert.equal(h.count, 3);
    assert.equal(h.examples.length, 1, 'repeats differ only in numbers: one example');
    assert.match(h.examples[0], /5m1\.5s/);
    assert.equal(new Date(h.first!).toISOString(), '2026-11-19T10:01:00.000Z');
    assert.equal(new Date(h.last!).toISOString(), '2026-11-19T10:03:00.000Z');
    assert.deepEqual(r.plegAge, { last: 301.5, max: 301.5, lastAt: h.last, threshold: 180 });
    assert.equal(r.host, 'node-7');
  });

  it('joins lines split across chunks, whatever the chunk size', async () => {
    const text = [skip(1, '3m1s'), 'unrelated line\n', skip(2, '3m6s')].join('');
    for (const size of [1, 7, 64, text.length]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const r = await scanKubeletLog(Readable.from(chunks), { year: 2026 });
      assert.equal(r.hits['pleg-unhealthy']?.count, 2, `chunk size ${size}`);
      assert.equal(r.bytes, Buffer.byteLength(text));
    }
  });

  it('reads the last line without a trailing newline', () => {
    const s = new LogScanner({ year: 2026 });
    s.push(skip(1, '3m1s').trimEnd());
    assert.equal(s.finish().hits['pleg-unhealthy']?.count, 1);
  });

  it('treats start-up lines as noise and late ones as findings', async () => {
    const start = 'Nov 19 07:00:01 n kubelet[1]: I1119 07:00:01.000000 1 server.go:467] "Kubelet version" kubeletVersion="v1.28.3"\n';
    const early = 'Nov 19 07:00:02 n kubelet[1]: E1119 07:00:02.000000 1 kubelet.go:2359] "Skipping pod synchronization" err="PLEG is not healthy: pleg has yet to be successful"\n';
    const late = early.replaceAll('07:00:02', '07:20:02');
    const r = await scanKubeletLog(Readable.from([start, early, late]), { year: 2026 });
    assert.equal(r.kubeletVersion, 'v1.28.3');
    assert.equal(r.lateNotYet, 1);
    assert.equal(r.hits['pleg-not-yet']?.count, 1);
    assert.equal(r.starts.length, 1);
  });

  it('gives a PID failure to pid, not to disk, though both match the line', async () => {
    const line = 'E0624 02:31:10.402019   30121 fsHandler.go:118] failed to collect filesystem stats - rootDiskErr: failed to exec du - fork/exec /usr/bin/nice: resource temporarily unavailable, extraDiskErr: <nil>\n';
    const r = await scanKubeletLog(Readable.from([line]), { year: 2026 });
    assert.equal(r.hits.pid?.count, 1);
    assert.equal(r.hits.disk, undefined);
  });

  it('does not count probe or image-pull timeouts as CRI timeouts', async () => {
    const probe = 'I1119 11:05:41.771220 812 prober.go:107] "Probe failed" probeType="Readiness" output="Get \\"http://10.244.3.17:8080/ready\\": context deadline exceeded"\n';
    const pull = 'E1119 11:04:17.002210 812 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded"\n';
    const r = await scanKubeletLog(Readable.from([probe, pull]), { year: 2026 });
    assert.equal(r.hits['cri-deadline'], undefined);
  });

  it('reads gzip input through the source sniffing its magic bytes', async () => {
    const text = skip(1, '3m1s').repeat(1000);
    const gz = Readable.from([text]).pipe(createGzip());
    const r = await scanKubeletLog(await sniffGzip(gz), { year: 2026 });
    assert.equal(r.hits['pleg-unhealthy']?.count, 1000);
    assert.equal(r.incomplete, null);
  });

  it('reports a corrupt gzip stream as incomplete instead of throwing', async () => {
    const bad = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('not deflate at all, sorry')]);
    const r = await scanKubeletLog(await sniffGzip(Readable.from([bad])), { year: 2026 });
    assert.notEqual(r.incomplete, null);
  });

  it('has a prefilter key in every signature regex match it is meant for', () => {
    const re = new RegExp(prefilterSource());
    for (const s of SIGNATURES) for (const k of s.keys) assert.ok(re.test(`x ${k} y`), `${s.id}: ${k}`);
  });
});
