import { knownBadFor } from './known-bad.js';
import type { CauseId } from './signatures.js';
import type { NodeInputs } from './types.js';

/**
 * What to do per cause: concrete commands on the node and kubelet settings. Sources: the fixes
 * in shared/reference/kubernetes.md §4 (AWS, Rancher, Red Hat write-ups and the issues cited there).
 */
export function remediationFor(id: CauseId, inp: NodeInputs): string {
  const n = inp.name === '-' ? 'the node' : inp.name;
  switch (id) {
    case 'runtime-rpc-timeout':
      return `On ${n}: time crictl pods; time crictl ps -a (docker: time docker ps). Find the container whose inspect hangs (crictl inspect ID / docker inspect ID for each) and the pod behind it (often a hung NFS or CSI mount). Restart the runtime (systemctl restart containerd, crio or docker), then the kubelet. Each CRI call waits up to runtimeRequestTimeout (default 2m).`;
    case 'runtime-down':
      return `On ${n}: systemctl status containerd (or crio, docker) and journalctl -u containerd -n 200; check that the socket in the kubelet's containerRuntimeEndpoint exists; restart the runtime, then the kubelet (systemctl restart containerd kubelet).`;
    case 'pod-density':
      return `Fewer pods and containers per node: lower maxPods in the kubelet config (default 110), spread workloads over more or smaller nodes, cut pod churn, and remove exited containers (crictl rm $(crictl ps -a -q --state exited)). Watch kubelet_pleg_relist_duration_seconds p99 (KubeletPlegDurationHigh fires at 10s).`;
    case 'relist-deadlock':
      return `Upgrade the kubelet to 1.14 or later (relist deadlock kubernetes#72482, fixed by PR #72709). Stop-gap: systemctl restart kubelet on ${n}.`;
    case 'cni-failure':
      return `Check the CNI plugin on ${n}: its daemonset pod (kubectl get pods -A -o wide --field-selector spec.nodeName=${n}) and logs, /etc/cni/net.d, and stuck sandboxes (crictl pods --state notready). Restart or upgrade the plugin; with Calico, check IPAM block fragmentation (calicoctl ipam check).`;
    case 'disk-io':
      return `On ${n}: iostat -x 5, and look for the runtime in D state (ps -eo state,pid,cmd | grep '^D'). Put /var/lib/containerd (or /var/lib/docker) on faster disks or provisioned IOPS (burst credits run out on small gp2 volumes), prune images (crictl rmi --prune), use images with fewer layers.`;
    case 'pid-exhaustion':
      return `On ${n}: compare ps -eLf | wc -l with /proc/sys/kernel/pid_max and find the pod that forks without bound. Set podPidsLimit in the kubelet config and reserve PIDs (--system-reserved pid=1000 --kube-reserved pid=1000); watch the PIDPressure condition.`;
    case 'resource-starvation':
      return `Reserve resources for the kubelet and runtime: kubeReserved and systemReserved (e.g. cpu: 500m, memory: 512Mi each) and evictionHard memory.available; check load and OOM kills on ${n} (uptime; dmesg -T | grep -i oom); lower the probe frequency of heavy pods.`;
    case 'known-bad-version': {
      const fixes = knownBadFor(inp.node?.status?.nodeInfo).map(({ release }) => release.fix);
      return fixes.length ? `${fixes.join('; ')}. Then drain and restart the node.` : 'Upgrade the affected component.';
    }
  }
}
