import { createReadStream, readFileSync, statSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { DataError, messageOf } from '../errors.js';

/**
 * Node data given on the command line (`--kubelet-log FILE|-`, `--kubelet-metrics FILE`): the
 * offline counterpart of the live source's node log query and node proxy /metrics.
 */

/** Opens a kubelet log file, or standard input for `-`; gzip is detected by its magic bytes. */
export async function openLocalLog(file: string, stdin: Readable = process.stdin): Promise<Readable> {
  let input: Readable;
  if (file === '-') {
    input = stdin;
  } else {
    try {
      if (!statSync(file).isFile()) throw new Error('not a regular file');
    } catch (err) {
      throw new DataError(`cannot read kubelet log ${file}: ${messageOf(err)}`, 'pass a file saved with journalctl -u kubelet, or - for standard input');
    }
    input = createReadStream(file, { highWaterMark: 1 << 20 });
  }
  return sniffGzip(input);
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

/** Reads a saved kubelet /metrics scrape (plain or gzip) and when it was saved (mtime). */
export function readLocalMetrics(file: string): { text: string; savedAt: Date } {
  try {
    const buf = readFileSync(file);
    const text = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
    return { text, savedAt: statSync(file).mtime };
  } catch (err) {
    throw new DataError(`cannot read kubelet metrics ${file}: ${messageOf(err)}`, 'save them with kubectl get --raw /api/v1/nodes/NODE/proxy/metrics > FILE');
  }
}
