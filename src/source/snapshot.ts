import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { V1Pod } from '@kubernetes/client-node';
import { DataError, UsageError, messageOf } from '../errors.js';
import { parseSelector } from '../parse/selector.js';
import type { Requirement } from '../parse/selector.js';
import { MANIFEST, SNAPSHOT_FORMAT, nodeDataDir, resourceFile } from './layout.js';
import type { SnapshotManifest } from './layout.js';
import { KIND_OF, inScope, stripObject } from './resources.js';
import type { ClusterSource, Got, NodeLogQuery, ResourceKind, ResourceMap, Scope, SourceInfo, Unavailable } from './types.js';
import { got, missing } from './types.js';

const REFRESH = 'capture it again with podscope snapshot DIR';

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
 * Streams a .jsonl file, one parsed object a line; a bad line is a clear error naming it.
 * Splits chunks itself: node:readline costs about a second more on a 438 MB snapshot.
 */
async function* readJsonl<T>(file: string): AsyncGenerator<T> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  let n = 0;
  const parse = (line: string): T => {
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new DataError(`snapshot file ${file} is corrupt at line ${n} (not JSON)`, REFRESH);
    }
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      n++;
      if (line.trim()) yield parse(line);
    }
  }
  n++;
  if (rest.trim()) yield parse(rest);
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
    let manifest: SnapshotManifest;
    try {
      manifest = JSON.parse(readFileSync(file, 'utf8')) as SnapshotManifest;
    } catch (err) {
      throw new DataError(`snapshot manifest ${file} is corrupt: ${messageOf(err)}`, REFRESH);
    }
    if (manifest.format !== SNAPSHOT_FORMAT || manifest.schemaVersion !== 1) {
      throw new DataError(`${file} is not a podscope snapshot manifest (format ${String(manifest.format)}, schemaVersion ${String(manifest.schemaVersion)})`, REFRESH);
    }
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
    if (!existsSync(file)) throw new DataError(`snapshot ${this.dir} is missing ${path.basename(file)} (its manifest lists it)`, REFRESH);
    const items: ResourceMap[K][] = [];
    for await (const o of readJsonl<ResourceMap[K]>(file)) items.push(o);
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
    if (!existsSync(file)) return missing(this.notCaptured('node-metrics', node));
    return got(readFileSync(file, 'utf8'));
  }

  async nodeLogs(node: string, _q: NodeLogQuery): Promise<Got<Readable>> {
    const base = path.join(nodeDataDir(this.dir, node), 'kubelet.log');
    if (existsSync(base)) return got(createReadStream(base));
    if (existsSync(`${base}.gz`)) return got(createReadStream(`${base}.gz`).pipe(createGunzip()));
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
    let body: { items?: T[] };
    try {
      body = JSON.parse(readFileSync(file, 'utf8')) as { items?: T[] };
    } catch (err) {
      throw new DataError(`cluster-info dump file ${file} is corrupt: ${messageOf(err)}`, 'run kubectl cluster-info dump --output-directory again');
    }
    if (!Array.isArray(body.items)) throw new DataError(`cluster-info dump file ${file} is not a List (no items)`, 'run kubectl cluster-info dump --output-directory again');
    return body.items;
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
        if (statSync(path.join(this.dir, ns)).isDirectory() && existsSync(file)) for (const o of this.readList<ResourceMap[K]>(file)) items.push(o);
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
