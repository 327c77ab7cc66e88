import { formatAmount, resourceAmount } from '../../parse/quantity.js';
import { podRequests } from './requests.js';
import type { Amounts } from './requests.js';
import type { FilterPlugin, NodeView } from './types.js';

/** Allocatable, requested by pods already there, and free, for one resource on one node. */
export interface Headroom {
  allocatable: number;
  used: number;
}

/** Headroom per node view: a check evaluates many pending pods against the same views. */
const headroomCache = new WeakMap<NodeView, { allocatable: Amounts; used: Amounts }>();

/** What the node can give (status.allocatable) and what its pods already requested. */
export function nodeHeadroom(n: NodeView): { allocatable: Amounts; used: Amounts } {
  const cached = headroomCache.get(n);
  if (cached) return cached;
  const allocatable: Amounts = new Map();
  for (const [k, v] of Object.entries(n.node.status?.allocatable ?? {})) allocatable.set(k, resourceAmount(k, v));
  const used: Amounts = new Map();
  for (const p of n.pods) for (const [k, v] of podRequests(p)) used.set(k, (used.get(k) ?? 0) + v);
  const h = { allocatable, used };
  headroomCache.set(n, h);
  return h;
}

const NATIVE_ORDER = ['cpu', 'memory', 'ephemeral-storage'];

/**
 * NodeResourcesFit: pod count against `allocatable.pods`, then each requested resource against
 * allocatable minus what the node's pods request; every shortfall is its own reason
 * (pkg/scheduler/framework/plugins/noderesources/fit.go `fitsRequest`).
 */
export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  setup({ pod }) {
    const want = podRequests(pod);
    const names = [...want.keys()].filter((k) => k !== 'pods' && (want.get(k) ?? 0) > 0);
    names.sort((a, b) => (NATIVE_ORDER.indexOf(a) + 1 || 99) - (NATIVE_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
    return (n) => {
      const { allocatable, used } = nodeHeadroom(n);
      const reasons: string[] = [];
      const details: string[] = [];
      const allowed = allocatable.get('pods') ?? 0;
      if (n.pods.length + 1 > allowed) {
        reasons.push('Too many pods');
        details.push(`${n.pods.length} pods already, allocatable pods ${allowed}`);
      }
      for (const r of names) {
        const req = want.get(r) ?? 0;
        const alloc = allocatable.get(r) ?? 0;
        const free = alloc - (used.get(r) ?? 0);
        if (req <= free) continue;
        reasons.push(`Insufficient ${r}`);
        const f = (x: number) => formatAmount(r, x);
        details.push(
          alloc === 0
            ? `requests ${f(req)} ${r}, node has none`
            : alloc < req
            ? `requests ${f(req)} ${r}, node allocatable is only ${f(alloc)}`
            : `requests ${f(req)} ${r}, ${f(Math.max(free, 0))} free of ${f(alloc)} (short by ${f(req - free)})`,
        );
      }
      return reasons.length ? { reasons, detail: details.join('; ') } : null;
    };
  },
};
