import { CRI_TIMEOUT, eventEvidence, eventsForNode, notReadyCount, readiness } from '../analysis/pleg/node-facts.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** PLEG001: nodes that are Ready now but flapped NotReady, the usual first sign of PLEG trouble. */
export const plegFlapping = defineCheck({
  id: 'PLEG001',
  title: 'Node flapping between Ready and NotReady',
  severity: 'warning',
  description:
    'A node is Ready now but has NodeNotReady events twice or more: PLEG relists that take longer than the 3-minute threshold flip the node back and forth before it stays down.',
  needs: ['nodes', 'events'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const node of inputs.nodes) {
      const name = node.metadata?.name ?? '?';
      if (readiness(node).status !== 'True') continue; // NODE001 reports nodes that are down now.
      const events = eventsForNode(inputs.events, name);
      const flaps = notReadyCount(events);
      if (flaps < 2) continue;
      const ev = eventEvidence(events, (e) => e.reason === 'NodeNotReady' || e.reason === 'NodeReady' || CRI_TIMEOUT.test(e.message ?? ''));
      findings.push({
        checkId: 'PLEG001',
        severity: 'warning',
        subject: { kind: 'Node', name },
        message: `node went NotReady ${flaps} times and recovered`,
        evidence: ev.lines,
        remediation: `Find out why before it stays down: podscope pleg ${name}`,
      });
    }
    return findings;
  },
});
