import { podSubject } from '../k8s/pod.js';
import { appsStartingBy, istioHoldAnnotation, meshOf } from '../analysis/anatomy/mesh.js';
import { TRAFFIC_PATTERNS } from '../analysis/anatomy/patterns.js';
import { mayHaveClassicSidecar, placeContainers } from '../analysis/anatomy/roles.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

function remedy(mesh: 'istio' | 'linkerd' | null, name: string): string {
  if (mesh === 'istio') {
    return `Set holdApplicationUntilProxyStarts: annotate the pod template with proxy.istio.io/config: '{"holdApplicationUntilProxyStarts": true}' (Istio >= 1.8), or inject the proxy as a native sidecar (annotation sidecar.istio.io/nativeSidecar: "true"; Kubernetes >= 1.29).`;
  }
  if (mesh === 'linkerd') {
    return 'Keep config.linkerd.io/proxy-await enabled (the default since Linkerd 2.11), or run the proxy as a native sidecar with config.beta.linkerd.io/proxy-enable-native-sidecar: "true" (Kubernetes >= 1.29).';
  }
  return `Move ${name} to initContainers with restartPolicy: Always and a startupProbe (a native sidecar; Kubernetes >= 1.29), or list it first with a postStart hook that waits until it is ready.`;
}

/** POD004: a classic-sidecar proxy that the apps need may not be ready when they start. */
export const podSidecarStartupRace = defineCheck({
  id: 'POD004',
  title: 'Classic sidecar proxy may start after the app',
  severity: 'warning',
  description:
    'A proxy or ambassador runs as a regular container, and the kubelet starts regular containers without waiting for each other, so the app can start before its proxy is ready and its first connections fail (unless a postStart hook holds it, as Istio holdApplicationUntilProxyStarts and Linkerd proxy-await do).',
  needs: ['pods'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      if (!mayHaveClassicSidecar(pod)) continue;
      const placed = placeContainers(pod);
      for (const p of placed) {
        const v = p.view;
        if (v.sidecar !== 'classic' || !v.pattern || !TRAFFIC_PATTERNS.has(v.pattern) || v.startOrder === null) continue;
        const racing = appsStartingBy(placed, v.startOrder);
        if (!racing.length) continue;
        const mesh = meshOf(p.spec);
        const evidence = [
          `${v.name} is a classic sidecar (a regular container): ${v.patternReason ?? v.pattern}`,
          `start step ${v.startOrder}: ${racing.map((r) => r.view.name).join(', ')} start${racing.length > 1 ? '' : 's'} at the same step or earlier, without waiting for ${v.name}`,
          p.spec.lifecycle?.postStart ? `${v.name} has a postStart hook, but ${racing.map((r) => r.view.name).join(', ')} ${racing.length > 1 ? 'are' : 'is'} listed before it` : `${v.name} has no postStart hook that would hold the containers after it`,
        ];
        const hold = istioHoldAnnotation(pod);
        if (mesh === 'istio' && hold !== null) evidence.push(`${'proxy.istio.io/config'} holdApplicationUntilProxyStarts: ${hold}`);
        findings.push({
          checkId: 'POD004',
          severity: 'warning',
          subject: podSubject(pod, v.name),
          message: `${racing.map((r) => r.view.name).join(', ')} may start before the ${v.pattern} ${v.name} is ready; early connections fail`,
          evidence,
          remediation: remedy(mesh, v.name),
        });
      }
    }
    return findings;
  },
});
