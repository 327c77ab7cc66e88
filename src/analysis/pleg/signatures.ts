/**
 * What the kubelet log scan looks for. Each signature has literal `keys` (the cheap prefilter: a
 * line is only parsed when it contains one) and a regex tried on the parsed message. Strings come
 * from kubernetes/kubernetes pkg/kubelet (kubelet.go syncLoop, pleg/generic.go, runtime.go,
 * kuberuntime, remote runtime), cAdvisor's fs handler and the issues cited in
 * shared/reference/kubernetes.md §1.3 and §4.
 */

/** A cause id of the PLEG diagnosis (DESIGN.md §3; stable). */
export type CauseId =
  | 'runtime-rpc-timeout'
  | 'runtime-down'
  | 'pod-density'
  | 'relist-deadlock'
  | 'cni-failure'
  | 'disk-io'
  | 'pid-exhaustion'
  | 'resource-starvation'
  | 'known-bad-version';

/** Every cause id, in the order the catalogue lists them. */
export const CAUSE_IDS: readonly CauseId[] = [
  'runtime-rpc-timeout', 'runtime-down', 'pod-density', 'relist-deadlock', 'cni-failure', 'disk-io',
  'pid-exhaustion', 'resource-starvation', 'known-bad-version',
];

/** Ids of what the scan counts. */
export type SignatureId =
  | 'pleg-unhealthy'
  | 'pleg-not-yet'
  | 'pid'
  | 'cni'
  | 'cni-not-ready'
  | 'disk'
  | 'relist-dump'
  | 'runtime-down'
  | 'runtime-unreachable'
  | 'pleg-relist-error'
  | 'cri-deadline'
  | 'starvation'
  | 'channel-full'
  | 'kubelet-start'
  | 'node-ready'
  | 'node-not-ready'
  | 'runtime-status-pending'
  | 'cni-dump'
  | 'evented-pleg';

/** One thing the scan looks for. */
export interface Signature {
  id: SignatureId;
  /** Literal substrings, one of which every matching line contains. */
  keys: string[];
  re: RegExp;
  /** A line that also matches this is not counted (e.g. image pulls that time out). */
  unless?: RegExp;
  /**
   * `cause` signatures are exclusive (the first that matches a line takes it, so a PID-exhaustion
   * `du` failure is not also counted as a disk stall); `symptom` signatures are always tried.
   */
  group: 'cause' | 'symptom';
}

