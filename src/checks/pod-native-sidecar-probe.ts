import { podSubject } from '../k8s/pod.js';
import { TRAFFIC_PATTERNS } from '../analysis/anatomy/patterns.js';
import { hasNativeSidecar, placeContainers } from '../analysis/anatomy/roles.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** POD006: a native sidecar without a startupProbe: the containers after it do not wait for it to be ready. */
export const podNativeSidecarProbe = defineCheck({
  id: 'POD006',
  title: 'Native sidecar without a startup probe',
  severity: 'warning',
  description:
    'The kubelet starts the container after a native sidecar as soon as the sidecar has started, or, when it has a startupProbe, once that probe succeeds; without one, the app can start before its proxy is ready. Without a readinessProbe the pod can be Ready while the sidecar is not.',
  needs: ['pods'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      if (!hasNativeSidecar(pod)) continue;
      for (const p of placeContainers(pod)) {
        if (p.view.sidecar !== 'native') continue;
        const spec = p.spec;
        if (spec.startupProbe) continue;
        const traffic = p.view.pattern !== null && TRAFFIC_PATTERNS.has(p.view.pattern);
        findings.push({
          checkId: 'POD006',
          severity: traffic ? 'warning' : 'info',
          subject: podSubject(pod, p.view.name),
          message: `native sidecar ${p.view.name} has no startupProbe, so the containers after it start without waiting for it to be ready`,
          evidence: [
            `initContainers ${p.view.name}: restartPolicy Always, no startupProbe`,
            spec.readinessProbe ? 'it has a readinessProbe (that gates pod readiness, not the start of the next container)' : 'it has no readinessProbe either: the pod can be Ready while it is not',
            p.view.pattern ? `pattern: ${p.view.patternReason}` : 'pattern: none detected',
          ],
          remediation: `Add a startupProbe to ${p.view.name} that succeeds when it is ready to serve (for a proxy, its readiness endpoint).`,
        });
      }
    }
    return findings;
  },
});
