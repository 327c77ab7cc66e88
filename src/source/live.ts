import type { Readable } from 'node:stream';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { DataError } from '../errors.js';
import { reportActivity } from './activity.js';
import { ApiError, KubeHttp, TransportError } from './http.js';
import type { HttpOptions } from './http.js';
import { loadKube } from './kubeconfig.js';
import { DEFAULT_NODE_CONCURRENCY, DEFAULT_NODE_TIMEOUT_MS, formatMs } from './limits.js';
import { NodeCalls } from './node-calls.js';
import type { KubeconfigOptions } from './kubeconfig.js';
import { API_PATHS, stripObject } from './resources.js';
import type { ClusterSource, Got, NodeLogQuery, ResourceKind, ResourceMap, Scope, SourceInfo } from './types.js';
import { CLUSTER_SCOPED, got, missing } from './types.js';

/** Options of the live source. */
export interface LiveOptions extends KubeconfigOptions {
  http?: Partial<HttpOptions>;
  /** Page size of list calls (the API server's `limit`). */
  pageSize?: number;
  /** How many per-node kubelet calls (metrics, logs) run at once (--node-concurrency). */
  nodeConcurrency?: number;
  /** Budget of one kubelet call through the node proxy, its one retry included (--node-timeout). */
  nodeTimeoutMs?: number;
  /** The whole gather's budget from opening (--gather-timeout); none when undefined. */
  gatherTimeoutMs?: number;
}

interface ListBody<T> {
  items?: T[];
  metadata?: { continue?: string; resourceVersion?: string };
}

/** Turns a transport failure or a fatal API answer into one user-facing line (exit 3). */
export function fatalError(err: unknown, server: string, context: string): DataError | undefined {
  if (err instanceof TransportError) {
    if (/certificate|self[- ]signed|SSL|TLS|ERR_TLS|UNABLE_TO|DEPTH_ZERO|CERT_/i.test(err.code + ' ' + err.message)) {
      // Node's advice to run node with --use-system-ca does not apply to a CLI user: the kubeconfig names the CA.
      const why = err.message.replace(/; if the root CA is installed locally.*$/, '');
      return new DataError(`TLS failure talking to ${server}: ${why}`, `check certificate-authority(-data) for context "${context}", or set insecure-skip-tls-verify: true there if you accept an unverified server`);
    }
    if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') {
      return new DataError(`cannot reach the API server at ${server} (${err.code})`, `is the cluster of context "${context}" up and reachable?`);
    }
    if (err.code === 'TIMEOUT') {
      return new DataError(`the API server at ${server} did not answer GET ${err.path}: ${err.message}`, 'raise --request-timeout or check the network');
    }
    if (err.code === 'DEADLINE') {
      return new DataError(`gathering from ${server} did not finish in time: ${err.message} during GET ${err.path}`, 'raise --gather-timeout, or narrow the scope (-n, -l)');
    }
    if (err.code === 'TOOLARGE') {
      return new DataError(`GET ${err.path} on ${server}: ${err.message}`, 'the API server or a proxy in between is broken; a real page is far smaller');
    }
    return new DataError(`GET ${err.path} on ${server} failed: ${err.message}`, 'try again; if it persists, check the API server');
  }
  if (err instanceof ApiError) {
    if (err.status === 401) {
      return new DataError(`unauthorized (401) at ${server}: the credentials of context "${context}" were rejected`, 'log in again or refresh the token in your kubeconfig');
    }
    if (err.status === 429) return new DataError(`the API server kept throttling GET ${err.path} (429) after retries`, 'try again later');
    return new DataError(`API server error ${err.status} on GET ${err.path}: ${err.apiMessage || 'no message'}`, 'the request was retried; try again later or check the API server');
  }
  return undefined;
}

/** Reads a cluster through its API server. The only code that talks to a cluster. */
export class LiveSource implements ClusterSource {
  private readonly nodes: NodeCalls;
  private constructor(
    readonly kc: KubeConfig,
    readonly http: KubeHttp,
    private readonly opts: LiveOptions,
  ) {
    // Kubelet calls fail fast: a short budget, one quick retry, a short Retry-After cap.
    const nodeMs = opts.nodeTimeoutMs ?? DEFAULT_NODE_TIMEOUT_MS;
    const nodeHttp = http.with({
      timeoutMs: Math.min(nodeMs, http.opts.timeoutMs),
      timeoutLabel: nodeMs <= http.opts.timeoutMs ? '--node-timeout' : '--request-timeout',
      retries: 1,
      backoffMs: 100,
      maxRetryAfterMs: 1000,
    });
    this.nodes = new NodeCalls(nodeHttp, opts.nodeConcurrency ?? DEFAULT_NODE_CONCURRENCY, (err) => this.fatal(err));
  }

