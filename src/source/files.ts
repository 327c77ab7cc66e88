import { readFileSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { V1ObjectMeta, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import { DataError, messageOf } from '../errors.js';
import { decodeManifestText, manifestDocuments } from './manifest-text.js';
import { inScope, resourceOfKind, stripObject } from './resources.js';
import { scopeSelector } from './snapshot.js';
import type { ClusterSource, Got, ResourceKind, ResourceMap, Scope, SourceInfo } from './types.js';
import { got, missing } from './types.js';

interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  items?: unknown[];
  spec?: { template?: V1PodTemplateSpec; jobTemplate?: { spec?: { template?: V1PodTemplateSpec } } };
}

/** Workload kinds whose pod template podscope reads as a pod. */
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate']);

/** Annotation on a pod made from a workload's template: `Deployment/web`. */
export const FROM_TEMPLATE = 'podscope.dev/from-template';

/** The pod a workload's template would create (name = the workload's, marked with FROM_TEMPLATE). */
export function podFromWorkload(obj: KObject): V1Pod | undefined {
  const template = obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template : obj.kind === 'PodTemplate' ? (obj as { template?: V1PodTemplateSpec }).template : obj.spec?.template;
  if (!template?.spec) return undefined;
  const owner = obj.kind === 'CronJob' ? 'Job' : obj.kind;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...template.metadata,
      name: obj.metadata?.name,
      namespace: obj.metadata?.namespace,
      annotations: { ...(template.metadata?.annotations ?? {}), [FROM_TEMPLATE]: `${obj.kind}/${obj.metadata?.name ?? '?'}` },
      ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: owner, name: obj.metadata?.name ?? '?', uid: '' }] : undefined,
    },
    spec: template.spec,
  };
}

/** Parses JSON or YAML (several documents, JSON streams allowed) into plain objects. */
export function parseManifests(text: string, name: string): unknown[] {
  return [...manifestDocuments(text, name)];
}

/** Whether an object without kind is shaped like a pod: metadata plus spec.containers (kubelet /pods items, jq .items[0]). */
export function looksLikePod(o: KObject): boolean {
  const spec = (o as { spec?: { containers?: unknown } }).spec;
  return typeof o.metadata === 'object' && o.metadata !== null && Array.isArray(spec?.containers);
}

/** Objects sorted by the resource they belong to, and how many pods were read without a kind. */
export interface Collected {
  by: Map<ResourceKind, unknown[]>;
  kindlessPods: number;
}

/** Most Lists nested in one another that are flattened. */
const MAX_LIST_NESTING = 100;

/** Flattens Lists and sorts objects by the resource they belong to; Secrets are dropped unread. */
export function collectObjects(docs: Iterable<unknown>, into: Collected = { by: new Map(), kindlessPods: 0 }): Collected {
  const add = (r: ResourceKind, o: unknown) => {
    const list = into.by.get(r);
    if (list) list.push(o);
    else into.by.set(r, [o]);
  };
  // Iterative, so a List nested 100,000 deep cannot overflow the stack.
  const stack: [unknown, number][] = [];
  for (const doc of docs) {
    stack.push([doc, 0]);
    while (stack.length) {
      const [o, depth] = stack.pop() as [unknown, number];
      if (typeof o !== 'object' || o === null || Array.isArray(o)) continue;
      const k = o as KObject;
      if (Array.isArray(k.items) && (!k.kind || k.kind === 'List' || k.kind.endsWith('List'))) {
        if (depth >= MAX_LIST_NESTING) throw new DataError(`Lists are nested more than ${MAX_LIST_NESTING} deep`, 'pass a Pod, a List of objects, or kubectl get -o json|yaml output');
        for (let i = k.items.length - 1; i >= 0; i--) stack.push([k.items[i], depth + 1]);
        continue;
      }
      if (!k.kind) {
        if (looksLikePod(k)) {
          add('pods', o);
          into.kindlessPods++;
        }
        continue;
      }
      if (typeof k.kind !== 'string' || k.kind === 'Secret') continue;
      const r = resourceOfKind(k.kind);
      if (r) add(r, o);
      else if (WORKLOADS.has(k.kind)) {
        const pod = podFromWorkload(k);
        if (pod) add('pods', pod);
      }
    }
  }
  return into;
}

