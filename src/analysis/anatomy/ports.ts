import type { PlacedContainer } from './roles.js';

/** One port declared by more than one container that run at the same time in one network namespace. */
export interface PortCollision {
  port: number;
  protocol: string;
  containers: string[];
}

/**
 * Ports declared twice among containers that run together: regular containers and native sidecars
 * (regular init containers have exited before the others start, so they cannot collide with them).
 * The API server accepts such pods (only the hostPort is checked for duplicates), but only one
 * process can bind the port; the other fails with "address already in use".
 */
export function portCollisions(placed: PlacedContainer[]): PortCollision[] {
  const by = new Map<string, PortCollision>();
  for (const p of placed) {
    if (p.view.role === 'init') continue;
    for (const port of p.view.ports) {
      const key = `${port.containerPort}/${port.protocol}`;
      const entry = by.get(key) ?? { port: port.containerPort, protocol: port.protocol, containers: [] };
      if (!entry.containers.includes(p.view.name)) entry.containers.push(p.view.name);
      by.set(key, entry);
    }
  }
  return [...by.values()].filter((c) => c.containers.length > 1).sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1));
}
