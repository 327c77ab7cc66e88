import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { V1ObjectMeta, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { DataError, messageOf } from '../errors.js';
import { inScope, resourceOfKind, stripObject } from './resources.js';
import { scopeSelector } from './snapshot.js';
import type { ClusterSource, Got, ResourceKind, ResourceMap, Scope, SourceInfo } from './types.js';
import { RESOURCE_KINDS, got, missing } from './types.js';

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

/** Parses JSON or YAML (several documents allowed) into plain objects. */
export function parseManifests(text: string, name: string): unknown[] {
  const t = text.trim();
  if (!t) throw new DataError(`${name} is empty`, 'pass a Pod, a List, or kubectl get -o json|yaml output');
  // A NUL byte never occurs in YAML or JSON text: an executable, an archive, an image.
  if (t.includes('\u0000')) throw new DataError(`${name} is not a Kubernetes object: binary file`, 'pass a Pod, a List, or kubectl get -o json|yaml output');
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as unknown;
      return Array.isArray(v) ? v : [v];
    } catch {
      // Not JSON after all: YAML is a superset, let it report the error.
    }
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const d of list) {
    if (d.errors.length) throw new DataError(`${name} is not valid YAML or JSON: ${d.errors[0].message.split('\n')[0]}`, 'check the file');
    const v = d.toJS() as unknown;
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

/** Flattens Lists and sorts objects by the resource they belong to; Secrets are dropped unread. */
export function collectObjects(docs: unknown[]): Map<ResourceKind, unknown[]> {
  const by = new Map<ResourceKind, unknown[]>();
  const add = (r: ResourceKind, o: unknown) => by.set(r, [...(by.get(r) ?? []), o]);
  const visit = (o: unknown) => {
    if (typeof o !== 'object' || o === null) return;
    const k = o as KObject;
    if (Array.isArray(k.items) && (!k.kind || k.kind === 'List' || k.kind.endsWith('List'))) {
      k.items.forEach(visit);
      return;
    }
    if (!k.kind || k.kind === 'Secret') return;
    const r = resourceOfKind(k.kind);
    if (r) add(r, o);
    else if (WORKLOADS.has(k.kind)) {
      const pod = podFromWorkload(k);
      if (pod) add('pods', pod);
    }
  };
  docs.forEach(visit);
  return by;
}

/** Serves the objects of `-f FILE` (or `-f -`, standard input). */
export class FilesSource implements ClusterSource {
  readonly defaultNamespace = undefined;
  constructor(
    readonly name: string,
    private readonly objects: Map<ResourceKind, unknown[]>,
  ) {}

  /** Reads and parses the file ('-' is standard input). */
  static load(file: string, stdin: () => string = () => readFileSync(0, 'utf8')): FilesSource {
    const name = file === '-' ? 'standard input' : file;
    let text: string;
    try {
      text = file === '-' ? stdin() : readFileSync(file, 'utf8');
    } catch (err) {
      throw new DataError(`cannot read ${name}: ${messageOf(err)}`, 'check the path given to -f');
    }
    const objects = collectObjects(parseManifests(text, name));
    if (objects.size === 0) {
      throw new DataError(`${name} holds no Kubernetes objects podscope reads`, 'pass a Pod, a workload, a List, or kubectl get -o json|yaml output (objects need kind and metadata)');
    }
    for (const r of RESOURCE_KINDS) objects.set(r, (objects.get(r) ?? []).map((o) => stripObject(r, o as ResourceMap[typeof r])));
    for (const [r, list] of objects) if (list.length === 0) objects.delete(r);
    return new FilesSource(name, objects);
  }

  async info(): Promise<SourceInfo> {
    return { kind: 'files', location: this.name };
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
