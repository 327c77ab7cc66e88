import type { V1Pod } from '@kubernetes/client-node';
import type { PodNamespaces } from './types.js';

/**
 * The Linux namespaces a pod's containers share. Network, IPC and UTS come from the pod sandbox
 * (the pause container) unless hostNetwork/hostIPC put them in the node's; PID is per container
 * unless shareProcessNamespace (pod) or hostPID (node). Mount namespaces are never shared.
 * Source: CRI NamespaceOption (kubernetes/cri-api pkg/apis/runtime/v1/api.proto): the kubelet sets
 * network and IPC to POD or NODE, PID to CONTAINER, POD or NODE. hostNetwork also gives the node's
 * UTS: the kubelet leaves the sandbox hostname unset for host-network pods
 * (pkg/kubelet/kuberuntime/kuberuntime_sandbox.go) and containerd drops the UTS namespace with the
 * network one (internal/cri/server/podsandbox/sandbox_run_linux.go).
 */
export function podNamespaces(pod: V1Pod): PodNamespaces {
  const s = pod.spec;
  return {
    network: s?.hostNetwork ? 'host' : 'pod',
    ipc: s?.hostIPC ? 'host' : 'pod',
    uts: s?.hostNetwork ? 'host' : 'pod',
    pid: s?.hostPID ? 'host' : s?.shareProcessNamespace ? 'pod' : 'container',
  };
}

/** One line per namespace saying what it means for this pod, in the order network, ipc, uts, pid, mount. */
export function namespaceMeanings(ns: PodNamespaces): { namespace: string; scope: string; meaning: string }[] {
  return [
    {
      namespace: 'network',
      scope: ns.network,
      meaning:
        ns.network === 'host'
          ? "the node's network: ports are the node's ports (they collide with node daemons and other host-network pods), every node interface is visible"
          : 'one IP for the pod: containers reach each other on localhost; their ports must not collide',
    },
    {
      namespace: 'ipc',
      scope: ns.ipc,
      meaning:
        ns.ipc === 'host'
          ? "the node's IPC: System V shared memory and semaphores of node processes are visible"
          : 'containers share System V IPC and POSIX message queues',
    },
    {
      namespace: 'uts',
      scope: ns.uts,
      meaning: ns.uts === 'host' ? "the node's hostname (implied by hostNetwork)" : 'the pod has its own hostname (spec.hostname or the pod name)',
    },
    {
      namespace: 'pid',
      scope: ns.pid,
      meaning:
        ns.pid === 'host'
          ? 'every process on the node is visible and, with privileges, can be signalled'
          : ns.pid === 'pod'
            ? "containers see and signal each other's processes and reach their files via /proc/PID/root; PID 1 is the pause process, not the entrypoint"
            : "each container has its own process tree; its entrypoint is PID 1 and receives the stop signal",
    },
    { namespace: 'mount', scope: 'container', meaning: 'never shared: containers share files only through volumes' },
  ];
}