/** Signatures in the order they are tried: specific root causes before generic CRI timeouts. */
export const SIGNATURES: readonly Signature[] = [
  {
    // Any form: bracketed (1.6–1.9), bare, structured err="...", JSON, with the threshold cut off or
    // missing, or with a duration a paste broke (`3m0.32 2579259s`): m[1] is then unreadable.
    id: 'pleg-unhealthy',
    group: 'symptom',
    keys: ['pleg was last seen active'],
    re: /pleg was last seen active (.{0,40}?) ago(?:; threshold is ([0-9hmsuµμn.]+))?|pleg was last seen active/,
  },
  { id: 'pleg-not-yet', group: 'symptom', keys: ['pleg has yet to be successful'], re: /pleg has yet to be successful/ },
  {
    id: 'kubelet-start',
    group: 'symptom',
    keys: ['Kubelet version', 'Version: v', 'Starting kubelet', 'Started kubelet', 'Started Kubernetes Kubelet'],
    re: /"Kubelet version" kubeletVersion="(v?\d+\.\d+\.\d+[^"]*)"|^Version: (v\d+\.\d+\.\d+\S*)|^Starting kubelet main sync loop|Started (?:kubelet|Kubernetes Kubelet)/,
  },
  {
    id: 'node-ready',
    group: 'symptom',
    keys: ['NodeReady'],
    re: /Recording NodeReady event|event="NodeReady"/,
  },
  {
    id: 'node-not-ready',
    group: 'symptom',
    keys: ['NodeNotReady', 'Node became not ready'],
    re: /Recording NodeNotReady event|event="NodeNotReady"|Node became not ready/,
  },
  {
    // runtime.go runtimeErrors: the runtime's Status call has not succeeded for 30s (hung or gone).
    id: 'runtime-down',
    group: 'symptom',
    keys: ['runtime is down', 'runtime is not running'],
    re: /container runtime is down|[Cc]ontainer runtime is not running/,
  },
  {
    // runtime.go: the first runtime Status call has not returned; normal only right after a start.
    id: 'runtime-status-pending',
    group: 'symptom',
    keys: ['may not have completed yet'],
    re: /container runtime status check may not have completed yet/,
  },
  { id: 'evented-pleg', group: 'symptom', keys: ['EventedPLEG:true'], re: /EventedPLEG:true/ },
  {
    id: 'channel-full',
    group: 'symptom',
    keys: ['channel is full', 'channel capacity is full'],
    re: /[Ee]vent channel is full|pleg event channel capacity is full/,
  },
  {
    // issue kubernetes#79466, #54313: fork fails when the node is out of PIDs.
    id: 'pid',
    group: 'cause',
    keys: ['resource temporarily unavailable', 'Resource temporarily unavailable', 'pthread_create', 'new OS thread', 'read init-p', 'resourceName="pids"', 'reclaim pids'],
    re: /(?:fork\/exec \S+|fork|clone|vfork|pthread_create(?: failed)?): [Rr]esource temporarily unavailable|pthread_create failed|failed to create new OS thread|read init-p: connection reset by peer|attempting to reclaim" resourceName="pids"|attempting to reclaim pids/,
  },
  {
    // PR kubernetes#44991, issue #107749: CNI status/teardown hangs block sandbox status calls.
    id: 'cni',
    group: 'cause',
    // dockershim (NetworkPlugin cni ...), containerd (failed to destroy network for sandbox ... plugin
    // type="calico" failed (delete)), CRI-O (error removing pod ... from CNI network), weave and
    // aws-vpc-cni IPAM wordings.
    keys: ['NetworkPlugin cni', 'network for sandbox', 'network for pod sandbox', 'failed (add)', 'failed (delete)', 'failed (check)', 'CNI request', 'ClusterInformation', 'CNI failed to retrieve', 'from CNI network', 'netplugin failed', 'IP address', 'network namespace for sandbox', 'sandbox container'],
    re: /NetworkPlugin cni failed|failed to (?:set ?up|tear ?down|destroy|setup|teardown) network for (?:pod )?sandbox|failed to set up sandbox container "[^"]*" network|plugin type="[^"]+"(?: name="[^"]+")? failed \((?:add|delete|check)\)|CNI request timed out|error getting ClusterInformation|CNI failed to retrieve network namespace path|from CNI network|netplugin failed|unable to (?:allocate|release) IP address|failed to assign an IP address/,
  },
  {
    // Start-up noise while the CNI daemonset is not yet running (counted apart, judged by time).
    id: 'cni-not-ready',
    group: 'cause',
    keys: ['NetworkPluginNotReady', 'cni plugin not initialized', 'cni config uninitialized'],
    re: /NetworkPluginNotReady|cni plugin not initialized|cni config uninitialized/,
  },
  {
    // cAdvisor fs handler (issues kubernetes#61999, #23255): du/find killed or slow.
    id: 'disk',
    group: 'cause',
    keys: ['killing cmd', 'filesystem stats', 'du command', 'on following dirs took'],
    re: /killing cmd \[[^\]]*\bdu\b[^\]]*\] due to timeout|failed to collect filesystem stats|du command failed|(?:du and find|disk usage and inodes count) on following dirs took/,
  },
  {
    // issue kubernetes#72482: relist blocked on `chan send` (a goroutine dump of the kubelet).
    id: 'relist-dump',
    group: 'cause',
    keys: ['GenericPLEG).relist'],
    re: /\(\*GenericPLEG\)\.relist/,
  },
  {
    // A goroutine dump (or pprof goroutine profile) with the kubelet inside the CNI status call
    // (kubernetes#45419 dumps, projectcalico/calico#2098): the relist waits on a hung plugin.
    id: 'cni-dump',
    group: 'cause',
    keys: ['GetPodNetworkStatus'],
    re: /\(\*PluginManager\)\.GetPodNetworkStatus/,
  },
  {
    // Connection refused / no socket: the runtime is not running at all.
    id: 'runtime-unreachable',
    group: 'cause',
    // Numeric gRPC code 14 is Unavailable (grpc-go codes.go): the socket does not answer at all.
    keys: ['Cannot connect to the Docker', 'Error while dialing', 'docker daemon running', 'connection is unavailable', 'code = 14'],
    re: /Cannot connect to the Docker daemon|Is the docker daemon running|Error while dialing:? dial unix \S+\.sock: connect: (?:connection refused|no such file or directory)|rpc error: code = (?:14|Unavailable) desc = grpc: the connection is unavailable/,
  },
  {
    id: 'pleg-relist-error',
    group: 'cause',
    keys: ['Unable to retrieve pods'],
    re: /GenericPLEG: Unable to retrieve pods/,
  },
  {
    id: 'cri-deadline',
    group: 'cause',
    // Only CRI calls: probes and webhooks also say "context deadline exceeded". Older wordings: the
    // numeric gRPC code 4 (DeadlineExceeded, before grpc-go printed names), dockertools'
    // `operation timeout: context deadline exceeded` (1.5–1.8), and dockerd's own log when the
    // kubelet gave up waiting on a list (`Handler for GET /containers/json returned error: write
    // unix ...: broken pipe`, moby#22221, amazon-eks-ami#195).
    keys: ['DeadlineExceeded', 'deadline exceeded', 'statusError{Code:4', 'returned error: write unix'],
    re: /rpc error: code = (?:DeadlineExceeded|4) desc|statusError\{Code:4\b|operation timeout: context deadline exceeded|Handler for GET \/(?:v[\d.]+\/)?containers\/(?:json|[0-9a-f]+\/json)\S* returned error: write unix \S+: write: broken pipe|(?:runtime service|GenericPLEG|PodSandbox|ContainerStatus|ListContainers|garbage collection|Failed cleaning pods)[^\n]*context deadline exceeded/,
    unless: /PullImage|[Pp]ull(?:ing)? image|ErrImagePull|image service/,
  },
  {
    // kubelet housekeeping/eviction under CPU or memory starvation (AWS KB in reference §4).
    id: 'starvation',
    group: 'cause',
    keys: ['ousekeeping took', 'attempting to reclaim', 'System OOM'],
    re: /[Hh]ousekeeping took (?:longer than expected|too long)|attempting to reclaim" resourceName="memory"|attempting to reclaim memory|System OOM encountered/,
  },
];

