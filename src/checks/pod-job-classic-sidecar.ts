import type { V1Container } from '@kubernetes/client-node';
import { podSubject } from '../k8s/pod.js';
import { meshOf, ownedByJob, signalsSidecarExit } from '../analysis/anatomy/mesh.js';
import { mayHaveClassicSidecar, placeContainers } from '../analysis/anatomy/roles.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

function remedy(mesh: 'istio' | 'linkerd' | null, name: string): string {
  const native = `Run ${name} as a native sidecar (initContainers with restartPolicy: Always; Kubernetes >= 1.29): the kubelet stops it when the main containers finish`;
  if (mesh === 'istio') return `${native} (Istio: annotation sidecar.istio.io/nativeSidecar: "true"), or have the job call curl -X POST http://localhost:15020/quitquitquit when it ends.`;
  if (mesh === 'linkerd') return `${native} (Linkerd: config.beta.linkerd.io/proxy-enable-native-sidecar: "true"), or wrap the job command in linkerd-await --shutdown.`;
  return `${native}.`;
}

/** POD005: a Job's pod with a classic sidecar that keeps running after the job's work is done. */
export const podJobClassicSidecar = defineCheck({
  id: 'POD005',
  title: 'Classic sidecar keeps a Job from completing',
  severity: 'critical',
  description:
    "A Job (or CronJob) pod completes only when all its regular containers exit; a sidecar that runs as a regular container (a mesh proxy, a log shipper) never exits by itself, so the pod stays Running and the Job never completes.",
  needs: ['pods'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      if (!mayHaveClassicSidecar(pod)) continue;
      const job = ownedByJob(pod);
      if (!job || pod.spec?.restartPolicy === 'Always') continue;
      const placed = placeContainers(pod);
      const apps = placed.filter((p) => p.view.role === 'app');
      for (const p of placed.filter((x) => x.view.sidecar === 'classic')) {
        const signalled = apps.map((a) => signalsSidecarExit(a.spec as V1Container)).find((s) => s !== null);
        if (signalled) continue;
        const appsDone = apps.length > 0 && apps.every((a) => a.view.state.startsWith('terminated'));
        const stuck = appsDone && p.view.state === 'running';
        const evidence = [
          `owned by Job ${job}; restartPolicy ${pod.spec?.restartPolicy ?? 'Always'}`,
          `${p.view.name} is a regular container (classic sidecar): ${p.view.patternReason ?? p.view.pattern}`,
          `no app container signals it to exit (/quitquitquit, linkerd-await --shutdown)`,
        ];
        if (stuck) evidence.push(`observed: ${apps.map((a) => `${a.view.name} ${a.view.state}`).join(', ')}; ${p.view.name} still running`);
        findings.push({
          checkId: 'POD005',
          severity: stuck ? 'critical' : 'warning',
          subject: podSubject(pod, p.view.name),
          message: stuck
            ? `the job's work is done but ${p.view.name} is still running, so Job ${job} cannot complete`
            : `${p.view.name} runs as a regular container in a Job pod and will keep the pod running after the job's work is done`,
          evidence,
          remediation: remedy(meshOf(p.spec), p.view.name),
        });
      }
    }
    return findings;
  },
});
