import type { V1Container } from '@kubernetes/client-node';
import type { ContainerPattern } from './types.js';

/** A guessed pattern and the reason for the guess, for people to check. */
export interface PatternGuess {
  pattern: ContainerPattern;
  reason: string;
}

/** An image reference without its tag or digest, lower-cased: `docker.io/istio/proxyv2`. */
export function imageRepo(image: string | undefined): string {
  const i = (image ?? '').toLowerCase();
  const noDigest = i.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

interface Rule {
  pattern: ContainerPattern;
  /** Matched against the image repository (no tag). */
  image?: RegExp;
  /** Matched against the container name. */
  name?: RegExp;
  /** Container ports (by number) that give it away. */
  ports?: number[];
  /** What the thing is, for the reason line. */
  what: string;
}

/** Proxy images (nginx, HAProxy, ...) that are only proxies when the name says so. */
const WEB_SERVER = /(^|\/)(nginx|nginx-unprivileged|haproxy|traefik|caddy|openresty)$/;
const PROXY_NAME = /proxy|tls|ssl|gateway|front|sidecar|auth/;

// Order matters: the first rule that matches wins (cloud-sql-proxy is an ambassador, not a mesh proxy;
// istio-init runs the proxyv2 image but is the iptables init step).
const RULES: Rule[] = [
  { pattern: 'proxy-init', name: /^(istio-init|istio-validation|linkerd-init|kuma-init)$/, image: /linkerd\/proxy-init|linkerd2-proxy-init|kuma\/kuma-init/, what: 'the mesh init step that redirects pod traffic to the proxy with iptables' },
  { pattern: 'ambassador', image: /cloud-sql-proxy|cloudsql-docker\/gce-proxy|cloud_sql_proxy|alloydb-auth-proxy|pgbouncer|secretless-broker/, name: /cloud-?sql-?proxy|pgbouncer/, what: 'an ambassador: the app reaches a remote service (a database) through it on localhost' },
  { pattern: 'proxy', name: /^istio-proxy$/, image: /istio\/proxyv2|istio\/proxy$/, ports: [15090, 15021], what: "Istio's Envoy sidecar: all pod traffic goes through it" },
  { pattern: 'proxy', name: /^linkerd-proxy$/, image: /linkerd\/proxy$|linkerd2-proxy$/, ports: [4143, 4191], what: "Linkerd's proxy: all pod traffic goes through it" },
  { pattern: 'proxy', name: /^envoy$|^consul-dataplane$|^envoy-sidecar$|^kuma-sidecar$|^kuma-dp$|^cilium-envoy$/, image: /envoyproxy\/envoy|\/envoy$|consul-dataplane|cilium-envoy|kuma\/kuma-(?:sidecar|dp)|\/kuma-dp$/, what: 'an Envoy-based data-plane proxy (Envoy, Kuma, Consul, Cilium) in front of the app' },
  { pattern: 'proxy', image: /oauth2-proxy|kube-rbac-proxy|cloudflared/, what: 'an authenticating proxy in front of the app' },
  { pattern: 'log-shipper', image: /fluent-bit|fluentbit|fluentd|timberio\/vector|\/vector$|filebeat|promtail|grafana\/alloy|logstash/, name: /fluent-?bit|fluentd|filebeat|promtail|^vector$/, what: 'a log shipper: it reads log files and sends them off the node' },
  { pattern: 'secret-agent', image: /hashicorp\/vault|vault-k8s|conjur-authn-k8s-client|secrets-init|berglas/, name: /^vault-agent(-init)?$/, what: 'a secret agent: it fetches secrets and writes them to a shared volume' },
  { pattern: 'config-reloader', image: /configmap-reload|config-reloader|kiwigrid\/k8s-sidecar/, name: /config-?reload/, what: 'a config reloader: it watches a mounted ConfigMap and tells the app to reload' },
  { pattern: 'adapter', image: /-exporter$|_exporter$|opentelemetry-collector|otel\/|datadog\/agent|cloudwatch-agent/, name: /exporter$|^otel-collector$/, what: 'an adapter: it turns what the app exposes into a standard form (metrics, telemetry)' },
];


// One alternation of every rule, tested first: most containers are apps and match nothing, and one
// pass over the string is far cheaper than a test per rule (it matters on 150,000-pod snapshots).
const ANY_IMAGE = new RegExp([...RULES.flatMap((r) => (r.image ? [r.image.source] : [])), WEB_SERVER.source].join('|'));
const ANY_NAME = new RegExp([...RULES.flatMap((r) => (r.name ? [r.name.source] : [])), 'log'].join('|'));
const ANY_PORT = new Set(RULES.flatMap((r) => r.ports ?? []));

/**
 * Memo of one regular-expression test by its input: a cluster has few distinct images and container
 * names, repeated across its pods. Cleared when it grows, so hostile input cannot make it huge.
 */
function memoTest(re: RegExp, prepare: (s: string) => string): (s: string) => boolean {
  const seen = new Map<string, boolean>();
  return (s) => {
    let hit = seen.get(s);
    if (hit === undefined) {
      if (seen.size >= 10_000) seen.clear();
      seen.set(s, (hit = re.test(prepare(s))));
    }
    return hit;
  };
}
const anyImage = memoTest(ANY_IMAGE, imageRepo);
const anyName = memoTest(ANY_NAME, (s) => s);

/** Guesses what a container does from its image, name, ports and mounts; null when it looks like an app. */
export function detectPattern(c: V1Container): PatternGuess | null {
  if (!anyImage(c.image ?? '') && !anyName(c.name) && !(c.ports ?? []).some((p) => ANY_PORT.has(p.containerPort))) return null;
  const repo = imageRepo(c.image);
  const ports = new Set((c.ports ?? []).map((p) => p.containerPort));
  for (const r of RULES) {
    if (r.name?.test(c.name)) return { pattern: r.pattern, reason: `name "${c.name}": ${r.what}` };
    if (r.image?.test(repo)) return { pattern: r.pattern, reason: `image ${repo}: ${r.what}` };
    const hit = r.ports?.filter((p) => ports.has(p)) ?? [];
    if (hit.length) return { pattern: r.pattern, reason: `declares port ${hit.join(', ')}: ${r.what}` };
  }
  if (WEB_SERVER.test(repo) && PROXY_NAME.test(c.name)) {
    return { pattern: 'proxy', reason: `image ${repo} in a container named "${c.name}": a web server used as a proxy in front of the app` };
  }
  // A container that only reads log directories, named like a log tailer (the classic `tail -f` sidecar).
  const logMounts = (c.volumeMounts ?? []).filter((m) => /log/.test(m.mountPath));
  if (/log/.test(c.name) && logMounts.length > 0 && logMounts.every((m) => m.readOnly)) {
    return { pattern: 'log-shipper', reason: `named "${c.name}" and mounts ${logMounts.map((m) => m.mountPath).join(', ')} read-only: a log tailer` };
  }
  return null;
}

/** Patterns that make a regular container a classic sidecar when the pod has another app container. */
export const SIDECAR_PATTERNS: ReadonlySet<ContainerPattern> = new Set(['proxy', 'log-shipper', 'adapter', 'ambassador', 'secret-agent', 'config-reloader']);

/** Patterns of network proxies that apps need before they can talk to anyone. */
export const TRAFFIC_PATTERNS: ReadonlySet<ContainerPattern> = new Set(['proxy', 'ambassador']);

/** The volumes a container mounts, by mount path. */
function mountsOf(c: V1Container): { path: string; volume: string; readOnly: boolean }[] {
  return (c.volumeMounts ?? []).map((m) => ({ path: m.mountPath.replace(/\/+$/, ''), volume: m.name, readOnly: m.readOnly === true }));
}

/**
 * Guesses from what a container does when its image and name say nothing: a container that tails
 * or reads a file on a volume another container of the pod also mounts is a log shipper (the
 * `tail -F /opt/logs.txt` sidecar of the Kubernetes docs); an init container with NET_ADMIN that
 * installs iptables rules or a transparent proxy is a mesh's init step.
 */
export function detectByBehaviour(c: V1Container, others: V1Container[]): PatternGuess | null {
  const words = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (!words) return null;
  const caps = c.securityContext?.capabilities?.add ?? [];
  if (caps.includes('NET_ADMIN') && /iptables|transparent-proxy|redirect-(?:inbound|outbound)/.test(words)) {
    return { pattern: 'proxy-init', reason: `adds NET_ADMIN and runs "${words.slice(0, 60)}": the mesh init step that redirects pod traffic with iptables` };
  }
  const reader = /\b(?:tail\b[^|;&]*\s-[\w+]*[fF]\b|tail\s+-n\s*\+?\d+\s+-[fF]\b)[^|;&]*?(\/[\w./-]+)/.exec(words);
  if (!reader) return null;
  const file = reader[1];
  const mount = mountsOf(c).find((m) => file === m.path || file.startsWith(`${m.path}/`));
  if (!mount) return null;
  const writer = others.find((o) => o !== c && mountsOf(o).some((m) => m.volume === mount.volume && !m.readOnly));
  if (!writer) return null;
  return { pattern: 'log-shipper', reason: `follows ${file} (tail -F) on volume "${mount.volume}", which ${writer.name} also mounts: a log shipper` };
}