/** CRI calls on the relist path (pkg/kubelet/kuberuntime): their timeouts stall PLEG directly. */
export const RELIST_CALLS = ['ListPodSandbox', 'ListContainers', 'PodSandboxStatus', 'ContainerStatus', 'GetPods', 'ListPodSandboxStatus'];

/** The CRI call a line names, if any (for evidence like `ListPodSandbox ×12`). */
export function criCallOf(text: string): string | null {
  const m = /\b(ListPodSandbox|ListContainers|PodSandboxStatus|ContainerStatus|ListPodSandboxStats|ListContainerStats|ContainerStats|StopPodSandbox|RunPodSandbox|RemovePodSandbox|StopContainer|RemoveContainer|CreateContainer|StartContainer|ImageFsInfo|ListImages|PullImage|ExecSync|Version|Status)\b/.exec(
    text,
  );
  if (m) return m[1];
  if (text.includes('GenericPLEG')) return 'GenericPLEG relist';
  if (/GET \/(?:v[\d.]+\/)?containers\/json/.test(text)) return 'ListContainers';
  // Messages that describe the call in words (kuberuntime_sandbox.go, kubelet_pods.go, kuberuntime_gc.go).
  if (/list(?:ing)? pod sandboxes/i.test(text)) return 'ListPodSandbox';
  if (/listing containers/i.test(text)) return 'ListContainers';
  if (/stop sandbox/i.test(text)) return 'StopPodSandbox';
  if (/garbage collection|Failed cleaning pods|Container GC/i.test(text)) return 'garbage collection';
  return null;
}

/** A regex source that matches any key of every signature (the scan's prefilter). */
export function prefilterSource(): string {
  const keys = [...new Set(SIGNATURES.flatMap((s) => s.keys))];
  return keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
