import { podSubject } from '../k8s/pod.js';
import { TRAFFIC_PATTERNS } from '../analysis/anatomy/patterns.js';
import { mayHaveClassicSidecar, placeContainers } from '../analysis/anatomy/roles.js';
import { servicesSelecting } from '../analysis/stop/static.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** STOP004: a proxy sidecar run as a plain container in a serving pod: it gets SIGTERM together with the app. */
export const stopProxySidecar = defineCheck({
  id: 'STOP004',
  title: 'Classic proxy sidecar stops with the app',
  severity: 'warning',
  description:
    'In a pod behind a Service, a proxy run as a regular container gets SIGTERM at the same moment as the app, so it may close connections while the app is still draining; a native sidecar (restartPolicy: Always init container) stops only after the app.',
  needs: ['pods', 'services'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      // Jobs have POD005 (a classic sidecar keeps them from completing); this is about serving pods.
      if (!mayHaveClassicSidecar(pod) || (pod.spec?.restartPolicy ?? 'Always') !== 'Always') continue;
      const services = servicesSelecting(pod, inputs.services);
      if (!services.length) continue;
      // The container roles and patterns are those `podscope inspect` shows (analysis/anatomy).
      const placed = placeContainers(pod);
      const apps = placed.filter((p) => p.view.role === 'app' && p.view.sidecar === null).map((p) => p.view.name);
      for (const p of placed) {
        const v = p.view;
        if (v.sidecar !== 'classic' || !v.pattern || !TRAFFIC_PATTERNS.has(v.pattern)) continue;
        // A preStop on the proxy (waiting for the app to finish) is the classic workaround.
        if (p.spec.lifecycle?.preStop) continue;
        findings.push({
          checkId: 'STOP004',
          severity: 'warning',
          subject: podSubject(pod, v.name),
          message: `proxy ${v.name} is a regular container: it gets SIGTERM together with ${apps.join(', ') || 'the app'} and can drop requests still in flight through it`,
          evidence: [
            `${v.name}: ${v.patternReason ?? v.pattern}; no preStop hook`,
            `services: ${services.map((s) => s.metadata?.name).join(', ')}`,
            `stop order: ${placed.filter((x) => x.view.stopOrder !== null).map((x) => `${x.view.name}=${x.view.stopOrder}`).join(', ')}`,
          ],
          remediation:
            'Run the proxy as a native sidecar (initContainers with restartPolicy: Always; Kubernetes 1.29+; Istio: annotation sidecar.istio.io/nativeSidecar: "true"), which the kubelet stops after the app, or give it a preStop hook that waits for the app to finish (Istio: EXIT_ON_ZERO_ACTIVE_CONNECTIONS).',
        });
      }
    }
    return findings;
  },
});
