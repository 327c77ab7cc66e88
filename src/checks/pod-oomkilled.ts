import { allContainerStatuses, isoOf, podSubject } from '../k8s/pod.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** POD002: containers killed by the kernel's OOM killer. */
export const podOomKilled = defineCheck({
  id: 'POD002',
  title: 'Container OOMKilled',
  severity: 'warning',
  description: 'A container was killed for exceeding its memory limit (reason OOMKilled, exit code 137), now or at its last termination.',
  needs: ['pods'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
      for (const { status: cs } of allContainerStatuses(pod)) {
        const t = cs.state?.terminated?.reason === 'OOMKilled' ? cs.state.terminated : cs.lastState?.terminated;
        if (t?.reason !== 'OOMKilled') continue;
        const limit = specs.find((c) => c.name === cs.name)?.resources?.limits?.memory;
        findings.push({
          checkId: 'POD002',
          severity: 'warning',
          subject: podSubject(pod, cs.name),
          message: `container ${cs.name} was OOMKilled (memory limit ${limit ?? 'none set: the node ran out'})`,
          evidence: [
            `terminated: OOMKilled, exit code ${t.exitCode}, finished ${isoOf(t.finishedAt)}`,
            `restarts: ${cs.restartCount}`,
          ],
          remediation: limit
            ? `Raise resources.limits.memory above ${limit} if the usage is expected, or find the leak; compare with kubectl top pod.`
            : 'Set a memory request and limit so the scheduler accounts for it; find what grows.',
        });
      }
    }
    return findings;
  },
});
