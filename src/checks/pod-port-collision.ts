import { podSubject } from '../k8s/pod.js';
import { portCollisions } from '../analysis/anatomy/ports.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** POD003: two containers of one pod declare the same port in the shared network namespace. */
export const podPortCollision = defineCheck({
  id: 'POD003',
  title: 'Port declared by two containers of one pod',
  severity: 'critical',
  description:
    "Containers of a pod share one network namespace (the node's with hostNetwork), so two containers that run together and declare the same port cannot both bind it; one fails with \"address already in use\".",
  needs: ['pods'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      const host = Boolean(pod.spec?.hostNetwork);
      for (const c of portCollisions(pod)) {
        findings.push({
          checkId: 'POD003',
          severity: 'critical',
          subject: podSubject(pod, c.containers[1]),
          message: `port ${c.port}/${c.protocol} is declared by ${c.containers.join(' and ')}, which share ${host ? "the node's" : 'one'} network namespace`,
          evidence: [
            ...c.containers.map((n) => `container ${n} declares containerPort ${c.port}/${c.protocol}`),
            host ? "hostNetwork: true, so the port is the node's port" : 'containers of a pod share the pod IP; only one process can listen on a port',
          ],
          remediation: 'Give each container its own port (and update the Service targetPort), or drop the port from the container that does not listen on it.',
        });
      }
    }
    return findings;
  },
});
