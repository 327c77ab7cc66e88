import assert from 'node:assert/strict';
import { formatLogTime, parseKubeletLogLine } from '../../src/parse/kubelet-log.js';

describe('parseKubeletLogLine', () => {
  it('reads klog text with its microsecond time and level', () => {
    const l = parseKubeletLogLine('E0914 08:22:45.011290   21873 kubelet.go:1846] skipping pod synchronization - PLEG is not healthy: x', 2020);
    assert.equal(l.level, 'E');
    assert.equal(new Date(l.time!).toISOString(), '2020-09-14T08:22:45.011Z');
    assert.equal(l.text, 'skipping pod synchronization - PLEG is not healthy: x');
    assert.equal(l.host, null);
  });

  it('takes the node name from a journald short prefix', () => {
    const l = parseKubeletLogLine('Nov 19 10:02:03 ip-10-0-12-7 kubelet[3921]: E1119 10:02:03.123456    3921 generic.go:238] "GenericPLEG: Unable to retrieve pods" err="x"', 2026);
    assert.equal(l.host, 'ip-10-0-12-7');
    assert.equal(new Date(l.time!).toISOString(), '2026-11-19T10:02:03.123Z');
    assert.equal(l.text, '"GenericPLEG: Unable to retrieve pods" err="x"');
  });

  it('reads journalctl -o short-iso prefixes and single-digit days', () => {
    const iso = parseKubeletLogLine('2026-11-19T21:52:10+0000 gke-pool-2-a81c kubelet[1088]: plain message');
    assert.equal(iso.host, 'gke-pool-2-a81c');
    assert.equal(new Date(iso.time!).toISOString(), '2026-11-19T21:52:10.000Z');
    const short = parseKubeletLogLine('Jan  4 03:10:02 node-1 kubelet[2]: hello', 2019);
    assert.equal(short.host, 'node-1');
    assert.equal(new Date(short.time!).toISOString(), '2019-01-04T03:10:02.000Z');
  });

  it('renders klog JSON lines as msg plus key=value pairs', () => {
    const l = parseKubeletLogLine('{"ts":1763546640.5,"caller":"pleg/generic.go:238","msg":"GenericPLEG: Unable to retrieve pods","err":"rpc error: code = DeadlineExceeded","v":0}');
    assert.equal(l.time, 1763546640500);
    assert.equal(l.level, 'E');
    assert.equal(l.text, '"GenericPLEG: Unable to retrieve pods" err="rpc error: code = DeadlineExceeded"');
  });

  it('reads the lines pasted from talosctl, e-mail quotes, indented docker logs, any-locale and untimed journald', () => {
    const t = parseKubeletLogLine('192.168.231.8: {"ts":1757010283211.4668,"caller":"kubelet/kubelet.go:2460","msg":"Skipping pod synchronization","err":"PLEG is not healthy"}');
    assert.deepEqual([t.host, t.time, t.level], ['192.168.231.8', 1757010283211, 'E']);
    assert.equal(new Date(t.time!).getUTCFullYear(), 2025, 'talosctl prints ts in milliseconds');
    for (const raw of [
      '> Sep 23 23:42:24 node1 kubelet[2050]: I0923 23:42:24.638899    2050 manager.go:127] x',
      '    I0923 23:42:24.638899    2050 manager.go:127] x',
      'sept. 23 23:42:24 node1 kubelet[2050]: I0923 23:42:24.638899    2050 manager.go:127] x',
      '9月 23 23:42:24 node1 kubelet[2050]: I0923 23:42:24.638899    2050 manager.go:127] x',
      'kubelet.service[123]: I0923 23:42:24.638899    2050 manager.go:127] x',
    ]) {
      const l = parseKubeletLogLine(raw, 2026);
      assert.deepEqual([l.level, l.text, Math.floor(l.time ?? 0)], ['I', 'x', Date.UTC(2026, 8, 23, 23, 42, 24, 638)], raw);
    }
  });

  it('strips a CRI container-log prefix (kubelet in a container)', () => {
    const l = parseKubeletLogLine('2026-11-19T10:02:03.123456789Z stderr F I1119 10:02:03.123456       1 server.go:487] "Kubelet version" kubeletVersion="v1.30.0"', 2026);
    assert.equal(l.level, 'I');
    assert.equal(l.text, '"Kubelet version" kubeletVersion="v1.30.0"');
  });

  it('keeps anything else as text and never throws', () => {
    for (const s of ['', '{', '{"msg":', 'goroutine 386 [chan send, 1140 minutes]:', '\u0000\uFFFD\r']) {
      const l = parseKubeletLogLine(s);
      assert.equal(l.time, null);
      assert.equal(typeof l.text, 'string');
    }
  });

  it('formats times without the year', () => {
    assert.equal(formatLogTime(Date.UTC(2026, 10, 19, 10, 2, 3)), '11-19 10:02:03');
    assert.equal(formatLogTime(null), '?');
  });
});
