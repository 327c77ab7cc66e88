import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { toDate } from '../../k8s/pod.js';
import type { TerminationView } from './types.js';

/** Container statuses of a pod by container name (init, regular and ephemeral share one name space). */
export function statusesByName(pod: V1Pod): Map<string, V1ContainerStatus> {
  const m = new Map<string, V1ContainerStatus>();
  const st = pod.status;
  for (const s of [...(st?.initContainerStatuses ?? []), ...(st?.containerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])]) m.set(s.name, s);
  return m;
}

/** A container's state in one short phrase: `running`, `waiting: CrashLoopBackOff`, `terminated: Completed (exit 0)`. */
export function stateOf(cs: V1ContainerStatus | undefined): string {
  if (!cs?.state) return 'unknown';
  const { running, waiting, terminated } = cs.state;
  if (running) return 'running';
  if (terminated) return `terminated: ${terminated.reason ?? 'unknown'} (exit ${terminated.exitCode})`;
  if (waiting) return `waiting: ${waiting.reason ?? 'unknown'}`;
  return 'unknown';
}

/** The previous termination of a container (why it last restarted), or null. */
export function lastTerminationOf(cs: V1ContainerStatus | undefined): TerminationView | null {
  const t = cs?.lastState?.terminated;
  if (!t) return null;
  return {
    reason: t.reason ?? null,
    exitCode: t.exitCode,
    signal: t.signal ?? null,
    finishedAt: toDate(t.finishedAt)?.toISOString() ?? null,
  };
}

/**
 * What an exit code says, for people: 137 = SIGKILL (OOM killer, or the kubelet after the grace
 * period), 143 = SIGTERM, other values above 128 = a signal; 0 = clean exit.
 */
export function exitMeaning(code: number, reason: string | null): string {
  if (reason === 'OOMKilled') return 'killed by the kernel OOM killer (memory limit reached)';
  if (code === 0) return 'exited cleanly';
  // Reason Unknown (often exit 255): the runtime lost the container, typically a node or runtime restart.
  if (reason === 'Unknown') return 'lost by the runtime (node or container runtime restart); how it ended is unknown';
  if (code === 137) return 'SIGKILL (OOM killer, or killed after the grace period / failed liveness probe)';
  if (code === 143) return 'SIGTERM (asked to stop)';
  if (code === 139) return 'SIGSEGV (crashed)';
  if (code > 128 && code < 160) return `signal ${code - 128}`;
  return `exited with an error (${code})`;
}