  /** Loads the kubeconfig (kubectl's rules) and prepares the client; the gather deadline starts now. */
  static async open(opts: LiveOptions): Promise<LiveSource> {
    const { kc, auth } = await loadKube(opts);
    let client: KubeHttp;
    const g = opts.gatherTimeoutMs;
    const deadline = g === undefined ? {} : { deadline: Date.now() + g, deadlineLabel: `--gather-timeout ${formatMs(g)}` };
    try {
      client = KubeHttp.create(kc, { ...opts.http, ...deadline }, auth);
    } catch (err) {
      throw new DataError(`the kubeconfig's cluster server is not a URL: ${String(err)}`, 'fix the kubeconfig');
    }
    return new LiveSource(kc, client, opts);
  }

  get defaultNamespace(): string {
    return this.kc.getContextObject(this.kc.getCurrentContext())?.namespace ?? 'default';
  }

  private get contextName(): string {
    return this.kc.getCurrentContext();
  }

  private fatal(err: unknown): never {
    throw fatalError(err, this.http.serverUrl, this.contextName) ?? err;
  }

  async info(): Promise<SourceInfo> {
    let serverVersion: string | undefined;
    try {
      serverVersion = (await this.http.getJson<{ gitVersion?: string }>('/version')).gitVersion;
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) serverVersion = undefined;
      else this.fatal(err);
    }
    return { kind: 'live', location: this.http.serverUrl, context: this.contextName, serverVersion };
  }

  async list<K extends ResourceKind>(kind: K, scope: Scope): Promise<Got<ResourceMap[K][]>> {
    const ns = CLUSTER_SCOPED.has(kind) || scope.allNamespaces ? undefined : (scope.namespace ?? 'default');
    const path = API_PATHS[kind](ns);
    const selector = kind === 'pods' ? scope.labelSelector : undefined;
    const items: ResourceMap[K][] = [];
    let cont: string | undefined;
    let restarted = false;
    const seen = new Set<string>();
    for (let pageNo = 1; ; pageNo++) {
      let page: ListBody<ResourceMap[K]>;
      reportActivity(`listing ${kind}${pageNo > 1 ? ` (page ${pageNo})` : ''}`);
      try {
        page = await this.http.getJson<ListBody<ResourceMap[K]>>(path, {
          limit: this.opts.pageSize ?? 500,
          continue: cont,
          labelSelector: selector,
          fieldSelector: scope.fieldSelector,
        });
      } catch (err) {
        if (err instanceof ApiError && err.status === 410 && cont && !restarted) {
          // The continue token expired (etcd compacted): list again from the start, once.
          reportActivity(`listing ${kind} again from the start: the continue token expired (410 Gone)`);
          items.length = 0;
          cont = undefined;
          restarted = true;
          seen.clear();
          pageNo = 0;
          continue;
        }
        if (err instanceof ApiError && err.status === 403) {
          const where = ns ? ` in namespace "${ns}"` : ' cluster-wide';
          return missing({
            input: kind,
            kind: 'forbidden',
            reason: `forbidden: list ${kind}${where}`,
            fix: `grant list on ${kind}${where} (see deploy/rbac.yaml)`,
          });
        }
        if (err instanceof ApiError && err.status === 404) {
          return missing({ input: kind, kind: 'unsupported', reason: `the API server does not serve ${path} (404)`, fix: 'a newer Kubernetes version serves it' });
        }
        this.fatal(err);
      }
      for (const item of page.items ?? []) items.push(stripObject(kind, item));
      cont = page.metadata?.continue || undefined;
      if (!cont) break;
      // A server that hands out a token it already gave would page forever: stop, say so.
      if (seen.has(cont)) {
        throw new DataError(`the API server at ${this.http.serverUrl} returned the same continue token again while listing ${kind} (page ${pageNo}); stopped instead of looping`, 'the API server or a proxy in between is broken; list with kubectl to compare');
      }
      seen.add(cont);
    }
    return got(items);
  }

  async getPod(namespace: string, name: string): Promise<Got<V1Pod>> {
    reportActivity(`reading pod ${namespace}/${name}`);
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
    try {
      return got(stripObject('pods', await this.http.getJson<V1Pod>(path)));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        return missing({ input: 'pod', kind: 'not-found', reason: `pod "${name}" not found in namespace "${namespace}"`, fix: 'check the name and -n NAMESPACE' });
      }
      if (err instanceof ApiError && err.status === 403) {
        return missing({ input: 'pod', kind: 'forbidden', reason: `forbidden: get pods in namespace "${namespace}"`, fix: 'grant get on pods (see deploy/rbac.yaml)' });
      }
      this.fatal(err);
    }
  }

  /** Whether a namespace exists: true or false, or null when the server will not say (forbidden). */
  async namespaceExists(name: string): Promise<boolean | null> {
    try {
      await this.http.getJson(`/api/v1/namespaces/${encodeURIComponent(name)}`);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return false;
      if (err instanceof ApiError && (err.status === 403 || err.status === 401)) return null;
      this.fatal(err);
    }
  }

  async nodeMetrics(node: string): Promise<Got<string>> {
    return this.nodes.metrics(node);
  }

  async nodeLogs(node: string, q: NodeLogQuery): Promise<Got<Readable>> {
    return this.nodes.logs(node, q);
  }

  async close(): Promise<void> {
    // Connections are pooled by the agent and close when idle; nothing to release.
  }
}
