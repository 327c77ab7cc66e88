import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { PlacedContainer } from './roles.js';

/** Istio's per-pod proxy settings (Istio >= 1.8): YAML or JSON of a ProxyConfig. */
export const ISTIO_PROXY_CONFIG = 'proxy.istio.io/config';

/** The mesh a proxy container belongs to, from its name and image. */
export function meshOf(c: { name: string; image?: string }): 'istio' | 'linkerd' | null {
  const s = `${c.name} ${c.image ?? ''}`.toLowerCase();
  if (/istio|proxyv2/.test(s)) return 'istio';
  if (/linkerd/.test(s)) return 'linkerd';
  return null;
}

/** Whether `proxy.istio.io/config` asks for holdApplicationUntilProxyStarts (null when unset or unreadable). */
export function istioHoldAnnotation(pod: V1Pod): boolean | null {
  const raw = pod.metadata?.annotations?.[ISTIO_PROXY_CONFIG];
  if (!raw) return null;
  try {
    const v = parse(raw) as { holdApplicationUntilProxyStarts?: unknown } | null;
    return typeof v?.holdApplicationUntilProxyStarts === 'boolean' ? v.holdApplicationUntilProxyStarts : null;
  } catch {
    return null;
  }
}

/** Whether the pod is run by a Job (directly, or a CronJob's Job; -f marks templates the same way). */
export function ownedByJob(pod: V1Pod): string | null {
  const o = pod.metadata?.ownerReferences?.find((r) => r.kind === 'Job');
  return o ? o.name : null;
}

/**
 * Whether an app container tells a classic sidecar to exit when it is done: Istio's
 * `/quitquitquit` on the pilot-agent port 15020, Linkerd's `linkerd-await --shutdown` or the
 * proxy's `/shutdown` admin endpoint, or the Cloud SQL proxy's `--quitquitquit` handler.
 */
export function signalsSidecarExit(c: V1Container): string | null {
  const words = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (/quitquitquit/.test(words)) return 'calls /quitquitquit when done';
  if (/linkerd-await[^|;&]*--shutdown|-S\b.*linkerd-await/.test(words)) return 'runs under linkerd-await --shutdown';
  if (/4191\/shutdown/.test(words)) return "calls the Linkerd proxy's /shutdown endpoint when done";
  return null;
}

/** App containers (role app) that start no later than a given step: they may start before it is ready. */
export function appsStartingBy(placed: PlacedContainer[], step: number): PlacedContainer[] {
  return placed.filter((p) => p.view.role === 'app' && p.view.startOrder !== null && p.view.startOrder <= step);
}
