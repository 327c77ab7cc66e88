import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import type { SourceInfo, Unavailable } from '../../model/types.js';
import type { LogScan } from './logscan.js';
import type { KubeletMetrics } from './metrics.js';
import type { CauseId } from './signatures.js';
import type { PLEG_SCHEMA } from '../../schemas.js';

/** PLEG health of a node. */
export type PlegStatus = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

/** One likely cause, with what supports it and what to do (DESIGN.md §3). */
export interface PlegCause {
  id: CauseId;
  /** 0..1, ranked highest first. */
  confidence: number;
  evidence: string[];
  remediation: string;
}

/** The diagnosis of one node (DESIGN.md §3 "PLEG diagnosis result"). */
export interface NodeDiagnosis {
  name: string;
  status: PlegStatus;
  plegLastSeenSeconds: number | null;
  relist: { p50: number; p99: number; saturated: boolean } | null;
  causes: PlegCause[];
  unavailable: Unavailable[];
  /** Why the status is what it is (additive to the contract). */
  symptoms: string[];
  /** How metrics were read: `rate` (two scrapes), `totals` (one), or null (none). Additive. */
  metricsMode: 'rate' | 'totals' | null;
}

/** What `podscope pleg` returns. */
export interface PlegResult {
  /** The JSON Schema of this document (schema/pleg.schema.json). */
  $schema: typeof PLEG_SCHEMA;
  schemaVersion: 1;
  generatedAt: string;
  source: SourceInfo | null;
  /** How the nodes were chosen, and how many were looked at to choose them. */
  selection: { mode: 'named' | 'all' | 'default' | 'log'; considered: number };
  nodes: NodeDiagnosis[];
}

/** Everything known about one node, gathered before the (pure) diagnosis. */
export interface NodeInputs {
  name: string;
  node?: V1Node;
  /** Events about the node or its pods (already filtered to this node). */
  events?: CoreV1Event[];
  /** Pods bound to the node. */
  pods?: V1Pod[];
  metrics?: KubeletMetrics;
  /** When the (latest) scrape was taken, if known: needed to turn last-seen into an age. */
  metricsAt?: Date | null;
  log?: LogScan;
  unavailable: Unavailable[];
  now: Date;
}
