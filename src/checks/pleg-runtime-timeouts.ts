import { CRI_TIMEOUT, RUNTIME_GONE, eventEvidence } from '../analysis/pleg/node-facts.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** PLEG002: kubelet events saying container-runtime calls time out or cannot connect. */
export const plegRuntimeTimeouts = defineCheck({
  id: 'PLEG002',
  title: 'Container runtime calls timing out',
  severity: 'warning',
  description:
    'Kubelet events (ContainerGCFailed, ImageGCFailed, FailedKillPod, FailedCreatePodSandBox, ...) say CRI calls hit DeadlineExceeded or cannot reach the runtime: the same calls PLEG makes every second, so PLEG is next.',
  needs: ['events'],
  uses: ['nodes'],
  run({ inputs }) {
    const byNode = new Map<string, typeof inputs.events>();
    for (const e of inputs.events) {
      const msg = e.message ?? '';
      if (!CRI_TIMEOUT.test(msg) && !RUNTIME_GONE.test(msg)) continue;
      if (/PullImage|pull image|ErrImagePull|Probe|probe/.test(msg) || e.reason === 'Unhealthy') continue;
      const node = e.source?.host ?? e.reportingInstance ?? (e.involvedObject?.kind === 'Node' ? e.involvedObject.name : undefined);
      if (!node) continue;
      byNode.set(node, [...(byNode.get(node) ?? []), e]);
    }
    const findings: Finding[] = [];
    for (const [node, events] of [...byNode.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const ev = eventEvidence(events, () => true);
      const gone = events.some((e) => RUNTIME_GONE.test(e.message ?? ''));
      findings.push({
        checkId: 'PLEG002',
        severity: 'warning',
        subject: { kind: 'Node', name: node },
        message: `${ev.count} container-runtime call${ev.count === 1 ? '' : 's'} ${gone ? 'could not reach the runtime' : 'timed out'} on this node`,
        evidence: ev.lines,
        remediation: `Check the runtime on the node (time crictl pods) and diagnose PLEG: podscope pleg ${node}`,
      });
    }
    return findings;
  },
});
