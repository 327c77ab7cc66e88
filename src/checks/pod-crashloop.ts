import type { V1ContainerStatus } from '@kubernetes/client-node';
import { allContainerStatuses, isoOf, podSubject, toDate } from '../k8s/pod.js';
import type { Finding } from '../report/types.js';
import { scrubText } from '../parse/secret-text.js';
import { defineCheck } from './types.js';

/** Restarts within the last hour at which a container counts as restarting often. */
const OFTEN = 5;

function lastTermination(cs: V1ContainerStatus): string | null {
  const t = cs.lastState?.terminated;
  if (!t) return null;
  return `last termination: ${t.reason ?? 'unknown reason'}, exit code ${t.exitCode}, finished ${isoOf(t.finishedAt)}`;
}

/** POD001: containers in CrashLoopBackOff or restarting often. */
export const podCrashLoop = defineCheck({
  id: 'POD001',
  title: 'Container crash-looping',
  severity: 'critical',
  description:
    'A container is in CrashLoopBackOff, or restarted often in the last hour; shows the restart count and the last termination reason and exit code.',
  needs: ['pods'],
  run({ inputs, now }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      for (const { status: cs, init } of allContainerStatuses(pod)) {
        const waiting = cs.state?.waiting;
        const last = lastTermination(cs);
        const finished = toDate(cs.lastState?.terminated?.finishedAt);
        const recent = finished !== undefined && now.getTime() - finished.getTime() < 3600_000;
        const looping = waiting?.reason === 'CrashLoopBackOff';
        if (!looping && !(cs.restartCount >= OFTEN && recent)) continue;
        const evidence = [
          looping ? `state: waiting CrashLoopBackOff${waiting?.message ? ` (${scrubText(waiting.message)})` : ''}` : `state: ${Object.keys(cs.state ?? {})[0] ?? 'unknown'}`,
          `restarts: ${cs.restartCount}`,
        ];
        if (last) evidence.push(last);
        const oom = cs.lastState?.terminated?.reason === 'OOMKilled';
        findings.push({
          checkId: 'POD001',
          severity: looping ? 'critical' : 'warning',
          subject: podSubject(pod, cs.name),
          message: looping
            ? `${init ? 'init container' : 'container'} ${cs.name} is in CrashLoopBackOff after ${cs.restartCount} restarts`
            : `${init ? 'init container' : 'container'} ${cs.name} restarted ${cs.restartCount} times, last within the hour`,
          evidence,
          remediation: oom
            ? `It was OOMKilled: raise its memory limit or find the leak (see POD002); logs: kubectl logs -n ${pod.metadata?.namespace} ${pod.metadata?.name} -c ${cs.name} --previous`
            : `Read why it exits: kubectl logs -n ${pod.metadata?.namespace} ${pod.metadata?.name} -c ${cs.name} --previous`,
        });
      }
    }
    return findings;
  },
});
