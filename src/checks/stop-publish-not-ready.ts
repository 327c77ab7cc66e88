import { podSubject } from '../k8s/pod.js';
import { servicesSelecting } from '../analysis/stop/static.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** STOP005: a Service that keeps terminating pods ready (publishNotReadyAddresses). */
export const stopPublishNotReady = defineCheck({
  id: 'STOP005',
  title: 'Service keeps terminating endpoints ready',
  severity: 'info',
  description:
    'A Service with publishNotReadyAddresses: true keeps ready=true on the endpoints of terminating pods, so kube-proxy routes to the pod until it is removed from the EndpointSlice; fine for peer discovery (StatefulSets), wrong for client traffic.',
  needs: ['pods', 'services'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      for (const s of servicesSelecting(pod, inputs.services)) {
        if (s.spec?.publishNotReadyAddresses !== true) continue;
        findings.push({
          checkId: 'STOP005',
          severity: 'info',
          subject: podSubject(pod),
          message: `Service ${s.metadata?.name} publishes not-ready addresses: while this pod terminates its endpoint stays ready=true and keeps receiving new connections`,
          evidence: [`service ${s.metadata?.name}: publishNotReadyAddresses: true${s.spec?.clusterIP === 'None' ? ', headless' : ''}`],
          remediation: `If clients reach the pod through ${s.metadata?.name}, use a separate Service without publishNotReadyAddresses for them and keep this one for peer discovery.`,
        });
      }
    }
    return findings;
  },
});
