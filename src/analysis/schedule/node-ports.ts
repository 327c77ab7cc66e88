import type { V1ContainerPort, V1Pod } from '@kubernetes/client-node';
import type { FilterPlugin } from './types.js';
import { fail } from './types.js';

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/**
 * The host ports a pod holds: app containers and native sidecars only, since other init containers
 * have exited before the app starts (pkg/scheduler/util/utils.go `GetHostPorts`); hostPort 0 holds none.
 */
export function hostPorts(pod: V1Pod): HostPort[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const all: V1ContainerPort[] = [...sidecars, ...(pod.spec?.containers ?? [])].flatMap((c) => c.ports ?? []);
  return all
    .filter((p) => (p.hostPort ?? 0) > 0)
    .map((p) => ({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort ?? 0 }));
}

/** Two host ports conflict on the same protocol and port when either binds 0.0.0.0 or both bind the same IP (framework HostPortInfo). */
function conflicts(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === '0.0.0.0' || b.ip === '0.0.0.0' || a.ip === b.ip);
}

/** NodePorts: a hostPort already taken on the node (pkg/scheduler/framework/plugins/nodeports/node_ports.go). */
export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  setup({ pod }) {
    const want = hostPorts(pod);
    return (n) => {
      if (want.length === 0) return null;
      for (const other of n.pods) {
        for (const used of hostPorts(other)) {
          const hit = want.find((w) => conflicts(w, used));
          if (hit) return fail("node(s) didn't have free ports for the requested pod ports", `hostPort ${hit.port}/${hit.protocol} used by pod ${other.metadata?.namespace}/${other.metadata?.name}`);
        }
      }
      return null;
    };
  },
};
