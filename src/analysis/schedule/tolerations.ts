import type { V1Taint, V1Toleration } from '@kubernetes/client-node';

/**
 * Whether a toleration tolerates a taint (k8s.io/api core/v1 toleration.go `ToleratesTaint`):
 * empty effect matches every effect; empty key with Exists matches every key; empty operator
 * means Equal; Gt/Lt compare integers (TaintTolerationComparisonOperators, 1.35+).
 */
export function tolerates(t: V1Toleration, taint: V1Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    case 'Gt':
    case 'Lt': {
      const a = /^-?\d+$/.test(t.value ?? '') ? BigInt(t.value ?? '') : null;
      const b = /^-?\d+$/.test(taint.value ?? '') ? BigInt(taint.value ?? '') : null;
      if (a === null || b === null) return false;
      return t.operator === 'Gt' ? b > a : b < a;
    }
    default:
      return false;
  }
}

/** Whether any toleration tolerates the taint. */
export function toleratedBy(tolerations: V1Toleration[] | undefined, taint: V1Taint): boolean {
  return (tolerations ?? []).some((t) => tolerates(t, taint));
}

/**
 * The first taint with effect NoSchedule or NoExecute that no toleration tolerates, in the node's
 * order (pkg/apis/core/v1/helper `FindMatchingUntoleratedTaint` with `DoNotScheduleTaintsFilterFunc`).
 * PreferNoSchedule taints never block. `tolerationSeconds` does not matter for scheduling.
 */
export function firstUntolerated(taints: V1Taint[] | undefined, tolerations: V1Toleration[] | undefined): V1Taint | undefined {
  return (taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !toleratedBy(tolerations, t));
}

/** `{key: value}` as the scheduler printed taints before 1.35. */
export function taintText(t: V1Taint): string {
  return `{${t.key}: ${t.value ?? ''}}`;
}
