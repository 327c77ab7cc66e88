import { Readable } from 'node:stream';
import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { got, missing } from '../../src/model/types.js';
import type { Got, ResourceKind, ResourceMap, Scope, SourceInfo, Unavailable } from '../../src/model/types.js';
import type { ClusterSource } from '../../src/source/types.js';

/** A pod in a namespace, bound to `node` when given. */
export const pod = (namespace: string, name: string, node?: string): V1Pod => ({ metadata: { namespace, name }, spec: { containers: [], nodeName: node } });

/**
 * An in-memory ClusterSource that records every request and how many per-node ones run at once:
 * live-like with a context namespace, offline-like without one.
 */
export class MemorySource implements ClusterSource {
  readonly calls: string[] = [];
  /** The most per-node requests (kubelet metrics, logs) in flight at once. */
  maxNodeInFlight = 0;
  private nodeInFlight = 0;
  constructor(
    private readonly objects: { pods?: V1Pod[]; nodes?: V1Node[]; events?: CoreV1Event[] },
    readonly defaultNamespace: string | undefined,
    private readonly refuse?: Unavailable,
  ) {}

  private async request<T>(call: string, answer: () => T, perNode = false): Promise<T> {
    this.calls.push(call);
    if (perNode) this.maxNodeInFlight = Math.max(this.maxNodeInFlight, ++this.nodeInFlight);
    await new Promise((r) => setTimeout(r, 2));
    if (perNode) this.nodeInFlight--;
    return answer();
  }

  async info(): Promise<SourceInfo> {
    return this.request('info', () => ({ kind: this.defaultNamespace ? 'live' : 'files', location: 'memory' }) as SourceInfo);
  }

  async list<K extends ResourceKind>(kind: K, scope: Scope): Promise<Got<ResourceMap[K][]>> {
    return this.request(`list ${kind} ${scope.allNamespaces ? '*' : scope.namespace}`, () => {
      if (this.refuse) return missing(this.refuse);
      const all = ((this.objects as Record<string, unknown[]>)[kind] ?? []) as (ResourceMap[K] & { metadata?: { namespace?: string } })[];
      return got(all.filter((o) => kind === 'nodes' || scope.allNamespaces || o.metadata?.namespace === scope.namespace));
    });
  }

  async getPod(namespace: string, name: string): Promise<Got<V1Pod>> {
    return this.request(`get ${namespace}/${name}`, () => {
      if (this.refuse) return missing(this.refuse);
      const p = this.objects.pods?.find((x) => x.metadata?.namespace === namespace && x.metadata?.name === name);
      return p ? got(p) : missing({ input: 'pod', kind: 'not-found', reason: 'source wording that the resolver replaces' });
    });
  }

  async nodeMetrics(node: string): Promise<Got<string>> {
    return this.request(`metrics ${node}`, () => got('# no samples\n'), true);
  }

  async nodeLogs(node: string): Promise<Got<Readable>> {
    return this.request(`logs ${node}`, () => got(Readable.from([''])), true);
  }

  async close(): Promise<void> {}
}
