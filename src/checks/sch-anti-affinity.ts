import { nodeViews } from '../analysis/schedule/evaluate.js';
import { antiAffinityFinding } from '../analysis/schedule/findings.js';
import { selfAntiAffine } from '../analysis/schedule/inter-pod-affinity.js';
import { siblings } from '../analysis/schedule/traps.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** SCH003: replicas that repel each other with required anti-affinity outnumber the topology domains. */
export const schAntiAffinity = defineCheck({
  id: 'SCH003',
  title: 'Required anti-affinity cannot be satisfied',
  severity: 'critical',
  description:
    'Replicas of one workload repel each other with required pod anti-affinity over a topology key (hostname, zone) that has fewer usable values than replicas: the extra replicas stay Pending.',
  needs: ['pods', 'nodes'],
  run({ inputs }) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    const views = nodeViews(inputs.nodes, []);
    for (const pod of inputs.pods) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || !selfAntiAffine(pod)) continue;
      // One finding per workload: the first pod of each owner stands for its replicas.
      const owner = pod.metadata?.ownerReferences?.[0];
      const key = `${pod.metadata?.namespace}/${owner ? `${owner.kind}/${owner.name}` : pod.metadata?.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const pending = siblings(pod, inputs.pods).some((p) => p.status?.phase === 'Pending' && !p.spec?.nodeName);
      const f = antiAffinityFinding({ pod, pods: inputs.pods, nodes: views, evaluation: { nodes: [], preFilter: null, summary: '', counts: {} }, event: null }, pending);
      if (f) out.push(f);
    }
    return out;
  },
});
