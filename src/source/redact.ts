import type { CoreV1Event, V1Container, V1ContainerStatus, V1LifecycleHandler, V1Pod, V1Probe } from '@kubernetes/client-node';
import { REDACTED, isSecretName, redactArgs, redactText } from '../parse/secret-text.js';

export { REDACTED } from '../parse/secret-text.js';

/** The annotation kubectl apply writes: the whole object again, env values and args included. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * What was redacted, as counts per field path (`pods: spec.containers[].args`), never values.
 * Written to the snapshot manifest.
 */
export class RedactionTally {
  readonly counts = new Map<string, number>();

  /** Counts n redactions at a field path. */
  add(path: string, n = 1): void {
    if (n > 0) this.counts.set(path, (this.counts.get(path) ?? 0) + n);
  }

  /** Field path → count, sorted by path. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }

  /** Every redaction counted. */
  get total(): number {
    let t = 0;
    for (const n of this.counts.values()) t += n;
    return t;
  }
}

type Meta = { annotations?: Record<string, string> } | undefined;

/** Drops last-applied-configuration; redacts annotations whose name looks secret, and credentials inside the others. */
export function redactAnnotations(kind: string, meta: Meta, tally: RedactionTally): void {
  const a = meta?.annotations;
  if (!a) return;
  if (LAST_APPLIED in a) {
    delete a[LAST_APPLIED];
    tally.add(`${kind}: metadata.annotations[${LAST_APPLIED}] (dropped)`);
  }
  for (const [name, value] of Object.entries(a)) {
    if (typeof value !== 'string') continue;
    if (isSecretName(name)) {
      a[name] = REDACTED;
      tally.add(`${kind}: metadata.annotations[${name}]`);
      continue;
    }
    const r = redactText(value);
    if (r.changed) {
      a[name] = r.text;
      tally.add(`${kind}: metadata.annotations[${name}]`, r.changed);
    }
  }
}

function redactCommand(holder: { command?: string[] } | { args?: string[] } | undefined, key: 'command' | 'args', path: string, tally: RedactionTally): void {
  const h = holder as Record<string, string[] | undefined> | undefined;
  const list = h?.[key];
  if (!h || !Array.isArray(list)) return;
  const r = redactArgs(list);
  if (r.changed) {
    h[key] = r.args;
    tally.add(path, r.changed);
  }
}

function redactHandler(h: V1LifecycleHandler | V1Probe | undefined, path: string, tally: RedactionTally): void {
  if (!h) return;
  redactCommand(h.exec, 'command', `${path}.exec.command`, tally);
  for (const header of h.httpGet?.httpHeaders ?? []) {
    if (header.value !== undefined && header.value !== REDACTED) {
      header.value = REDACTED;
      tally.add(`${path}.httpGet.httpHeaders[].value`);
    }
  }
}

function redactContainer(c: V1Container, path: string, tally: RedactionTally): void {
  for (const e of c.env ?? []) {
    if (e.value !== undefined) {
      e.value = REDACTED;
      tally.add(`${path}.env[].value`);
    }
  }
  redactCommand(c, 'command', `${path}.command`, tally);
  redactCommand(c, 'args', `${path}.args`, tally);
  redactHandler(c.livenessProbe, `${path}.livenessProbe`, tally);
  redactHandler(c.readinessProbe, `${path}.readinessProbe`, tally);
  redactHandler(c.startupProbe, `${path}.startupProbe`, tally);
  redactHandler(c.lifecycle?.postStart, `${path}.lifecycle.postStart`, tally);
  redactHandler(c.lifecycle?.preStop, `${path}.lifecycle.preStop`, tally);
}

function redactMessage(holder: { message?: string } | undefined, path: string, tally: RedactionTally): void {
  if (!holder || typeof holder.message !== 'string') return;
  const r = redactText(holder.message);
  if (r.changed) {
    holder.message = r.text;
    tally.add(path, r.changed);
  }
}

function redactStatuses(list: V1ContainerStatus[] | undefined, path: string, tally: RedactionTally): void {
  for (const s of list ?? []) {
    for (const which of ['state', 'lastState'] as const) {
      redactMessage(s[which]?.terminated, `${path}.${which}.terminated.message`, tally);
      redactMessage(s[which]?.waiting, `${path}.${which}.waiting.message`, tally);
    }
  }
}

/** Secret-named string keys anywhere in the pod's volumes (csi volumeAttributes, flexVolume options). */
function redactVolumes(pod: V1Pod, tally: RedactionTally): void {
  const walk = (o: unknown, path: string): void => {
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      const p = Array.isArray(o) ? `${path}[]` : `${path}.${k}`;
      if (typeof v === 'string' && !Array.isArray(o) && isSecretName(k)) {
        (o as Record<string, unknown>)[k] = REDACTED;
        tally.add(`pods: ${p}`);
      } else walk(v, p);
    }
  };
  walk(pod.spec?.volumes, 'spec.volumes');
}

/**
 * Redacts a pod for a snapshot, in place: env values; secret-looking flags in command and args;
 * exec probe and lifecycle hook commands; probe and hook httpHeaders values; annotations whose
 * name looks secret, credentials inside other annotations, and the last-applied annotation;
 * credentials inside termination and waiting messages and the pod's status message; secret-named
 * keys in volume sources. Counts go to the tally.
 */
export function redactPod(pod: V1Pod, tally: RedactionTally = new RedactionTally()): V1Pod {
  redactAnnotations('pods', pod.metadata, tally);
  const groups = [
    ['containers', pod.spec?.containers],
    ['initContainers', pod.spec?.initContainers],
    ['ephemeralContainers', pod.spec?.ephemeralContainers as V1Container[] | undefined],
  ] as const;
  for (const [key, list] of groups) for (const c of list ?? []) redactContainer(c, `pods: spec.${key}[]`, tally);
  redactVolumes(pod, tally);
  redactStatuses(pod.status?.containerStatuses, 'pods: status.containerStatuses[]', tally);
  redactStatuses(pod.status?.initContainerStatuses, 'pods: status.initContainerStatuses[]', tally);
  redactStatuses(pod.status?.ephemeralContainerStatuses, 'pods: status.ephemeralContainerStatuses[]', tally);
  redactMessage(pod.status, 'pods: status.message', tally);
  return pod;
}

/** Redacts an event for a snapshot, in place: credentials inside its message and annotations. */
export function redactEvent(e: CoreV1Event, tally: RedactionTally = new RedactionTally()): CoreV1Event {
  redactAnnotations('events', e.metadata, tally);
  redactMessage(e, 'events: message', tally);
  return e;
}
