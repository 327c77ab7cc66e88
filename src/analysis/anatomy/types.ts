import type { Finding } from '../../report/types.js';
import type { INSPECT_SCHEMA } from '../../schemas.js';

/** Where a pod's containers get a Linux namespace from: the pod sandbox, the node, or their own. */
export type NamespaceScope = 'pod' | 'host';

/** The namespaces of a pod (DESIGN.md §3 "Pod anatomy result"). */
export interface PodNamespaces {
  network: NamespaceScope;
  ipc: NamespaceScope;
  uts: NamespaceScope;
  pid: 'container' | 'pod' | 'host';
}

/** What a container is for in the pod's lifecycle. */
export type ContainerRole = 'init' | 'sidecar' | 'app' | 'ephemeral';

/** What a container looks like it does, guessed from image, name, ports and mounts. */
export type ContainerPattern =
  | 'proxy'
  | 'proxy-init'
  | 'log-shipper'
  | 'adapter'
  | 'ambassador'
  | 'secret-agent'
  | 'config-reloader';

/** A declared container port. */
export interface PortView {
  containerPort: number;
  protocol: string;
  name: string | null;
  hostPort: number | null;
}

/** A container's previous termination, from its status. */
export interface TerminationView {
  reason: string | null;
  exitCode: number;
  signal: number | null;
  finishedAt: string | null;
}

/** One container of the anatomy, in start order. */
export interface ContainerView {
  name: string;
  role: ContainerRole;
  sidecar: 'native' | 'classic' | null;
  pattern: ContainerPattern | null;
  /** Start step: containers with the same number start together; null for ephemeral containers. */
  startOrder: number | null;
  /** Stop step: containers with the same number get TERM together; null for init containers (already exited). */
  stopOrder: number | null;
  ports: PortView[];
  /** running, waiting: REASON, terminated: REASON (exit N), or unknown (no status: a template or a new pod). */
  state: string;
  restarts: number;
  // Additive fields beyond DESIGN.md's contract:
  image: string;
  /** Why podscope guessed the pattern. */
  patternReason: string | null;
  ready: boolean | null;
  /** Why it last stopped (its previous termination), or null. */
  lastTermination: TerminationView | null;
}

/** Who mounts a volume where. */
export interface MountView {
  container: string;
  readOnly: boolean;
  path: string;
}

/** One volume and its mounts. */
export interface VolumeView {
  name: string;
  type: string;
  mounts: MountView[];
  // Additive fields beyond DESIGN.md's contract:
  /** What backs it (configMap name, hostPath path, claim name), never Secret data. */
  source: string | null;
  /** How containers share it (writer → reader), or null when one container or none mounts it. */
  sharing: string | null;
}

/** What `podscope inspect -o json` prints (DESIGN.md §3; the container and volume extras are additive). */
export interface AnatomyResult {
  /** The JSON Schema of this document (schema/inspect.schema.json). */
  $schema: typeof INSPECT_SCHEMA;
  schemaVersion: 1;
  pod: { namespace: string; name: string };
  namespaces: PodNamespaces;
  containers: ContainerView[];
  volumes: VolumeView[];
  findings: Finding[];
}
