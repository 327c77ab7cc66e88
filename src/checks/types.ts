import type { ResourceKind, ResourceMap } from '../model/types.js';
import type { Finding, Severity } from '../report/types.js';

/** Lists gathered for a run, by resource; absent when not needed or unavailable. */
export type Inputs = { [K in ResourceKind]?: ResourceMap[K][] };

/** What a check's run receives: its required inputs guaranteed, the rest optional. */
export interface CheckContext<N extends ResourceKind> {
  inputs: Pick<Required<Inputs>, N> & Inputs;
  now: Date;
}

/** A check as written in its own file. */
export interface CheckDefinition<N extends ResourceKind> {
  /** Stable id (POD001, NODE001, ...): never changes once released. */
  id: string;
  title: string;
  /** The most severe finding it can report. */
  severity: Severity;
  /** One sentence: what it looks at and why it matters. */
  description: string;
  /** Inputs without which it cannot run (it is then skipped with the reason). */
  needs: readonly N[];
  /** Inputs that add evidence when available. */
  uses?: readonly ResourceKind[];
  docs?: string;
  run(ctx: CheckContext<N>): Finding[];
}

/** A check as the engine and the catalogue see it. */
export interface Check {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  needs: readonly ResourceKind[];
  uses: readonly ResourceKind[];
  docs?: string;
  run(inputs: Inputs, now: Date): Finding[];
}

/** Turns a typed definition into a registry entry; the engine guarantees `needs` are present. */
export function defineCheck<N extends ResourceKind>(def: CheckDefinition<N>): Check {
  return {
    id: def.id,
    title: def.title,
    severity: def.severity,
    description: def.description,
    needs: def.needs,
    uses: def.uses ?? [],
    docs: def.docs,
    run(inputs, now) {
      for (const n of def.needs) {
        if (!inputs[n]) throw new Error(`engine bug: ${def.id} ran without its input ${n}`);
      }
      return def.run({ inputs: inputs as Pick<Required<Inputs>, N> & Inputs, now });
    },
  };
}

/** API group of each resource, for RBAC rules and messages. */
export const API_GROUP: Record<ResourceKind, string> = {
  nodes: '',
  pods: '',
  events: '',
  services: '',
  endpointslices: 'discovery.k8s.io',
};

/** The RBAC verbs a check needs, as `kubectl auth can-i` would phrase them. */
export function rbacFor(check: Check): string[] {
  return [...check.needs, ...check.uses].map((r) => {
    const res = API_GROUP[r] ? `${r}.${API_GROUP[r]}` : r;
    return r === 'nodes' ? `list ${res} (cluster-wide)` : `list ${res}`;
  });
}
