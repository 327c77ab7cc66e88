import { firstUntolerated, taintText } from './tolerations.js';
import type { FilterPlugin } from './types.js';
import { fail } from './types.js';

/** The reason for an untolerated taint as the given scheduler minor version wrote it. */
export function taintReason(text: string, minor: number | null): string {
  // 1.35 dropped keys and values from the message (kubernetes/kubernetes#134740, cherry-picked to
  // 1.34 patches); 1.25–1.34 printed the first untolerated taint; 1.19–1.24 the older phrase.
  if (minor === null || minor >= 35) return 'node(s) had untolerated taint(s)';
  if (minor >= 25) return `node(s) had untolerated taint ${text}`;
  if (minor >= 19) return `node(s) had taint ${text}, that the pod didn't tolerate`;
  return "node(s) had taints that the pod didn't tolerate";
}

/**
 * TaintToleration: the node's first NoSchedule/NoExecute taint that no toleration tolerates
 * rejects the pod (pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go).
 */
export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  setup({ pod, minor }) {
    return (n) => {
      const t = firstUntolerated(n.node.spec?.taints, pod.spec?.tolerations);
      if (!t) return null;
      const text = taintText(t);
      return fail(taintReason(text, minor), `untolerated taint ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
    };
  },
};
