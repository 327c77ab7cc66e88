import { chmodSync, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { UsageError, messageOf } from '../errors.js';
import { parseConditionMessage } from '../parse/node-condition.js';
import { MANIFEST, SNAPSHOT_FORMAT, nodeDataDir, resourceFile } from './layout.js';
import type { SnapshotManifest } from './layout.js';
import { RedactionTally, redactAnnotations, redactEvent, redactPod } from './redact.js';
import type { ClusterSource, ResourceKind, Scope } from './types.js';
import { RESOURCE_KINDS } from './types.js';

/** Which nodes get their kubelet metrics and log captured. */
export type NodeDataMode = 'none' | 'unhealthy' | 'all';

/** What to capture and where. */
export interface RecordOptions {
  source: ClusterSource;
  dir: string;
  scope: Scope;
  nodeData: NodeDataMode;
  /** How far back the kubelet log goes. */
  logSinceSeconds: number;
  now: Date;
  version: string;
  /** Called as each part completes (for a spinner). */
  progress?: (what: string) => void;
}

/** Whether a node looks unhealthy enough to capture its kubelet data by default. */
export function nodeNeedsData(node: V1Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status !== 'True') return true;
  return parseConditionMessage(ready.message).some((p) => p.kind !== 'other');
}

/** Snapshot files are for the person who took them: owner-only (files 0600, directories 0700). */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

async function writeJsonl(file: string, items: unknown[]): Promise<void> {
  const out = createWriteStream(file, { mode: FILE_MODE });
  for (const item of items) {
    if (!out.write(JSON.stringify(item) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** One listed object redacted for the snapshot: pods and events fully (redact.ts), others' annotations. */
function redactObject(kind: ResourceKind, obj: unknown, tally: RedactionTally): unknown {
  if (kind === 'pods') return redactPod(obj as V1Pod, tally);
  if (kind === 'events') return redactEvent(obj as CoreV1Event, tally);
  redactAnnotations(kind, (obj as { metadata?: { annotations?: Record<string, string> } }).metadata, tally);
  return obj;
}

/**
 * Captures what the analyses read into DIR (layout.ts). Never lists Secrets; env values and
 * credential-looking values are redacted (redact.ts), counted in the manifest; whatever could not be read is written to the manifest with the reason.
 */
export async function recordSnapshot(opts: RecordOptions): Promise<SnapshotManifest> {
  const { dir, source, scope } = opts;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UsageError(`${dir} is not empty`, 'give podscope snapshot a new or empty directory');
  }
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  chmodSync(dir, DIR_MODE); // an existing empty directory too
  const info = await source.info();
  const manifest: SnapshotManifest = {
    schemaVersion: 1,
    format: SNAPSHOT_FORMAT,
    tool: { name: 'podscope', version: opts.version },
    capturedAt: opts.now.toISOString(),
    context: info.context,
    server: info.location,
    serverVersion: info.serverVersion,
    scope: {
      namespace: scope.allNamespaces ? null : (scope.namespace ?? 'default'),
      allNamespaces: scope.allNamespaces,
      selector: scope.labelSelector ?? null,
    },
    resources: {},
    nodeData: { metrics: [], kubeletLogs: [] },
    unavailable: [],
    notes: [
      'Secrets are never captured; environment variable values are redacted.',
      'Also redacted (docs/security.md): secret-looking flags in command, args and exec hooks and probes; probe and hook httpHeaders values; ' +
        'annotations with secret-looking names and credentials inside other annotations; the last-applied-configuration annotation; ' +
        'credentials inside termination, waiting, pod status and event messages. "redacted" counts them per field, never their values.',
    ],
  };
  const tally = new RedactionTally();
  let nodes: V1Node[] = [];
  for (const kind of RESOURCE_KINDS) {
    const res = await source.list(kind as ResourceKind, scope);
    if (!res.ok) {
      manifest.unavailable.push(res.unavailable);
      continue;
    }
    if (kind === 'nodes') nodes = res.value as V1Node[];
    const items = res.value.map((o) => redactObject(kind, o, tally));
    await writeJsonl(resourceFile(dir, kind), items);
    manifest.resources[kind] = items.length;
    opts.progress?.(`${kind}: ${items.length}`);
  }
  const chosen = opts.nodeData === 'none' ? [] : nodes.filter((n) => opts.nodeData === 'all' || nodeNeedsData(n));
  await Promise.all(
    chosen.map(async (node) => {
      const name = node.metadata?.name ?? '?';
      const ndir = nodeDataDir(dir, name);
      mkdirSync(ndir, { recursive: true, mode: DIR_MODE });
      const metrics = await source.nodeMetrics(name);
      if (metrics.ok) {
        writeFileSync(path.join(ndir, 'metrics.txt'), metrics.value, { mode: FILE_MODE });
        manifest.nodeData.metrics.push(name);
      } else manifest.unavailable.push({ ...metrics.unavailable, node: name });
      const logs = await source.nodeLogs(name, { query: 'kubelet', sinceTime: new Date(opts.now.getTime() - opts.logSinceSeconds * 1000) });
      if (logs.ok) {
        const file = path.join(ndir, 'kubelet.log');
        try {
          await pipeline(logs.value, createWriteStream(file, { mode: FILE_MODE }));
          manifest.nodeData.kubeletLogs.push(name);
        } catch (err) {
          // Cut mid-stream (no data for --node-timeout, the gather deadline, a reset): no half log.
          rmSync(file, { force: true });
          manifest.unavailable.push({ input: 'kubelet-logs', kind: 'failed', reason: `the kubelet log of node ${name} was cut off: ${messageOf(err)}`, node: name });
        }
      } else manifest.unavailable.push({ ...logs.unavailable, node: name });
      opts.progress?.(`node ${name}`);
    }),
  );
  manifest.nodeData.metrics.sort();
  manifest.nodeData.kubeletLogs.sort();
  manifest.redacted = { total: tally.total, fields: tally.toJSON() };
  writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: FILE_MODE });
  return manifest;
}
