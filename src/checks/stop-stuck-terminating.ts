import { isoOf, podSubject, toDate } from '../k8s/pod.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** Seconds past its deadline before a terminating pod counts as stuck (kubelet sync and API lag). */
const SLACK = 30;

/** STOP003: a pod still Terminating well after its grace period ended. */
export const stopStuckTerminating = defineCheck({
  id: 'STOP003',
  title: 'Pod stuck Terminating',
  severity: 'critical',
  description:
    'A pod whose deletionTimestamp (the end of its grace period) has passed is still in the API: finalizers nobody removes, or a node whose kubelet is gone and cannot confirm the containers stopped.',
  needs: ['pods'],
  uses: ['nodes'],
  run({ inputs, now }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      const deadline = toDate(pod.metadata?.deletionTimestamp);
      if (!deadline) continue;
      const late = Math.floor((now.getTime() - deadline.getTime()) / 1000);
      if (late < SLACK) continue;
      const evidence = [
        `deletionTimestamp: ${isoOf(deadline)} (grace ${pod.metadata?.deletionGracePeriodSeconds ?? '?'} s), ${late} s ago`,
        `phase: ${pod.status?.phase ?? '?'}`,
      ];
      const finalizers = pod.metadata?.finalizers ?? [];
      if (finalizers.length) evidence.push(`finalizers: ${finalizers.join(', ')}`);
      const nodeName = pod.spec?.nodeName;
      let nodeCause: string | undefined;
      if (nodeName && inputs.nodes) {
        const node = inputs.nodes.find((n) => n.metadata?.name === nodeName);
        const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
        if (!node) nodeCause = `node ${nodeName} no longer exists`;
        else if (ready?.status !== 'True') nodeCause = `node ${nodeName} is Ready=${ready?.status ?? 'Unknown'}${ready?.reason ? ` (${ready.reason})` : ''}: its kubelet cannot confirm the containers stopped`;
        if (nodeCause) evidence.push(nodeCause);
      }
      const ns = pod.metadata?.namespace ?? 'default';
      const name = pod.metadata?.name ?? '?';
      let remediation: string;
      if (finalizers.length) {
        remediation = `Find the controller that owns finalizer ${finalizers[0]} and why it does not finish; removing it by hand (kubectl patch pod -n ${ns} ${name} --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]') skips its cleanup.`;
      } else if (nodeCause) {
        remediation = `Bring the node back, or if it is gone for good delete the Node object; kubectl delete pod -n ${ns} ${name} --grace-period=0 --force removes the pod from the API without knowing that its containers stopped.`;
      } else {
        remediation = `Look at the kubelet on ${nodeName ?? 'its node'} (podscope pleg ${nodeName ?? ''}) and the pod's events: kubectl describe pod -n ${ns} ${name}.`;
      }
      findings.push({
        checkId: 'STOP003',
        severity: late >= 300 ? 'critical' : 'warning',
        subject: podSubject(pod),
        message: `Terminating for ${late} s past the end of its grace period${finalizers.length ? ' (finalizers pending)' : nodeCause ? ' (node not ready)' : ''}`,
        evidence,
        remediation,
      });
    }
    return findings;
  },
});
