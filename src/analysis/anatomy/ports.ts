import type { V1Pod } from '@kubernetes/client-node';
import { isNativeSidecar } from './roles.js';

/** One port declared by more than one container that run at the same time in one network namespace. */
export interface PortCollision {
  port: number;
  protocol: string;
  containers: string[];
}

/**
 * Ports declared twice among containers that run together: regular containers and native sidecars
 * (regular init containers have exited before the others start, so they cannot collide with them).
 * The API server accepts such pods (only hostPorts are checked for duplicates), but only one
 * process can bind the port; the other fails with "address already in use".
 * Reads the spec directly (no role placement): it runs on every pod of a cluster.
 */
export function portCollisions(pod: V1Pod): PortCollision[] {
  const running = [...(pod.spec?.initContainers ?? []).filter(isNativeSidecar), ...(pod.spec?.containers ?? [])];
  if (running.filter((c) => c.ports?.length).length < 2) return [];
  const by = new Map<string, PortCollision>();
  for (const c of running) {
    for (const port of c.ports ?? []) {
      const protocol = port.protocol ?? 'TCP';
      const key = `${port.containerPort}/${protocol}`;
      const entry = by.get(key) ?? { port: port.containerPort, protocol, containers: [] };
      if (!entry.containers.includes(c.name)) entry.containers.push(c.name);
      by.set(key, entry);
    }
  }
  return [...by.values()].filter((c) => c.containers.length > 1).sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1));
}
