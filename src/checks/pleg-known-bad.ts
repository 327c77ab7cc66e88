import { knownBadFor, kubeletBefore114 } from '../analysis/pleg/known-bad.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** PLEG004: nodes running a release with a documented PLEG hang. */
export const plegKnownBad = defineCheck({
  id: 'PLEG004',
  title: 'Release with a known PLEG hang',
  severity: 'warning',
  description:
    'A node runs a kubelet before 1.14 (relist deadlock, kubernetes#72482) or a container runtime or kernel release whose hang is documented to stall PLEG (each with its source).',
  needs: ['nodes'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const node of inputs.nodes) {
      const name = node.metadata?.name ?? '?';
      const info = node.status?.nodeInfo;
      for (const { release, version } of knownBadFor(info)) {
        findings.push({
          checkId: 'PLEG004',
          severity: 'warning',
          subject: { kind: 'Node', name },
          message: `${release.component} ${version} has a known hang that stalls PLEG`,
          evidence: [release.what, ...release.sources],
          remediation: release.fix,
        });
      }
      if (kubeletBefore114(info?.kubeletVersion)) {
        findings.push({
          checkId: 'PLEG004',
          severity: 'warning',
          subject: { kind: 'Node', name },
          message: `kubelet ${info?.kubeletVersion} can deadlock in PLEG relist`,
          evidence: ['relist blocks on a full event channel while the sync loop waits for PLEG (kubernetes#72482), fixed by PR #72709 in 1.14', 'https://github.com/kubernetes/kubernetes/issues/72482'],
          remediation: 'Upgrade the kubelet to 1.14 or later; until then restart the kubelet when PLEG age grows without bound.',
        });
      }
    }
    return findings;
  },
});
