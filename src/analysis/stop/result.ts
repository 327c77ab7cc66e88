import type { Finding } from '../../report/types.js';
import type { Unavailable } from '../../model/types.js';
import type { ContainerStop, SliceEndpoint, StopStatic } from './static.js';
import type { TimelineEntry } from './timeline.js';
import type { TraceResult } from './trace.js';
import type { StopVerdict } from './verdict.js';
import { STOP_SCHEMA } from '../../schemas.js';

/**
 * What `podscope stop -o json` prints (DESIGN.md §3 "Stop result", schemaVersion 1). The first
 * seven keys are the contract; `node`, `endpoints`, `containers`, `verdict` and `unavailable` add to it.
 */
export interface StopResult {
  /** The JSON Schema of this document (schema/stop.schema.json). */
  $schema: typeof STOP_SCHEMA;
  schemaVersion: 1;
  pod: { namespace: string; name: string };
  services: string[];
  gracePeriodSeconds: number;
  preStopSeconds: number | null;
  timeline: TimelineEntry[] | null;
  exposureMs: number | null;
  findings: Finding[];
  node: string | null;
  endpoints: SliceEndpoint[];
  containers: ContainerStop[];
  verdict: (Omit<StopVerdict, 'exposureMs'> & { ended: TraceResult['ended'] }) | null;
  unavailable: Unavailable[];
}

/** Assembles the result from the static view, the STOP findings and, when traced, the trace and its verdict. */
export function stopResult(s: StopStatic, findings: Finding[], unavailable: Unavailable[], trace?: { result: TraceResult; verdict: StopVerdict }): StopResult {
  const u = [...unavailable];
  if (trace && 'unavailable' in trace.result.kubeProxy) {
    u.push({ input: 'kube-proxy-metrics', kind: 'failed', reason: trace.result.kubeProxy.unavailable });
  }
  const verdict = trace ? (({ exposureMs: _drop, ...rest }) => ({ ...rest, ended: trace.result.ended }))(trace.verdict) : null;
  return {
    $schema: STOP_SCHEMA,
    schemaVersion: 1,
    pod: { namespace: s.pod.namespace, name: s.pod.name },
    services: s.services.map((x) => x.name),
    gracePeriodSeconds: s.gracePeriodSeconds,
    preStopSeconds: s.preStopSeconds,
    timeline: trace ? trace.result.timeline.entries : null,
    exposureMs: trace ? trace.verdict.exposureMs : null,
    findings,
    node: s.pod.node,
    endpoints: s.endpoints,
    containers: s.containers,
    verdict,
    unavailable: u,
  };
}
