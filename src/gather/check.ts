import type { Check, Inputs } from '../checks/types.js';
import type { ResourceKind, Scope, SourceInfo, Unavailable } from '../model/types.js';
import { buildReport } from '../report/engine.js';
import type { Report } from '../report/types.js';
import type { ClusterSource } from '../source/types.js';
import { gatherInputs } from './inputs.js';

/** What `check` gathered: the union of the checks' inputs, once each, and the source's description. */
export interface CheckGathered {
  inputs: Inputs;
  unavailable: Map<ResourceKind, Unavailable>;
  info: SourceInfo;
}

/** Lists what the checks need and use (each resource once) and describes the source. */
export async function gatherCheck(source: ClusterSource, scope: Scope, checks: readonly Check[]): Promise<CheckGathered> {
  const kinds = checks.flatMap((c) => [...c.needs, ...c.uses]);
  const { inputs, unavailable } = await gatherInputs(source, scope, kinds);
  return { inputs, unavailable, info: await source.info() };
}

/** What a run of checks needs. */
export interface RunOptions {
  source: ClusterSource;
  scope: Scope;
  checks: readonly Check[];
  now: Date;
}

/** Gathers, runs every check and builds the report (`podscope check`). */
export async function runChecks(opts: RunOptions): Promise<Report> {
  const g = await gatherCheck(opts.source, opts.scope, opts.checks);
  return buildReport({ checks: opts.checks, inputs: g.inputs, unavailable: g.unavailable, source: g.info, scope: opts.scope, now: opts.now });
}
