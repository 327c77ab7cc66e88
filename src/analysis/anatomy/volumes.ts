import type { V1Pod, V1Volume } from '@kubernetes/client-node';
import type { PlacedContainer } from './roles.js';
import type { MountView, VolumeView } from './types.js';

/** The volume source kind (`emptyDir`, `configMap`, `hostPath`, ...) and what backs it, never Secret data. */
export function volumeSource(v: V1Volume): { type: string; source: string | null } {
  const type = Object.keys(v).find((k) => k !== 'name' && (v as unknown as Record<string, unknown>)[k] !== undefined) ?? 'unknown';
  let source: string | null = null;
  if (v.emptyDir) source = v.emptyDir.medium === 'Memory' ? `memory${v.emptyDir.sizeLimit ? `, limit ${v.emptyDir.sizeLimit}` : ''}` : v.emptyDir.sizeLimit ? `limit ${v.emptyDir.sizeLimit}` : null;
  else if (v.configMap) source = `configmap/${v.configMap.name}`;
  else if (v.secret) source = `secret/${v.secret.secretName}`;
  else if (v.hostPath) source = `${v.hostPath.path}${v.hostPath.type ? ` (${v.hostPath.type})` : ''}`;
  else if (v.persistentVolumeClaim) source = `pvc/${v.persistentVolumeClaim.claimName}`;
  else if (v.projected) source = (v.projected.sources ?? []).map((s) => Object.keys(s).find((k) => (s as Record<string, unknown>)[k] !== undefined) ?? '?').join(' + ') || null;
  else if (v.csi) source = v.csi.driver;
  return { type, source };
}

function describeSharing(mounts: MountView[], placed: Map<string, PlacedContainer>, type: string): string | null {
  const users = [...new Set(mounts.map((m) => m.container))];
  if (users.length < 2) return null;
  const writers = users.filter((u) => mounts.some((m) => m.container === u && !m.readOnly));
  const readers = users.filter((u) => !writers.includes(u));
  const patternOf = (u: string) => placed.get(u)?.view.pattern;
  const roleOf = (u: string) => placed.get(u)?.view.role;
  const shipper = users.find((u) => patternOf(u) === 'log-shipper');
  const readOnlyConfig = ['configMap', 'secret', 'projected', 'downwardAPI'].includes(type);
  if (shipper) {
    const producers = users.filter((u) => u !== shipper && writers.includes(u));
    if (producers.length) return `log-shipper pattern: ${producers.join(', ')} write${producers.length > 1 ? '' : 's'} logs, ${shipper} reads and ships them`;
  }
  const initWriters = writers.filter((u) => roleOf(u) === 'init' || patternOf(u) === 'secret-agent');
  if (initWriters.length && !readOnlyConfig) {
    const consumers = users.filter((u) => !initWriters.includes(u));
    const what = initWriters.some((u) => patternOf(u) === 'secret-agent') ? 'secrets' : 'files';
    return `${initWriters.join(', ')} write${initWriters.length > 1 ? '' : 's'} ${what} for ${consumers.join(', ')}`;
  }
  if (readOnlyConfig || writers.length === 0) return `read by ${users.join(', ')}`;
  if (readers.length) return `written by ${writers.join(', ')}, read by ${readers.join(', ')}`;
  return `read-write by ${writers.join(', ')}: concurrent writers must not clobber each other`;
}

// The kubelet mounts these read-only whatever the mount says (kubernetes/kubernetes#58720, 1.10:
// configMap, secret, downwardAPI and projected volumes are read-only API data volumes).
const ALWAYS_READ_ONLY = new Set(['configMap', 'secret', 'downwardAPI', 'projected']);

/** Every volume of the pod, its type and source, who mounts it where, and how it is shared. */
export function podVolumes(pod: V1Pod, placed: PlacedContainer[]): VolumeView[] {
  const byName = new Map(placed.map((p) => [p.view.name, p]));
  return (pod.spec?.volumes ?? []).map((v) => {
    const { type, source } = volumeSource(v);
    const mounts: MountView[] = [];
    for (const p of placed) {
      for (const m of p.spec.volumeMounts ?? []) {
        if (m.name !== v.name) continue;
        mounts.push({ container: p.view.name, readOnly: Boolean(m.readOnly) || ALWAYS_READ_ONLY.has(type), path: m.subPath ? `${m.mountPath} (subPath ${m.subPath})` : m.mountPath });
      }
    }
    return { name: v.name, type, mounts, source, sharing: describeSharing(mounts, byName, type) };
  });
}