/**
 * All of standard input, read synchronously. A pipe or terminal left non-blocking by the parent
 * (npx, some shells) answers EAGAIN when empty for now: wait a little and read on until EOF.
 */
export function readStdinSync(fd = 0): Buffer {
  const chunks: Buffer[] = [];
  const buf = Buffer.allocUnsafe(1 << 20);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as { code?: string }).code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      if ((err as { code?: string }).code === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** Serves the objects of `-f FILE` (or `-f -`, standard input). */
export class FilesSource implements ClusterSource {
  readonly defaultNamespace = undefined;
  constructor(
    readonly name: string,
    private readonly objects: Map<ResourceKind, unknown[]>,
    readonly notes: readonly string[] = [],
  ) {}

  /** Reads and parses the file ('-' is standard input). */
  static load(file: string, stdin: () => string | Buffer = () => readStdinSync()): FilesSource {
    const name = file === '-' ? 'standard input' : file;
    let raw: string | Buffer;
    try {
      raw = file === '-' ? stdin() : readFileSync(file);
    } catch (err) {
      throw new DataError(`cannot read ${name}: ${messageOf(err)}`, 'check the path given to -f');
    }
    const text = typeof raw === 'string' ? raw : decodeManifestText(raw, name);
    raw = '';
    const { by: objects, kindlessPods } = collectObjects(manifestDocuments(text, name));
    if (objects.size === 0) {
      throw new DataError(`${name} holds no Kubernetes objects podscope reads`, 'pass a Pod, a workload, a List, or kubectl get -o json|yaml output (objects need kind and metadata)');
    }
    for (const [r, list] of objects) for (let i = 0; i < list.length; i++) list[i] = stripObject(r, list[i] as ResourceMap[typeof r]);
    const notes = kindlessPods
      ? [`${kindlessPods} object${kindlessPods === 1 ? '' : 's'} without kind/apiVersion in ${name} read as Pod${kindlessPods === 1 ? '' : 's'} (shaped like one: metadata and spec.containers)`]
      : [];
    return new FilesSource(name, objects, notes);
  }

  async info(): Promise<SourceInfo> {
    return { kind: 'files', location: this.name, ...(this.notes.length ? { notes: [...this.notes] } : {}) };
  }

  async list<K extends ResourceKind>(kind: K, scope: Scope): Promise<Got<ResourceMap[K][]>> {
    const items = this.objects.get(kind) as ResourceMap[K][] | undefined;
    if (!items) return missing({ input: kind, kind: 'not-captured', reason: `${this.name} has no ${kind}`, fix: 'run against a cluster or a snapshot for this input' });
    const sel = scopeSelector(scope);
    return got(items.filter((o) => inScope(kind, o, scope, sel)));
  }

  async getPod(namespace: string, name: string): Promise<Got<V1Pod>> {
    const pods = (this.objects.get('pods') ?? []) as V1Pod[];
    const pod = pods.find((p) => p.metadata?.name === name && (p.metadata?.namespace ?? namespace) === namespace);
    return pod ? got(pod) : missing({ input: 'pod', kind: 'not-found', reason: `pod "${name}" is not in ${this.name}`, fix: 'check the name' });
  }

  async nodeMetrics(node: string): Promise<Got<string>> {
    return missing({ input: 'node-metrics', kind: 'not-captured', reason: `a manifest file has no kubelet metrics (node ${node})`, fix: 'pass --kubelet-metrics FILE' });
  }

  async nodeLogs(node: string): Promise<Got<Readable>> {
    return missing({ input: 'kubelet-logs', kind: 'not-captured', reason: `a manifest file has no kubelet log (node ${node})`, fix: 'pass --kubelet-log FILE' });
  }

  async close(): Promise<void> {}
}
