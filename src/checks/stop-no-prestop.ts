import { podSubject } from '../k8s/pod.js';
import { containerStops, servicesSelecting } from '../analysis/stop/static.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** The advice for a grace period: one string per value, shared by every finding (a cluster-wide scan has 100,000s). */
const remediations = new Map<unknown, string>();
function remediationFor(grace: number): string {
  let r = remediations.get(grace);
  if (r === undefined) {
    // KEP-3960: the sleep action needs no shell in the image.
    r = `Add lifecycle.preStop.sleep.seconds: 5 (Kubernetes 1.30+; on older versions exec ["sleep","5"]) to the serving container, keeping terminationGracePeriodSeconds (${grace}) above the sleep plus the app's drain time. podscope stop --watch measures the real lag.`;
    if (remediations.size < 1000) remediations.set(grace, r);
  }
  return r;
}

/** STOP001: a pod behind a Service whose app containers get SIGTERM the moment it is deleted. */
export const stopNoPreStop = defineCheck({
  id: 'STOP001',
  title: 'Serving pod stops without a preStop delay',
  severity: 'warning',
  description:
    'A pod selected by a Service has no preStop hook on any app container, so the app gets SIGTERM while EndpointSlices and every kube-proxy still route new connections to it.',
  needs: ['pods', 'services'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const services = servicesSelecting(pod, inputs.services);
      if (!services.length) continue;
      const apps = containerStops(pod).filter((c) => c.role === 'app');
      // Any hook counts: an exec or httpGet hook of unknown length may well be the delay.
      if (apps.some((c) => c.preStop && (c.preStop.seconds === null || c.preStop.seconds > 0))) continue;
      const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
      const names = services.map((s) => s.metadata?.name).join(', ');
      findings.push({
        checkId: 'STOP001',
        severity: 'warning',
        subject: podSubject(pod),
        message: `behind Service ${names}, but no container delays SIGTERM with a preStop hook: connections routed during endpoint and kube-proxy lag are refused`,
        evidence: [
          `services: ${names}`,
          ...apps.map((c) => `container ${c.name}: ${c.preStop ? c.preStop.detail : 'no preStop hook'}`),
          `terminationGracePeriodSeconds: ${grace}`,
        ],
        remediation: remediationFor(grace),
      });
    }
    return findings;
  },
});
