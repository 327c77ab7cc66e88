import { closeSync, createReadStream, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { DataError, messageOf } from '../errors.js';

/**
 * Node data given on the command line (`--kubelet-log FILE|-`, `--kubelet-metrics FILE`): the
 * offline counterpart of the live source's node log query and node proxy /metrics.
 */

/**
 * Largest kubelet /metrics text read, plain or after gunzip (a real scrape is tens of KB to a few
 * MB; parsing costs about 25 bytes of memory per byte of text, so this bounds it near 400 MiB).
 */
export const MAX_METRICS_BYTES = 16 * 2 ** 20;

const LOG_HINT = 'pass a file saved with journalctl -u kubelet, or - for standard input';

/**
 * Opens a kubelet log file (a FIFO such as `<(journalctl ...)` too), or standard input for `-`;
 * gzip is detected by its magic bytes. An unreadable file is a DataError before any scanning, and
 * so is a read error midway.
 */
export async function openLocalLog(file: string, stdin: Readable = process.stdin): Promise<Readable> {
  let input: Readable;
  if (file === '-') {
    input = stdin;
  } else {
    let fd: number | undefined;
    try {
      const st = statSync(file);
      if (!st.isFile() && !st.isFIFO()) throw new Error(st.isDirectory() ? 'it is a directory' : 'not a regular file');
      fd = openSync(file, 'r');
      if (fstatSync(fd).isDirectory()) throw new Error('it is a directory');
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      throw new DataError(`cannot read kubelet log ${file}: ${messageOf(err)}`, LOG_HINT);
    }
    input = createReadStream(file, { fd, highWaterMark: 1 << 20 });
  }
  const label = file === '-' ? 'from standard input' : file;
  let stream: Readable;
  try {
    stream = await sniffGzip(input);
  } catch (err) {
    throw new DataError(`cannot read kubelet log ${label}: ${messageOf(err)}`, LOG_HINT);
  }
  // An error midway (a corrupt or truncated gzip, EIO) is bad input, never a shorter log scanned as
  // healthy: the scan rethrows a DataError as the command's one-line error (exit 3).
  const out = new PassThrough();
  stream.on('error', (err: NodeJS.ErrnoException) => {
    const gz = typeof err.code === 'string' && err.code.startsWith('Z_');
    out.destroy(new DataError(gz ? `kubelet log ${label} is not valid gzip: ${messageOf(err)}` : `cannot read kubelet log ${label}: ${messageOf(err)}`, gz ? 'gunzip -t the file, or pass the plain log' : LOG_HINT));
  });
  return stream.pipe(out);
}

/** Passes a stream through, gunzipping it when it starts with the gzip magic bytes (1f 8b). */
export async function sniffGzip(input: Readable): Promise<Readable> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  const head: Buffer | undefined = first.done ? undefined : Buffer.isBuffer(first.value) ? first.value : Buffer.from(String(first.value));
  const rest = Readable.from(
    (async function* () {
      if (head) yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value as Buffer;
    })(),
    { objectMode: false },
  );
  if (head && head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    const out = new PassThrough();
    rest.on('error', (e) => out.destroy(e));
    gunzip.on('error', (e) => out.destroy(e));
    rest.pipe(gunzip).pipe(out);
    return out;
  }
  return rest;
}

/**
 * Reads a saved kubelet /metrics scrape (plain or gzip) and when it was saved (mtime). Text past
 * MAX_METRICS_BYTES, before or after gunzip (a gzip bomb), is a DataError.
 */
export function readLocalMetrics(file: string): { text: string; savedAt: Date } {
  const hint = 'save them with kubectl get --raw /api/v1/nodes/NODE/proxy/metrics > FILE';
  const limit = `${MAX_METRICS_BYTES / 2 ** 20} MiB`;
  let buf: Buffer;
  let savedAt: Date;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new Error('it is a directory');
    if (st.isFile() && st.size > MAX_METRICS_BYTES) throw new DataError(`kubelet metrics ${file} is larger than ${limit}, the limit for a /metrics scrape`, hint);
    savedAt = st.mtime;
    buf = readFileSync(file);
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`cannot read kubelet metrics ${file}: ${messageOf(err)}`, hint);
  }
  if (buf.length > MAX_METRICS_BYTES) throw new DataError(`kubelet metrics ${file} is larger than ${limit}, the limit for a /metrics scrape`, hint);
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf, { maxOutputLength: MAX_METRICS_BYTES });
    } catch (err) {
      const big = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new DataError(big ? `kubelet metrics ${file} decompresses past ${limit}, the limit for a /metrics scrape` : `cannot gunzip kubelet metrics ${file}: ${messageOf(err)}`, hint);
    }
  }
  return { text: buf.toString('utf8'), savedAt };
}
