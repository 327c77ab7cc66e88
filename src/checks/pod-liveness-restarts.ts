import { podSubject } from '../k8s/pod.js';
import { eventContainer, eventLine, eventsOfPod, podEventIndex } from '../analysis/anatomy/events.js';
import { allContainerStatuses } from '../k8s/pod.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

// The kubelet's event when a liveness probe fails: reason Unhealthy, "Liveness probe failed: ...";
// then reason Killing, "Container X failed liveness probe, will be restarted"
// (kubernetes/kubernetes pkg/kubelet/prober/prober.go, pkg/kubelet/kuberuntime/kuberuntime_manager.go).
const LIVENESS_FAILED = /^Liveness probe failed/;
const KILLED_BY_LIVENESS = /failed liveness probe, will be restarted/;

/** POD007: containers the kubelet restarts because their liveness probe fails. */
export const podLivenessRestarts = defineCheck({
  id: 'POD007',
  title: 'Container restarted by its liveness probe',
  severity: 'warning',
  description:
    "A container was killed and restarted because its liveness probe failed (from the pod's events); the app may be healthy but slow, and the probe too strict, or it is really hung.",
  needs: ['pods', 'events'],
  run({ inputs }) {
    const findings: Finding[] = [];
    const index = podEventIndex(inputs.events);
    for (const pod of inputs.pods) {
      const candidates = index.get(`${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name}`);
      if (!candidates) continue;
      const evs = eventsOfPod(pod, candidates);
      for (const { status } of allContainerStatuses(pod)) {
        const mine = evs.filter((e) => eventContainer(e) === status.name);
        const kills = mine.filter((e) => e.reason === 'Killing' && KILLED_BY_LIVENESS.test(e.message ?? ''));
        const fails = mine.filter((e) => e.reason === 'Unhealthy' && LIVENESS_FAILED.test(e.message ?? ''));
        if (!kills.length && !(fails.length && status.restartCount > 0)) continue;
        findings.push({
          checkId: 'POD007',
          severity: 'warning',
          subject: podSubject(pod, status.name),
          message: `${status.name} is restarted by its failing liveness probe (${status.restartCount} restarts)`,
          evidence: [...fails.slice(-2), ...kills.slice(-1)].map(eventLine),
          remediation: 'If the app is slow rather than hung, add a startupProbe or raise the liveness timeoutSeconds/failureThreshold; never point liveness at a dependency (a database) the app cannot fix by restarting.',
        });
      }
    }
    return findings;
  },
});
