import type { V1Pod, V1PodAffinityTerm } from '@kubernetes/client-node';
import { matches } from '../../parse/selector.js';
import { podKey, selectorOf, selects } from './pod-selector.js';
import type { PodSelector } from './pod-selector.js';
import type { FilterPlugin, NodeView } from './types.js';
import { fail } from './types.js';

/** A required (anti-)affinity term, resolved against the pod that declares it. */
interface Term {
  raw: V1PodAffinityTerm;
  key: string;
  namespaces: Set<string>;
  nsSelector: PodSelector;
  selector: PodSelector;
}

/**
 * Resolves a term (kube-scheduler framework/types.go `newAffinityTerm`): no namespaces and no
 * namespaceSelector means the owner's namespace. Namespace labels are not gathered, so a
 * namespaceSelector is evaluated against `kubernetes.io/metadata.name` only (`{}` matches all).
 */
function resolve(owner: V1Pod, t: V1PodAffinityTerm): Term {
  const own = owner.metadata?.namespace ?? 'default';
  const list = t.namespaces ?? [];
  return {
    raw: t,
    key: t.topologyKey,
    namespaces: new Set(list.length === 0 && !t.namespaceSelector ? [own] : list),
    nsSelector: selectorOf(t.namespaceSelector),
    selector: selectorOf(t.labelSelector),
  };
}

function termMatches(t: Term, p: V1Pod): boolean {
  const ns = p.metadata?.namespace ?? 'default';
  const nsOk = t.namespaces.has(ns) || (t.nsSelector.reqs !== null && matches(t.nsSelector.reqs, { 'kubernetes.io/metadata.name': ns }));
  return nsOk && selects(t.selector, p.metadata?.labels);
}

const termCache = new WeakMap<V1Pod, { aff: Term[]; anti: Term[] }>();

function requiredTerms(p: V1Pod, anti: boolean): Term[] {
  let c = termCache.get(p);
  if (!c) {
    const resolveAll = (a: { requiredDuringSchedulingIgnoredDuringExecution?: V1PodAffinityTerm[] } | undefined) => (a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => resolve(p, t));
    c = { aff: resolveAll(p.spec?.affinity?.podAffinity), anti: resolveAll(p.spec?.affinity?.podAntiAffinity) };
    termCache.set(p, c);
  }
  return anti ? c.anti : c.aff;
}

function bump(m: Map<string, number>, n: NodeView, key: string): void {
  const v = n.labels[key];
  if (v === undefined) return;
  const k = `${key}\u0000${v}`;
  m.set(k, (m.get(k) ?? 0) + 1);
}

function at(m: Map<string, number>, key: string, value: string | undefined): number {
  return value === undefined ? 0 : (m.get(`${key}\u0000${value}`) ?? 0);
}

/**
 * InterPodAffinity: the pod's required affinity (every term must find a matching pod in the node's
 * domain, unless no pod matches anywhere and the pod matches its own terms), its required
 * anti-affinity, and existing pods' anti-affinity against it
 * (pkg/scheduler/framework/plugins/interpodaffinity/filtering.go).
 */
export const interPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  setup({ pod, nodes }) {
    const aff = requiredTerms(pod, false);
    const anti = requiredTerms(pod, true);
    const affCounts = new Map<string, number>();
    const antiCounts = new Map<string, number>();
    const existing = new Map<string, number>();
    const existingBy = new Map<string, string>();
    const self = podKey(pod);
    const own = aff.length > 0 || anti.length > 0;
    for (const n of nodes) {
      for (const p of n.pods) {
        // Most pods have no affinity at all: skip them unless the incoming pod has terms to count.
        if (!own && !p.spec?.affinity?.podAntiAffinity) continue;
        if (aff.length > 0 && aff.every((t) => termMatches(t, p))) for (const t of aff) bump(affCounts, n, t.key);
        for (const t of anti) if (termMatches(t, p)) bump(antiCounts, n, t.key);
        if (podKey(p) === self) continue;
        for (const t of requiredTerms(p, true)) {
          if (!termMatches(t, pod)) continue;
          bump(existing, n, t.key);
          if (n.labels[t.key] !== undefined) existingBy.set(`${t.key}\u0000${n.labels[t.key]}`, podKey(p));
        }
      }
    }
    const selfMatchesAll = aff.length > 0 && aff.every((t) => termMatches(t, pod));
    return (n) => {
      let podsExist = true;
      for (const t of aff) {
        if (!(t.key in n.labels)) return fail("node(s) didn't match pod affinity rules", `node has no ${t.key} label`);
        if (at(affCounts, t.key, n.labels[t.key]) <= 0) podsExist = false;
      }
      if (!podsExist && !(affCounts.size === 0 && selfMatchesAll)) {
        return fail("node(s) didn't match pod affinity rules", 'no pod matching the required affinity in this node\'s topology domain');
      }
      for (const t of anti) {
        if (at(antiCounts, t.key, n.labels[t.key]) > 0) {
          return fail("node(s) didn't match pod anti-affinity rules", `a pod matching the required anti-affinity is already in ${t.key}=${n.labels[t.key]}`);
        }
      }
      for (const [k, v] of Object.entries(n.labels)) {
        if (at(existing, k, v) > 0) {
          return fail("node(s) didn't satisfy existing pods anti-affinity rules", `pod ${existingBy.get(`${k}\u0000${v}`) ?? '?'} has required anti-affinity against this pod in ${k}=${v}`);
        }
      }
      return null;
    };
  },
};

/** The required anti-affinity terms of a pod, for hints (topology keys). */
export function antiAffinityKeys(pod: V1Pod): string[] {
  return requiredTerms(pod, true).map((t) => t.key);
}

/** Whether a pod's labels match its own required anti-affinity (replicas repel each other). */
export function selfAntiAffine(pod: V1Pod): boolean {
  return requiredTerms(pod, true).some((t) => termMatches(t, pod));
}

