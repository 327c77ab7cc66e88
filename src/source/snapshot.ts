import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { V1Pod } from '@kubernetes/client-node';
import { DataError, UsageError, messageOf } from '../errors.js';
import { parseSelector } from '../parse/selector.js';
import type { Requirement } from '../parse/selector.js';
import { MANIFEST, SNAPSHOT_FORMAT, nodeDataDir, resourceFile } from './layout.js';
import { MAX_METRICS_BYTES } from './local-node-data.js';
import type { SnapshotManifest } from './layout.js';
import { KIND_OF, inScope, stripObject } from './resources.js';
import type { ClusterSource, Got, NodeLogQuery, ResourceKind, ResourceMap, Scope, SourceInfo, Unavailable } from './types.js';
import { got, missing } from './types.js';

const REFRESH = 'capture it again with podscope snapshot DIR';
const REDUMP = 'run kubectl cluster-info dump --output-directory again';


/** What a path is, in words, for an error. */
function typeOf(st: Stats): string {
  return st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
}

/**
 * Whether file exists as a regular file (false when absent). Anything else (a directory, a FIFO
 * that would block the read forever, a device) is a DataError: the type is checked before reading.
 */
export function regularFile(file: string, hint: string): boolean {
  let st: Stats | undefined;
  try {
    st = statSync(file, { throwIfNoEntry: false });
  } catch (err) {
    throw new DataError(`cannot read ${file}: ${messageOf(err)}`, hint);
  }
  if (!st) return false;
  if (!st.isFile()) throw new DataError(`${file} is ${typeOf(st)}, not a file`, hint);
  return true;
}

/** What went wrong reading a JSON file, without JSON.parse's quote of the input (which may span lines). */
function jsonProblem(err: unknown): string {
  return err instanceof SyntaxError ? 'not valid JSON' : messageOf(err).split('\n')[0];
}

/** Whether v is a JSON object (not null, not an array). */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The label selector of a scope, parsed, or a usage error. */
export function scopeSelector(scope: Scope): Requirement[] | undefined {
  if (!scope.labelSelector) return undefined;
  try {
    return parseSelector(scope.labelSelector);
  } catch (err) {
    throw new UsageError(messageOf(err), 'selectors look like app=web,tier!=db or env in (prod,staging)');
  }
}

/**
 * Streams a .jsonl file, the parsed objects of each chunk read at once; a bad line is a clear error
 * naming it. Splits the bytes itself and decodes one line at a time: on a 438 MB snapshot that is
 * about a second less than node:readline or splitting decoded chunks, and yields once per MiB, not per line.
 */
async function* readJsonl<T>(file: string): AsyncGenerator<T[]> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  let n = 0;
  const parse = (line: string): T => {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new DataError(`snapshot file ${file} is corrupt at line ${n} (not JSON)`, REFRESH);
    }
    if (!isObject(v)) throw new DataError(`snapshot file ${file} is corrupt at line ${n} (not a JSON object)`, REFRESH);
    return v as T;
  };
  const take = (line: string, out: T[]) => {
    n++;
    if (line.trim()) out.push(parse(line));
  };
  // The start of a line that spans chunks (a byte 10 is always a newline in UTF-8, never part of a character).
  let carry: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const out: T[] = [];
      let start = 0;
      let nl = chunk.indexOf(10);
      if (nl >= 0 && carry.length) {
        take(Buffer.concat([...carry, chunk.subarray(0, nl)]).toString('utf8'), out);
        carry = [];
        start = nl + 1;
        nl = chunk.indexOf(10, start);
      }
      for (; nl >= 0; nl = chunk.indexOf(10, start)) {
        take(chunk.toString('utf8', start, nl), out);
        start = nl + 1;
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
      if (out.length) yield out;
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`cannot read snapshot file ${file}: ${messageOf(err)}`, REFRESH);
  } finally {
    stream.destroy();
  }
  const out: T[] = [];
  if (carry.length) take(Buffer.concat(carry).toString('utf8'), out);
  if (out.length) yield out;
}

/** Reads a podscope snapshot directory (see layout.ts). */
export class SnapshotSource implements ClusterSource {
  readonly defaultNamespace = undefined;
  private readonly cache = new Map<ResourceKind, unknown[]>();
  constructor(
    readonly dir: string,
    readonly manifest: SnapshotManifest,
  ) {}

