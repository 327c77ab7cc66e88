import { podSubject } from '../k8s/pod.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** Names and images of the usual traffic proxies run beside an app. */
const PROXY = /(^|[/-])(istio-proxy|envoy|linkerd-proxy|cloud-sql-proxy|cloudsql-proxy|oauth2-proxy|nginx-proxy|haproxy|kuma-sidecar|consul-dataplane|cilium-envoy)([:@-]|$)/;

/** STOP004: a proxy sidecar run as a plain container, which gets SIGTERM together with the app. */
export const stopProxySidecar = defineCheck({
  id: 'STOP004',
  title: 'Classic proxy sidecar stops with the app',
  severity: 'warning',
  description:
    'A proxy run as a regular container gets SIGTERM at the same moment as the app, so it may close connections while the app is still draining; a native sidecar (restartPolicy: Always init container) stops only after the app.',
  needs: ['pods'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      const containers = pod.spec?.containers ?? [];
      if (containers.length < 2) continue;
      for (const c of containers) {
        if (!PROXY.test(c.name) && !PROXY.test((c.image ?? '').split('/').pop() ?? '')) continue;
        // A preStop on the proxy (e.g. waiting for the app's port to close) is the classic workaround.
        if (c.lifecycle?.preStop) continue;
        const others = containers.filter((o) => o.name !== c.name).map((o) => o.name);
        findings.push({
          checkId: 'STOP004',
          severity: 'warning',
          subject: podSubject(pod, c.name),
          message: `proxy ${c.name} is a regular container: it gets SIGTERM together with ${others.join(', ')} and can drop requests still in flight through it`,
          evidence: [`container ${c.name} image ${c.image ?? '?'}: no preStop hook`, `app containers: ${others.join(', ')}`],
          remediation:
            'Run the proxy as a native sidecar (move it to initContainers with restartPolicy: Always; Kubernetes 1.29+), which the kubelet stops after the app, or give it a preStop hook that waits for the app to finish (Istio: EXIT_ON_ZERO_ACTIVE_CONNECTIONS).',
        });
      }
    }
    return findings;
  },
});
