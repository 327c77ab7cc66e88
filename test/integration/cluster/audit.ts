/**
 * Reads the API server's audit log (components.ts turns it on: JSON lines in the cluster's temp
 * dir, policy level Metadata) and counts requests by user, verb and resource. A window between
 * two marker requests bounds what one command did; a user of its own (userKubeconfig) tells the
 * command's requests from kwok's and the test's, which share the admin identity.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Cluster } from './harness.js';
import { writeKubeconfig } from './kubeconfig.js';
import { clientCert } from './pki.js';
import { waitFor } from './wait.js';

/** The fields of an audit.k8s.io/v1 Event that the budgets read. */
export interface AuditEvent {
  auditID: string;
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[] };
  userAgent?: string;
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string; apiGroup?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp: string;
  requestObject?: { preconditions?: { uid?: string } };
}

/** The audit log file of a cluster. */
export function auditLogPath(cluster: Pick<Cluster, 'state'>): string {
  return join(cluster.state.dir, 'audit.log');
}

/** Current size of the log in bytes (0 before the first event): an offset to read from later. */
export function auditOffset(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/**
 * The events written from byte `offset` on, one per request (stages of a request, e.g. a watch's
 * ResponseStarted and ResponseComplete, merged under its auditID, the last stage kept). A line
 * still being written at the end is skipped.
 */
export function readAudit(path: string, offset = 0): AuditEvent[] {
  const size = auditOffset(path);
  if (size <= offset) return [];
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  const text = buf.toString('utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const byId = new Map<string, AuditEvent>();
  const lines = complete.split('\n');
  // An offset inside a line (a size taken while the server wrote) starts with that line's tail.
  if (offset > 0 && !lines[0]?.startsWith('{"kind":"Event"')) lines.shift();
  for (const line of lines) {
    if (!line) continue;
    const ev = parseEvent(line);
    if (ev) byId.set(ev.auditID, ev);
  }
  return [...byId.values()];
}

/**
 * One log line as an event. An API server killed in the middle of a write (the fault tests crash
 * it) leaves half a line, which the next server's first event then continues: keep that event.
 */
function parseEvent(line: string): AuditEvent | undefined {
  try {
    return JSON.parse(line) as AuditEvent;
  } catch {
    const at = line.lastIndexOf('{"kind":"Event"');
    if (at <= 0) return undefined;
    try {
      return JSON.parse(line.slice(at)) as AuditEvent;
    } catch {
      return undefined;
    }
  }
}

/** `verb resource[/subresource]`, or `verb /path` for non-resource URLs such as /version. */
export function requestKey(ev: AuditEvent): string {
  const r = ev.objectRef?.resource;
  if (!r) return `${ev.verb} ${ev.requestURI.split('?')[0]}`;
  return `${ev.verb} ${r}${ev.objectRef?.subresource ? `/${ev.objectRef.subresource}` : ''}`;
}

/** Counts of requests by key (requestKey unless given), sorted by key. */
export function countBy(events: AuditEvent[], key: (ev: AuditEvent) => string = requestKey): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ev of events) counts[key(ev)] = (counts[key(ev)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Sends a request no one else sends (GET of a ConfigMap that does not exist, as the admin) and
 * waits until the audit log holds it; returns the byte offset just after it. Everything the API
 * server finished before the marker is in the file by then (blocking log mode writes in order).
 */
export async function auditMark(cluster: Pick<Cluster, 'state' | 'kc'>): Promise<number> {
  const path = auditLogPath(cluster);
  const before = auditOffset(path);
  const name = `podscope-audit-marker-${randomBytes(4).toString('hex')}`;
  await cluster.kc
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ namespace: 'default', name })
    .catch(() => undefined);
  let end = 0;
  await waitFor(
    `audit marker ${name}`,
    async () => {
      const size = auditOffset(path);
      const events = readAudit(path, before);
      if (!events.some((e) => e.objectRef?.name === name)) return false;
      end = size;
      return true;
    },
    30_000,
  );
  return end;
}

/**
 * Runs `fn` and returns the requests `username` made meanwhile: the log is read from a marker
 * before to a marker after, plus `settleMs` for watches whose end the server logs late.
 */
export async function auditedRun<T>(
  cluster: Pick<Cluster, 'state' | 'kc'>,
  username: string,
  fn: () => Promise<T> | T,
  settleMs = 1500,
): Promise<{ result: T; events: AuditEvent[] }> {
  const from = await auditMark(cluster);
  const result = await fn();
  await new Promise((r) => setTimeout(r, settleMs));
  await auditMark(cluster);
  const events = readAudit(auditLogPath(cluster), from).filter((e) => e.user.username === username);
  return { result, events };
}

/**
 * A kubeconfig for a user of its own (client cert `CN=username`, groups `O=` each, system:masters
 * unless told), so its requests can be told apart in the audit log. Written to the cluster's temp dir.
 */
export function userKubeconfig(cluster: Pick<Cluster, 'state' | 'pki'>, username: string, groups: string[] = ['system:masters']): string {
  const dir = cluster.state.dir;
  const cert = clientCert(dir, cluster.pki.ca, `user-${username}`, `${groups.map((g) => `/O=${g}`).join('')}/CN=${username}`);
  return writeKubeconfig({ path: join(dir, `${username}.kubeconfig`), name: username, server: cluster.state.server, caFile: cluster.pki.ca.cert, client: cert });
}