  /** Opens DIR, checking its manifest. */
  static load(dir: string): SnapshotSource {
    const file = path.join(dir, MANIFEST);
    let raw: unknown;
    try {
      if (!regularFile(file, REFRESH)) throw new Error('no such file');
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      if (err instanceof DataError) throw err;
      throw new DataError(`snapshot manifest ${file} is corrupt: ${jsonProblem(err)}`, REFRESH);
    }
    if (!isObject(raw)) throw new DataError(`snapshot manifest ${file} is corrupt: not a JSON object`, REFRESH);
    const manifest = raw as unknown as SnapshotManifest;
    if (manifest.format !== SNAPSHOT_FORMAT || manifest.schemaVersion !== 1) {
      throw new DataError(`${file} is not a podscope snapshot manifest (format ${String(manifest.format)}, schemaVersion ${String(manifest.schemaVersion)})`, REFRESH);
    }
    if (!isObject(manifest.resources) || (manifest.unavailable !== undefined && !Array.isArray(manifest.unavailable))) {
      throw new DataError(`snapshot manifest ${file} is corrupt: resources must be an object and unavailable a list`, REFRESH);
    }
    manifest.unavailable = (manifest.unavailable ?? []).filter(isObject) as SnapshotManifest['unavailable'];
    return new SnapshotSource(dir, manifest);
  }

  async info(): Promise<SourceInfo> {
    return {
      kind: 'snapshot',
      location: this.dir,
      context: this.manifest.context,
      serverVersion: this.manifest.serverVersion,
      capturedAt: this.manifest.capturedAt,
    };
  }

  private notCaptured(input: string, node?: string): Unavailable {
    const recorded = this.manifest.unavailable.find((u) => u.input === input && (node === undefined || u.node === node));
    if (recorded) return { input, kind: recorded.kind, reason: `not captured: ${recorded.reason}`, fix: recorded.fix };
    return { input, kind: 'not-captured', reason: `the snapshot has no ${input}${node ? ` for node ${node}` : ''}`, fix: 'capture with podscope snapshot (see its --node-data flag)' };
  }

  private async all<K extends ResourceKind>(kind: K): Promise<ResourceMap[K][] | undefined> {
    if (this.cache.has(kind)) return this.cache.get(kind) as ResourceMap[K][];
    if (this.manifest.resources[kind] === undefined) return undefined;
    const file = resourceFile(this.dir, kind);
    if (!regularFile(file, REFRESH)) throw new DataError(`snapshot ${this.dir} is missing ${path.basename(file)} (its manifest lists it)`, REFRESH);
    const items: ResourceMap[K][] = [];
    for await (const batch of readJsonl<ResourceMap[K]>(file)) for (const o of batch) items.push(o);
    this.cache.set(kind, items);
    return items;
  }

  async list<K extends ResourceKind>(kind: K, scope: Scope): Promise<Got<ResourceMap[K][]>> {
    const items = await this.all(kind);
    if (!items) return missing(this.notCaptured(kind));
    const sel = scopeSelector(scope);
    return got(items.filter((o) => inScope(kind, o, scope, sel)));
  }

  async getPod(namespace: string, name: string): Promise<Got<V1Pod>> {
    const pods = await this.all('pods');
    if (!pods) return missing(this.notCaptured('pods'));
    const pod = pods.find((p) => p.metadata?.name === name && (p.metadata?.namespace ?? 'default') === namespace);
    return pod ? got(pod) : missing({ input: 'pod', kind: 'not-found', reason: `pod "${name}" not in the snapshot's namespace "${namespace}"`, fix: 'check the name and -n NAMESPACE' });
  }

  async nodeMetrics(node: string): Promise<Got<string>> {
    const file = path.join(nodeDataDir(this.dir, node), 'metrics.txt');
    if (!regularFile(file, REFRESH)) return missing(this.notCaptured('node-metrics', node));
    if (statSync(file).size > MAX_METRICS_BYTES) {
      return missing({ input: 'node-metrics', kind: 'failed', reason: `${file} is larger than ${MAX_METRICS_BYTES / 2 ** 20} MiB, the limit for a kubelet /metrics scrape`, fix: REFRESH });
    }
    return got(readFileSync(file, 'utf8'));
  }

  async nodeLogs(node: string, _q: NodeLogQuery): Promise<Got<Readable>> {
    const base = path.join(nodeDataDir(this.dir, node), 'kubelet.log');
    if (regularFile(base, REFRESH)) return got(createReadStream(base));
    if (regularFile(`${base}.gz`, REFRESH)) return got(createReadStream(`${base}.gz`).pipe(createGunzip()));
    return missing(this.notCaptured('kubelet-logs', node));
  }

  async close(): Promise<void> {
    this.cache.clear();
  }
}

