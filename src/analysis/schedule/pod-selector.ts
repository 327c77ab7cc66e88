import type { V1LabelSelector, V1Pod } from '@kubernetes/client-node';
import { matches, requirementsOf } from '../../parse/selector.js';
import type { Requirement } from '../../parse/selector.js';

/** A label selector as the scheduler evaluates it: null is "nothing" (a nil selector matches no pod). */
export interface PodSelector {
  reqs: Requirement[] | null;
}

/** `metav1.LabelSelectorAsSelector`: nil → nothing, `{}` → everything. */
export function selectorOf(sel: V1LabelSelector | undefined | null, extra: Record<string, string> = {}): PodSelector {
  if (!sel) return { reqs: null };
  const reqs = requirementsOf(sel);
  for (const [key, v] of Object.entries(extra)) reqs.push({ key, op: 'In', values: [v] });
  return { reqs };
}

/** Whether the selector matches the labels. */
export function selects(s: PodSelector, labels: Record<string, string> | undefined): boolean {
  return s.reqs !== null && matches(s.reqs, labels);
}

/** Whether the selector is empty (matches everything). */
export function isEmpty(s: PodSelector): boolean {
  return s.reqs !== null && s.reqs.length === 0;
}

/** Namespace and name of a pod, for comparisons. */
export function podKey(p: V1Pod): string {
  return `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name ?? ''}`;
}
