import { grouped } from '../k8s/grouped.js';
import { DEFAULT_MAX_PODS, density } from '../analysis/pleg/node-facts.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** PLEG003: nodes packed close to their pod capacity, or past the default 110 pods. */
export const plegPodDensity = defineCheck({
  id: 'PLEG003',
  title: 'Node near its pod capacity',
  severity: 'warning',
  description:
    "A node runs 95% or more of its pod capacity, or more than the default 110 pods: every PLEG relist inspects every container (exited ones too), so relist time grows with density (KubeletTooManyPods runbook).",
  needs: ['nodes', 'pods'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const node of inputs.nodes) {
      const name = node.metadata?.name ?? '?';
      const d = density(node, grouped(inputs.pods, 'nodeName', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : [])).get(name) ?? []);
      if (d.pods < 0.95 * d.capacity && d.pods <= DEFAULT_MAX_PODS) continue;
      findings.push({
        checkId: 'PLEG003',
        severity: 'warning',
        subject: { kind: 'Node', name },
        message: `${d.pods} pods on a node with capacity ${d.capacity} (${Math.round((100 * d.pods) / d.capacity)}%)`,
        evidence: [`${d.pods} running or pending pods, ${d.containers} containers in their specs, ${d.exited} exited containers kept`],
        remediation: 'Spread pods over more nodes or lower maxPods in the kubelet config; watch kubelet_pleg_relist_duration_seconds p99 (podscope pleg NODE).',
      });
    }
    return findings;
  },
});
