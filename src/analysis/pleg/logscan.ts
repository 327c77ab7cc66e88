import { DataError } from '../../errors.js';
import { parseGoDuration } from '../../parse/duration.js';
import { parseKubeletLogLine } from '../../parse/kubelet-log.js';
import type { KubeletLogLine } from '../../parse/kubelet-log.js';
import { SIGNATURES, criCallOf, prefilterSource } from './signatures.js';
import type { SignatureId } from './signatures.js';

/** How often a signature was seen, when, and a few of its lines (repeats de-duplicated). */
export interface SignatureHits {
  count: number;
  first: number | null;
  last: number | null;
  /** Up to `maxExamples` distinct lines (the first ones, and always the last one). */
  examples: string[];
}

/** What a scan of one kubelet log found. */
export interface LogScan {
  bytes: number;
  /** journald host of the first prefixed line (the node's hostname), if any. */
  host: string | null;
  firstTime: number | null;
  lastTime: number | null;
  hits: Partial<Record<SignatureId, SignatureHits>>;
  /** PLEG ages (seconds) from `pleg was last seen active X ago`: the last, the largest, and when. */
  plegAge: { last: number; max: number; lastAt: number | null; threshold: number } | null;
  /** CRI calls named in timeout lines, with counts. */
  criCalls: Record<string, number>;
  kubeletVersion: string | null;
  /** Kubelet start times seen (the last few). */
  starts: number[];
  /** `pleg has yet to be successful` / CNI-not-ready lines outside the start-up window. */
  lateNotYet: number;
  lateCniNotReady: number;
  /** Why the scan stopped early (a corrupt gzip stream), if it did. */
  incomplete: string | null;
  /** Lines read, and how many of them matched a signature (grep output matches nearly all). */
  lines: number;
  matchedLines: number;
  /** Of the first non-empty lines (up to 2000), how many have a kubelet log shape. */
  sample: { lines: number; recognised: number };
  /** PLEG lines whose duration could not be read (cut or broken by a paste). */
  plegUnreadable: number;
  /** PLEG lines with Go's maximum duration: PLEG never completed a relist since the start. */
  neverRelisted: number;
  /** "runtime status check may not have completed yet" outside the start-up window. */
  lateStatusPending: number;
  /** CNI calls that hung (timed out or were killed), and the longest wait in a goroutine dump (minutes). */
  cniHangs: number;
  cniDumpMinutes: number | null;
}

/** Scan options. */
export interface ScanOptions {
  /** Year for klog/journald timestamps, which have none. */
  year?: number;
  /** How long after a kubelet start `pleg has yet to be successful` is normal (seconds). */
  startupWindowSeconds?: number;
  maxExamples?: number;
}

/**
 * A line longer than this is cut: its first MAX_LINE bytes are scanned as a line and the rest, up
 * to the next newline, is skipped (keeps memory flat on binary input, and a PLEG error with a huge
 * tail is still seen).
 */
