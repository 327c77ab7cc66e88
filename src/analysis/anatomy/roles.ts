import type { V1Container, V1EphemeralContainer, V1Pod } from '@kubernetes/client-node';
import { SIDECAR_PATTERNS, detectByBehaviour, detectPattern } from './patterns.js';
import type { PatternGuess } from './patterns.js';
import { lastTerminationOf, stateOf, statusesByName } from './status.js';
import type { ContainerView, PortView } from './types.js';

/** Annotation naming the pod's main container (kubectl's default for logs and exec). */
export const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

/** A container spec as the anatomy sees it, whatever list it came from. */
export interface PlacedContainer {
  spec: V1Container | V1EphemeralContainer;
  view: ContainerView;
}

/** Whether a pod can have a classic sidecar at all (two or more regular containers): a cheap pre-filter for checks. */
export function mayHaveClassicSidecar(pod: V1Pod): boolean {
  return (pod.spec?.containers?.length ?? 0) > 1;
}

/** Whether a pod has a native sidecar: a cheap pre-filter for checks. */
export function hasNativeSidecar(pod: V1Pod): boolean {
  return (pod.spec?.initContainers ?? []).some(isNativeSidecar);
}

/** Whether an init container is a native sidecar (KEP-753: `restartPolicy: Always`; beta 1.29, GA 1.33). */
export function isNativeSidecar(c: V1Container): boolean {
  return c.restartPolicy === 'Always';
}

function portsOf(c: V1Container | V1EphemeralContainer): PortView[] {
  return (c.ports ?? []).map((p) => ({ containerPort: p.containerPort, protocol: p.protocol ?? 'TCP', name: p.name ?? null, hostPort: p.hostPort ?? null }));
}

/**
 * Decides which regular containers are classic sidecars: a container with a sidecar pattern, when
 * the pod has another container that is not one (a pod of only proxies is a proxy app, such as a
 * gateway). The default-container annotation always names an app.
 */
function classicSidecars(pod: V1Pod, guesses: Map<string, PatternGuess | null>): Set<string> {
  const main = pod.metadata?.annotations?.[DEFAULT_CONTAINER];
  const regular = pod.spec?.containers ?? [];
  const looksSidecar = (c: V1Container) => {
    const p = guesses.get(c.name)?.pattern;
    return c.name !== main && p !== undefined && SIDECAR_PATTERNS.has(p);
  };
  if (!regular.some((c) => !looksSidecar(c))) return new Set();
  return new Set(regular.filter(looksSidecar).map((c) => c.name));
}

/** The pattern guess of every container by name (init containers first: a regular container of the same name wins). */
function guessesOf(all: V1Container[]): Map<string, PatternGuess | null> {
  return new Map<string, PatternGuess | null>(all.map((c) => [c.name, detectPattern(c) ?? detectByBehaviour(c, all)]));
}

/** Names of the pod's classic sidecars, as containerPlaces decides them, without reading anything else. */
export function classicSidecarNames(pod: V1Pod): Set<string> {
  const init = pod.spec?.initContainers ?? [];
  const regular = pod.spec?.containers ?? [];
  // One regular container is always the app: no guess needed (most pods).
  if (regular.length < 2) return new Set();
  return classicSidecars(pod, guessesOf([...init, ...regular]));
}

/** Where a container stands in the pod (role, start and stop steps, guessed pattern), before its status is read. */
export interface ContainerPlace {
  spec: V1Container | V1EphemeralContainer;
  role: ContainerView['role'];
  sidecar: ContainerView['sidecar'];
  startOrder: number | null;
  stopOrder: number | null;
  pattern: PatternGuess['pattern'] | null;
  patternReason: string | null;
}

/**
 * Every container of the pod in start order, with its role and its start and stop steps.
 * Start (kubelet, pkg/kubelet/kuberuntime/kuberuntime_manager.go SyncPod): init containers one at
 * a time, each to completion; a native sidecar is started and the next init container starts once
 * its startupProbe succeeds (or at once without one); then regular containers in list order without
 * waiting for each other, except that a postStart hook blocks the containers after it (the
 * mechanism behind Istio's holdApplicationUntilProxyStarts and Linkerd's proxy-await).
 * Stop (website pod-lifecycle.md §Pod termination): regular and ephemeral containers get TERM
 * together; native sidecars after the last of them has exited, in reverse order of definition.
 * Reads the spec only: checks that run on every pod use this, placeContainers adds the status.
 */
export function containerPlaces(pod: V1Pod): ContainerPlace[] {
  const init = pod.spec?.initContainers ?? [];
  const regular = pod.spec?.containers ?? [];
  const all = init.length ? [...init, ...regular] : regular;
  const guesses = guessesOf(all);
  const classic = regular.length > 1 ? classicSidecars(pod, guesses) : new Set<string>();
  const natives = init.filter(isNativeSidecar);
  const out: ContainerPlace[] = [];
  const place = (c: V1Container | V1EphemeralContainer, v: Pick<ContainerPlace, 'role' | 'sidecar' | 'startOrder' | 'stopOrder'> & { guess?: PatternGuess | null; reason?: string }): ContainerPlace => ({
    spec: c,
    role: v.role,
    sidecar: v.sidecar,
    startOrder: v.startOrder,
    stopOrder: v.stopOrder,
    pattern: v.guess?.pattern ?? null,
    patternReason: v.reason ?? v.guess?.reason ?? null,
  });
  let step = 0;
  for (const c of init) {
    step += 1;
    const native = isNativeSidecar(c);
    out.push(place(c, { role: native ? 'sidecar' : 'init', sidecar: native ? 'native' : null, startOrder: step, stopOrder: native ? 1 + natives.length - natives.indexOf(c) : null, guess: guesses.get(c.name) }));
  }
  step += 1;
  for (const c of regular) {
    const isClassic = classic.has(c.name);
    out.push(place(c, { role: isClassic ? 'sidecar' : 'app', sidecar: isClassic ? 'classic' : null, startOrder: step, stopOrder: 1, guess: guesses.get(c.name) }));
    if (c.lifecycle?.postStart) step += 1;
  }
  for (const c of pod.spec?.ephemeralContainers ?? []) {
    const target = c.targetContainerName ? `, in the process namespace of ${c.targetContainerName}` : '';
    out.push(place(c, { role: 'ephemeral', sidecar: null, startOrder: null, stopOrder: 1, reason: `debug container added by kubectl debug${target}` }));
  }
  return out;
}

/** Every container of the pod as containerPlaces orders it, with its status (state, restarts, readiness). */
export function placeContainers(pod: V1Pod): PlacedContainer[] {
  const statuses = statusesByName(pod);
  return containerPlaces(pod).map((p) => {
    const c = p.spec;
    const cs = statuses.get(c.name);
    return {
      spec: c,
      view: {
        name: c.name,
        role: p.role,
        sidecar: p.sidecar,
        pattern: p.pattern,
        startOrder: p.startOrder,
        stopOrder: p.stopOrder,
        ports: portsOf(c),
        state: stateOf(cs),
        restarts: cs?.restartCount ?? 0,
        image: c.image ?? '',
        patternReason: p.patternReason,
        ready: cs ? cs.ready : null,
        lastTermination: lastTerminationOf(cs),
      },
    };
  });
}
