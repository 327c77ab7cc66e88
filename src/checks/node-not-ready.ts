import type { V1Node } from '@kubernetes/client-node';
import { isoOf } from '../k8s/pod.js';
import { formatSeconds } from '../parse/duration.js';
import { parseConditionMessage } from '../parse/node-condition.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

function hint(node: V1Node, kinds: Set<string>): string {
  const name = node.metadata?.name ?? '?';
  if (kinds.has('pleg-unhealthy') || kinds.has('runtime-down')) {
    return `Diagnose the kubelet's PLEG and runtime: podscope pleg ${name}`;
  }
  if (kinds.has('network-not-ready')) return 'The CNI plugin is not ready: check the CNI daemonset pod on this node and /etc/cni/net.d.';
  return `Look at the kubelet on the node: kubectl describe node ${name}; journalctl -u kubelet`;
}

/** NODE001: nodes whose Ready condition is not True. */
export const nodeNotReady = defineCheck({
  id: 'NODE001',
  title: 'Node not Ready',
  severity: 'critical',
  description:
    "A node's Ready condition is False or Unknown; splits the kubelet's message into its errors (old comma-joined and new bracketed shapes) and names PLEG and runtime failures.",
  needs: ['nodes'],
  run({ inputs, now }) {
    const findings: Finding[] = [];
    for (const node of inputs.nodes) {
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'True') continue;
      const parts = parseConditionMessage(ready.message);
      const since = ready.lastTransitionTime ? new Date(ready.lastTransitionTime) : undefined;
      const age = since ? ` for ${formatSeconds((now.getTime() - since.getTime()) / 1000)}` : '';
      const pleg = parts.find((p) => p.kind === 'pleg-unhealthy');
      const what =
        ready.status === 'Unknown'
          ? 'the kubelet stopped posting node status'
          : parts.length
            ? parts.map((p) => (p.kind === 'other' ? p.text : p.kind.replaceAll('-', ' '))).join('; ')
            : (ready.reason ?? 'no reason given');
      const evidence = [`Ready=${ready.status} reason=${ready.reason ?? '-'} since ${isoOf(ready.lastTransitionTime)}`];
      for (const p of parts) evidence.push(`message: ${p.text}`);
      if (pleg?.kind === 'pleg-unhealthy' && pleg.lastSeenSeconds !== null) {
        evidence.push(`PLEG last seen ${formatSeconds(pleg.lastSeenSeconds)} ago (threshold ${formatSeconds(pleg.thresholdSeconds ?? 180)})`);
      }
      findings.push({
        checkId: 'NODE001',
        severity: 'critical',
        subject: { kind: 'Node', name: node.metadata?.name ?? '?' },
        message: `node is NotReady${age}: ${what}`,
        evidence,
        remediation: hint(node, new Set(parts.map((p) => p.kind))),
      });
    }
    return findings;
  },
});