const MAX_LINE = 1 << 20;
const MAX_EXAMPLE = 400;
const EMPTY = Buffer.alloc(0);
const NEWLINE = Buffer.from('\n');
/** How many leading non-empty lines are checked for a kubelet log shape. */
const SAMPLE_LINES = 2000;
/** Lines of a Go goroutine dump or pprof goroutine profile (the kubelet's own output when it hangs). */
const GO_STACK = /^goroutine \d+ \[|^\s+\/\S+\.go:\d+|^#\s+0x[0-9a-f]+\s|^[\w./-]+\.\(?\*?[\w]+\)?\.?[\w]*\(/;

/** Incremental scanner: feed it text chunks, then `finish()`. Flat memory, never throws. */
export class LogScanner {
  private readonly prefilter = new RegExp(prefilterSource(), 'g');
  private readonly year: number;
  private readonly window: number;
  private readonly maxExamples: number;
  private carry: Buffer = EMPTY;
  /** Inside a line cut at MAX_LINE: bytes are skipped up to the next newline. */
  private skipping = false;
  private seenFirst = false;
  private lastStart: number | null = null;
  private readonly exampleKeys = new Map<SignatureId, string[]>();
  readonly result: LogScan = {
    bytes: 0, host: null, firstTime: null, lastTime: null, hits: {}, plegAge: null, criCalls: {},
    kubeletVersion: null, starts: [], lateNotYet: 0, lateCniNotReady: 0, incomplete: null,
    lines: 0, matchedLines: 0, sample: { lines: 0, recognised: 0 }, plegUnreadable: 0, neverRelisted: 0,
    lateStatusPending: 0, cniHangs: 0, cniDumpMinutes: null,
  };

  constructor(opts: ScanOptions = {}) {
    this.year = opts.year ?? new Date().getUTCFullYear();
    this.window = (opts.startupWindowSeconds ?? 300) * 1000;
    this.maxExamples = opts.maxExamples ?? 3;
  }

  /** Scans a chunk of text (lines may span chunks). */
  push(chunk: string): void {
    this.pushBytes(Buffer.from(chunk, 'utf8'));
  }

  /**
   * Scans a chunk of bytes (lines may span chunks). The prefilter runs over a latin1 view of the
   * bytes: one byte per character, so offsets are byte offsets, V8 keeps a one-byte string (faster
   * regexes, half the memory) and no UTF-8 validation is paid for lines that do not match. Matched
   * lines are then decoded as UTF-8 from the bytes.
   */
  pushBytes(chunk: Buffer): void {
    let data = chunk;
    if (this.skipping) {
      const nl = data.indexOf(10);
      if (nl < 0) return;
      this.skipping = false;
      data = data.subarray(nl + 1);
    }
    if (this.carry.length) {
      // Finish the line the last chunk left open on its own, so the big chunk is never copied.
      const nl = data.indexOf(10);
      if (nl < 0) {
        if (this.carry.length + data.length > MAX_LINE) this.cutLine(Buffer.concat([this.carry, data.subarray(0, MAX_LINE - this.carry.length)]));
        else this.carry = Buffer.concat([this.carry, data]);
        return;
      }
      const joined = Buffer.concat([this.carry, data.subarray(0, nl + 1)]);
      this.carry = EMPTY;
      this.body(joined, joined.length);
      data = data.subarray(nl + 1);
    }
    const cut = data.lastIndexOf(10);
    const tail = data.length - cut - 1;
    // Copy the tail so the big chunk can be collected; a line longer than MAX_LINE is cut.
    this.carry = tail > 0 && tail <= MAX_LINE ? Buffer.from(data.subarray(cut + 1)) : EMPTY;
    if (cut >= 0) this.body(data, cut + 1);
    if (tail > MAX_LINE) this.cutLine(data.subarray(cut + 1, cut + 1 + MAX_LINE));
  }

  /** Scans the first MAX_LINE bytes of an over-long line as a line, then skips to its end. */
  private cutLine(prefix: Buffer): void {
    this.carry = EMPTY;
    this.skipping = true;
    const line = Buffer.concat([prefix, NEWLINE]);
    this.body(line, line.length);
  }

  /** Scans what is left and returns the result. */
  finish(): LogScan {
    if (this.carry.length) {
      const rest = Buffer.concat([this.carry, NEWLINE]);
      this.carry = EMPTY;
      this.body(rest, rest.length);
    }
    return this.result;
  }

  private body(data: Buffer, end: number): void {
    const text = data.toString('latin1', 0, end);
    const utf8 = (s: number, e: number) => data.toString('utf8', s, e);
    if (!this.seenFirst) this.first(text, utf8);
    for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) this.result.lines++;
    if (this.result.sample.lines < SAMPLE_LINES) this.sampleShapes(text, utf8);
    this.scanBody(text, utf8);
    this.noteLast(text, end - 1);
  }

  private first(text: string, utf8: (s: number, e: number) => string): void {
    let start = 0;
    for (let i = 0; i < 50 && start < text.length; i++) {
      const end = text.indexOf('\n', start);
      const line = parseKubeletLogLine(utf8(start, end < 0 ? text.length : end), this.year);
      if (line.time !== null || line.host !== null) {
        this.result.firstTime ??= line.time;
        this.result.host ??= line.host;
        if (this.result.firstTime !== null) break;
      }
      if (end < 0) break;
      start = end + 1;
    }
    this.seenFirst = this.result.firstTime !== null || text.length > 64 * 1024;
  }

  /** Counts how many of the first lines look like kubelet output (klog, JSON, journald, Go stacks). */
  private sampleShapes(text: string, utf8: (s: number, e: number) => string): void {
    const sample = this.result.sample;
    const any = new RegExp(prefilterSource());
    let start = 0;
    while (start < text.length && sample.lines < SAMPLE_LINES) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const raw = utf8(start, end).replace(/\r$/, '');
      if (raw.trim() !== '') {
        sample.lines++;
        if (parseKubeletLogLine(raw, this.year).kubelet || GO_STACK.test(raw) || any.test(raw)) sample.recognised++;
      }
      start = end + 1;
    }
  }

  private noteLast(text: string, end: number): void {
    // The last timestamped line of the chunk (looking back a few lines at most; times are ASCII).
    let e = end;
    for (let i = 0; i < 5 && e > 0; i++) {
      const s = text.lastIndexOf('\n', e - 1) + 1;
      const t = parseKubeletLogLine(text.slice(s, e), this.year).time;
      if (t !== null) {
        this.result.lastTime = t;
        return;
      }
      e = s - 1;
    }
  }

  private scanBody(text: string, utf8: (s: number, e: number) => string): void {
    const re = this.prefilter;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const s = text.lastIndexOf('\n', m.index) + 1;
      let e = text.indexOf('\n', m.index);
      if (e < 0) e = text.length;
      this.line(text, s, e, utf8);
      re.lastIndex = e + 1;
    }
  }

  private line(text: string, s: number, e: number, utf8: (s: number, e: number) => string): void {
    const raw = utf8(s, e);
    const line = parseKubeletLogLine(raw, this.year);
    let causeTaken = false;
    let matched = false;
    for (const sig of SIGNATURES) {
      if (sig.group === 'cause' && causeTaken) continue;
      const m = sig.re.exec(line.text);
      if (!m || sig.unless?.test(line.text)) continue;
      if (sig.id === 'relist-dump' && !/\[chan send, \d+ minutes\]/.test(text.slice(Math.max(0, s - 300), s))) continue;
      if (sig.id === 'cni-dump') {
        const wait = /\[semacquire, (\d+) minutes\]/.exec(text.slice(Math.max(0, s - 600), s));
        if (wait) this.result.cniDumpMinutes = Math.max(this.result.cniDumpMinutes ?? 0, Number(wait[1]));
      }
      if (sig.group === 'cause') causeTaken = true;
      matched = true;
      this.record(sig.id, line, raw, m);
    }
    if (matched) this.result.matchedLines++;
  }

  private record(id: SignatureId, line: KubeletLogLine, raw: string, m: RegExpExecArray): void {
    const r = this.result;
    const t = line.time;
    if (id === 'kubelet-start') {
      const v = m[1] ?? m[2];
      if (v) r.kubeletVersion = v.startsWith('v') ? v : `v${v}`;
      if (t !== null && (this.lastStart === null || t - this.lastStart > 60_000)) {
        r.starts.push(t);
        if (r.starts.length > 20) r.starts.shift();
      }
      if (t !== null) this.lastStart = t;
    }
    let plegAge: number | null = null;
    if (id === 'pleg-unhealthy') {
      plegAge = m[1] === undefined ? null : parseGoDuration(m[1].trim());
      // Old kubelets print the zero relist time as 2562047h47m16.854775807s (Go's max Duration):
      // PLEG has never completed a relist since the kubelet started.
      if (plegAge !== null && plegAge > 1e9) {
        id = 'pleg-not-yet';
        r.neverRelisted++;
      } else if (plegAge === null) {
        r.plegUnreadable++;
      }
    }
    if (id === 'cni' && /context deadline exceeded|signal: killed|timed out|i\/o timeout/.test(line.text)) r.cniHangs++;
    if (id === 'pleg-not-yet' || id === 'cni-not-ready' || id === 'runtime-down' || id === 'runtime-status-pending') {
      // Normal for the first minutes after a start (Dataflow docs; reference §1.2): not a finding.
      // "container runtime is down" is only start-up noise right after a start marker; the
      // others also right at the beginning of a log that shows no start.
      const origin = id === 'runtime-down' ? this.lastStart : (this.lastStart ?? r.firstTime);
      const early = id === 'runtime-down' ? origin !== null && t !== null && t - origin <= this.window : t === null || origin === null || t - origin <= this.window;
      if (early) return;
      if (id === 'pleg-not-yet') r.lateNotYet++;
      else if (id === 'cni-not-ready') r.lateCniNotReady++;
      else if (id === 'runtime-status-pending') r.lateStatusPending++;
    }
    if (id === 'pleg-unhealthy') {
      const age = plegAge;
      const thr = (m[2] === undefined ? null : parseGoDuration(m[2])) ?? 180;
      if (age !== null) {
        const prev = r.plegAge;
        r.plegAge = { last: age, max: Math.max(age, prev?.max ?? 0), lastAt: t, threshold: thr };
      }
    }
    if (id === 'cri-deadline' || id === 'pleg-relist-error') {
      const call = criCallOf(line.text) ?? 'other';
      if (call in r.criCalls || Object.keys(r.criCalls).length < 32) r.criCalls[call] = (r.criCalls[call] ?? 0) + 1;
    }
    const h = (r.hits[id] ??= { count: 0, first: null, last: null, examples: [] });
    h.count++;
    if (t !== null) {
      if (h.first === null || t < h.first) h.first = t;
      if (h.last === null || t > h.last) h.last = t;
    }
    const ex = raw.length > MAX_EXAMPLE ? `${raw.slice(0, MAX_EXAMPLE)}…` : raw;
    const key = normalise(line.text);
    const keys = this.exampleKeys.get(id) ?? [];
    this.exampleKeys.set(id, keys);
    const idx = keys.indexOf(key);
    if (idx >= 0) {
      // A repeat: keep the latest copy of it in the last slot so `examples` ends with the last line.
      if (idx === h.examples.length - 1) h.examples[idx] = ex;
      return;
    }
    if (h.examples.length < this.maxExamples) {
      h.examples.push(ex);
      keys.push(key);
    } else {
      h.examples[h.examples.length - 1] = ex;
      keys[keys.length - 1] = key;
    }
  }
}

/** A message with numbers, ids and durations blanked, so repeats compare equal. */
function normalise(text: string): string {
  return text.replace(/[0-9a-f]{12,}/g, '#').replace(/\d+(?:\.\d+)?/g, '0').slice(0, 200);
}

/** Scans a stream of kubelet log bytes (plain text; decompress before). Never rejects. */
export async function scanKubeletLog(input: AsyncIterable<Buffer | string>, opts: ScanOptions = {}): Promise<LogScan> {
  const scanner = new LogScanner(opts);
  try {
    for await (const chunk of input) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      scanner.result.bytes += buf.length;
      scanner.pushBytes(buf);
    }
  } catch (err) {
    // Bad local input (a corrupt gzip) is the caller's error to report, not a shorter log.
    if (err instanceof DataError) throw err;
    scanner.result.incomplete = err instanceof Error ? err.message : String(err);
  }
  return scanner.finish();
}