/** Files `kubectl cluster-info dump --output-directory` writes per namespace, by resource. */
const DUMP_FILES: Partial<Record<ResourceKind, string>> = { pods: 'pods.json', events: 'events.json', services: 'services.json' };

/** Reads the directory `kubectl cluster-info dump --output-directory DIR` writes. */
export class ClusterInfoDumpSource implements ClusterSource {
  readonly defaultNamespace = undefined;
  private readonly cache = new Map<ResourceKind, unknown[]>();
  constructor(readonly dir: string) {}

  private readList<T>(file: string): T[] {
    let body: unknown;
    try {
      if (!regularFile(file, REDUMP)) throw new Error('no such file');
      body = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      if (err instanceof DataError) throw err;
      throw new DataError(`cluster-info dump file ${file} is corrupt: ${jsonProblem(err)}`, REDUMP);
    }
    const items = isObject(body) ? body.items : undefined;
    if (!Array.isArray(items)) throw new DataError(`cluster-info dump file ${file} is not a List (no items)`, REDUMP);
    const bad = items.findIndex((o) => !isObject(o));
    if (bad >= 0) throw new DataError(`cluster-info dump file ${file} is corrupt: item ${bad} is not an object`, REDUMP);
    return items as T[];
  }

  private all<K extends ResourceKind>(kind: K): ResourceMap[K][] | undefined {
    if (this.cache.has(kind)) return this.cache.get(kind) as ResourceMap[K][];
    let items: ResourceMap[K][];
    if (kind === 'nodes') {
      items = this.readList<ResourceMap[K]>(path.join(this.dir, 'nodes.json'));
    } else {
      const name = DUMP_FILES[kind];
      if (!name) return undefined;
      items = [];
      for (const ns of readdirSync(this.dir).sort()) {
        const file = path.join(this.dir, ns, name);
        if (statSync(path.join(this.dir, ns), { throwIfNoEntry: false })?.isDirectory() && regularFile(file, REDUMP)) for (const o of this.readList<ResourceMap[K]>(file)) items.push(o);
      }
    }
    items = items.map((o) => stripObject(kind, o));
    this.cache.set(kind, items);
    return items;
  }

  async info(): Promise<SourceInfo> {
    return { kind: 'cluster-info-dump', location: this.dir };
  }

  async list<K extends ResourceKind>(kind: K, scope: Scope): Promise<Got<ResourceMap[K][]>> {
    const items = this.all(kind);
    if (!items) {
      return missing({ input: kind, kind: 'not-captured', reason: `kubectl cluster-info dump does not include ${KIND_OF[kind]} objects`, fix: 'take a podscope snapshot instead' });
    }
    const sel = scopeSelector(scope);
    return got(items.filter((o) => inScope(kind, o, scope, sel)));
  }

  async getPod(namespace: string, name: string): Promise<Got<V1Pod>> {
    const pod = this.all('pods')?.find((p) => p.metadata?.name === name && p.metadata?.namespace === namespace);
    return pod ? got(pod) : missing({ input: 'pod', kind: 'not-found', reason: `pod "${name}" not in the dump's namespace "${namespace}"`, fix: 'check the name and -n NAMESPACE' });
  }

  async nodeMetrics(node: string): Promise<Got<string>> {
    return missing({ input: 'node-metrics', kind: 'not-captured', reason: `kubectl cluster-info dump has no kubelet metrics (node ${node})`, fix: 'take a podscope snapshot, or pass --kubelet-metrics FILE' });
  }

  async nodeLogs(node: string): Promise<Got<Readable>> {
    return missing({ input: 'kubelet-logs', kind: 'not-captured', reason: `kubectl cluster-info dump has no kubelet logs (node ${node})`, fix: 'pass --kubelet-log FILE (journalctl -u kubelet on the node)' });
  }

  async close(): Promise<void> {
    this.cache.clear();
  }
}

/** Opens DIR as a podscope snapshot or a cluster-info dump, or says why it is neither. */
export function openDirectory(dir: string): ClusterSource {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataError(`${dir} is not a directory`, 'pass a podscope snapshot or a kubectl cluster-info dump directory to --from');
  }
  if (existsSync(path.join(dir, MANIFEST))) return SnapshotSource.load(dir);
  if (existsSync(path.join(dir, 'nodes.json'))) return new ClusterInfoDumpSource(dir);
  throw new DataError(
    `${dir} is neither a podscope snapshot (no ${MANIFEST}) nor a kubectl cluster-info dump (no nodes.json)`,
    'create one with podscope snapshot DIR or kubectl cluster-info dump --output-directory DIR',
  );
}
