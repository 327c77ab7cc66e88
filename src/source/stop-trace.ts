import type { CoreV1Event, V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { DataError, messageOf } from '../errors.js';
import { ApiError, KubeHttp } from './http.js';
import { LiveSource, fatalError } from './live.js';
import { API_PATHS } from './resources.js';
import type { ClusterSource, Got } from './types.js';
import { got, missing } from './types.js';
import { watchList } from './watch.js';
import type { Observed, WatchGap } from './watch.js';

/** What `stop` watches, tagged by resource. */
export type TraceObserved =
  | ({ resource: 'pod' } & Observed<V1Pod>)
  | ({ resource: 'endpointslice' } & Observed<V1EndpointSlice>)
  | ({ resource: 'event' } & Observed<CoreV1Event>);

/** The answer to a DELETE, with the local times around it. */
export interface Deletion {
  /** Local time the request was sent (ms since the epoch). */
  sentAt: number;
  /** Local time the answer arrived. */
  answeredAt: number;
  pod: V1Pod;
}

/** kube-proxy's metrics port (`pkg/cluster/ports` ProxyStatusPort). */
const KUBE_PROXY_PORT = 10249;

/**
 * The live-only side of `podscope stop`: watches, the one DELETE podscope ever sends, and
 * kube-proxy metrics. Only a live source can trace; offline sources get undefined.
 */
export class StopTracer {
  /** Node-proxy reads fail fast: a refused kube-proxy port is the normal case, not a blip. */
  private readonly once: KubeHttp;
  /** Watches sit idle between events: their socket timeout outlasts the server's 60 s watch timeout. */
  private readonly watchHttp: KubeHttp;
  private constructor(private readonly live: LiveSource) {
    // The trace runs after the gather, for as long as --timeout says: no gather deadline here.
    this.once = live.http.with({ retries: 0, timeoutMs: Math.min(live.http.opts.timeoutMs, 5000), deadline: undefined });
    this.watchHttp = live.http.with({ timeoutMs: Math.max(live.http.opts.timeoutMs, 90_000), deadline: undefined });
  }

  /** A tracer over the source when it is live. */
  static of(source: ClusterSource): StopTracer | undefined {
    return source instanceof LiveSource ? new StopTracer(source) : undefined;
  }

  /**
   * Deletes exactly this pod: the uid precondition makes the API server refuse (409) if a pod of
   * the same name but another uid took its place. Grace period: the pod's own.
   */
  async deletePod(namespace: string, name: string, uid: string): Promise<Deletion> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
    const sentAt = Date.now();
    try {
      const pod = await this.live.http.delete<V1Pod>(path, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid } });
      return { sentAt, answeredAt: Date.now(), pod };
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {
        throw new DataError(`forbidden: delete pods in namespace "${namespace}"`, 'stop --delete needs the delete verb on pods; use --watch and delete it yourself');
      }
      if (err instanceof ApiError && (err.status === 404 || err.status === 409)) {
        throw new DataError(`pod "${name}" (uid ${uid}) is gone or was replaced: ${err.apiMessage}`, 'nothing was deleted; run podscope stop again');
      }
      if (err instanceof ApiError && err.status !== 401) {
        throw new DataError(`the API server answered ${err.status} to DELETE ${path}: ${err.apiMessage || 'no message'}`, 'the pod may or may not be deleted: kubectl get pod to see');
      }
      throw fatalError(err, this.live.http.serverUrl, this.live.kc.getCurrentContext()) ?? new DataError(`DELETE ${path} failed: ${messageOf(err)}`);
    }
  }

  /**
   * Watches the pod, the EndpointSlices of its Services (every slice of the namespace when it
   * has none: hand-made slices may list it) and the pod's events until the signal aborts.
   */
  async watch(
    pod: { namespace: string; name: string; services?: readonly string[] },
    signal: AbortSignal,
    on: {
      event: (e: TraceObserved) => void;
      listed?: () => void;
      restart?: (what: string) => void;
      /** A window in which one watch was not connected: what changed in it was seen late. */
      gap?: (g: WatchGap & { watch: 'pod' | 'EndpointSlice' | 'event' }) => void;
    },
  ): Promise<void> {
    const ns = pod.namespace;
    const onEvent = on.event;
    let listed = 0;
    const onListed = () => {
      if (++listed === 3) on.listed?.();
    };
    // A watch the server ends on its timeout is routine; a broken one or a 410 is worth a line
    // when it breaks (once, however many reconnects fail) and one when it is back.
    const down = new Set<string>();
    const restart = (what: 'pod' | 'EndpointSlice' | 'event') => ({
      onRestart: (why: string, rv: string) => {
        if (why === 'ended' || down.has(what)) return;
        down.add(what);
        on.restart?.(`${what} watch ${why === 'gone' ? 'expired (410 Gone) at' : 'lost its connection after'} resourceVersion ${rv}; reconnecting`);
      },
      onGap: (g: WatchGap) => {
        down.delete(what);
        on.restart?.(`${what} watch back after ${Math.round((g.to - g.from) / 100) / 10} s${g.relisted ? ' (listed again: its resourceVersion had expired)' : ''}; changes in that window are timed when seen`);
        on.gap?.({ ...g, watch: what });
      },
    });
    const watches = [
      watchList<V1Pod>({
        http: this.watchHttp, path: API_PATHS.pods(ns), query: { fieldSelector: `metadata.name=${pod.name}` }, signal, onListed,
        onEvent: (e) => onEvent({ resource: 'pod', ...e }), ...restart('pod'),
      }),
      watchList<V1EndpointSlice>({
        http: this.watchHttp, path: API_PATHS.endpointslices(ns), signal, onListed,
        query: pod.services?.length ? { labelSelector: `kubernetes.io/service-name in (${pod.services.join(',')})` } : undefined,
        onEvent: (e) => onEvent({ resource: 'endpointslice', ...e }), ...restart('EndpointSlice'),
      }),
      watchList<CoreV1Event>({
        http: this.watchHttp, path: API_PATHS.events(ns), query: { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${pod.name}` }, signal, onListed,
        onEvent: (e) => onEvent({ resource: 'event', ...e }), ...restart('event'),
      }),
    ];
    try {
      await Promise.all(watches);
    } catch (err) {
      throw fatalError(err, this.live.http.serverUrl, this.live.kc.getCurrentContext()) ?? err;
    }
  }

  /** kube-proxy's Prometheus text: from a URL the user gave, or through the node proxy of the API server. */
  async kubeProxyMetrics(target: { node: string } | { url: string }): Promise<Got<string>> {
    const input = 'kube-proxy-metrics';
    const fix =
      'kube-proxy binds its metrics to 127.0.0.1:10249 by default: set metricsBindAddress: 0.0.0.0:10249 in its configuration (and grant get on nodes/proxy), or pass --kube-proxy-metrics URL';
    if ('url' in target) {
      try {
        const res = await fetch(target.url, { signal: AbortSignal.timeout(5000) });
        if (!res.ok) return missing({ input, kind: 'failed', reason: `${target.url} answered ${res.status}`, fix });
        return got(await res.text());
      } catch (err) {
        return missing({ input, kind: 'failed', reason: `cannot read ${target.url}: ${messageOf(err)}`, fix });
      }
    }
    try {
      return got(await this.once.getText(`/api/v1/nodes/${encodeURIComponent(target.node)}:${KUBE_PROXY_PORT}/proxy/metrics`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {
        return missing({ input, kind: 'forbidden', reason: `forbidden: get nodes/proxy (kube-proxy metrics of node ${target.node})`, fix });
      }
      const why = err instanceof ApiError ? `${err.status}${err.apiMessage ? `: ${err.apiMessage}` : ''}` : messageOf(err);
      return missing({ input, kind: 'failed', reason: `kube-proxy metrics of node ${target.node} not reachable (${why})`, fix });
    }
  }
}
