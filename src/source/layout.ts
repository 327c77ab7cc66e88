import path from 'node:path';
import type { ResourceKind, Unavailable } from './types.js';

/**
 * podscope's snapshot directory:
 *   manifest.json                  what was captured, when, from where, what was not and why
 *   <resource>.jsonl               one object a line (nodes, pods, events, services, endpointslices):
 *                                  streams in and out, so no file hits V8's string limit
 *   node-data/<node>/metrics.txt   the kubelet's /metrics text
 *   node-data/<node>/kubelet.log   the kubelet log from node log query
 */
export const MANIFEST = 'manifest.json';
export const SNAPSHOT_FORMAT = 'podscope-snapshot';

/** The file holding a resource's objects. */
export function resourceFile(dir: string, kind: ResourceKind): string {
  return path.join(dir, `${kind}.jsonl`);
}

/** The folder of one node's raw text. */
export function nodeDataDir(dir: string, node: string): string {
  return path.join(dir, 'node-data', node.replace(/[^A-Za-z0-9._-]/g, '_'));
}

/** manifest.json of a podscope snapshot. */
export interface SnapshotManifest {
  schemaVersion: 1;
  format: typeof SNAPSHOT_FORMAT;
  tool: { name: 'podscope'; version: string };
  capturedAt: string;
  context?: string;
  server?: string;
  serverVersion?: string;
  scope: { namespace: string | null; allNamespaces: boolean; selector: string | null };
  /** Object counts per resource captured. */
  resources: Partial<Record<ResourceKind, number>>;
  /** Nodes whose metrics / kubelet log were captured. */
  nodeData: { metrics: string[]; kubeletLogs: string[] };
  unavailable: (Unavailable & { node?: string })[];
  notes: string[];
  /** What was redacted: a total and counts per field path (`pods: spec.containers[].args`), never values. Absent in older snapshots. */
  redacted?: { total: number; fields: Record<string, number> };
}
