import { parseGoDuration } from './duration.js';

/** One error out of a node Ready condition message, classified. */
export type ConditionPart =
  | { kind: 'pleg-unhealthy'; text: string; lastSeenSeconds: number | null; thresholdSeconds: number | null }
  | { kind: 'pleg-not-yet-successful'; text: string }
  | { kind: 'runtime-down'; text: string }
  | { kind: 'runtime-status-pending'; text: string }
  | { kind: 'network-not-ready'; text: string }
  | { kind: 'other'; text: string };

const PLEG_AGE = /PLEG is not healthy: pleg was last seen active ([0-9hmsuµμn.]+) ago; threshold is ([0-9hmsuµμn.]+)/;

/**
 * Splits a node condition message into its errors. Kubelets up to ~1.1x joined them with a bare
 * comma (`container runtime is down,PLEG is not healthy: ...`); newer ones print one error bare and
 * several as `[err1, err2]` (utilerrors.NewAggregate). Source: kubernetes/kubernetes
 * pkg/kubelet/nodestatus/setters.go ReadyCondition, pkg/kubelet/runtime.go runtimeErrors.
 */
export function splitConditionMessage(message: string): string[] {
  const m = message.trim();
  if (m.startsWith('[') && m.endsWith(']')) {
    return m
      .slice(1, -1)
      .split(/, (?=[a-zA-Z[])/)
      .map((s) => s.trim())
      .filter(Boolean);
  }
  // Old shape: a comma with no space after it separates errors; ", " inside one error stays.
  return m
    .split(/,(?! )/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Classifies one error of a Ready condition message. */
export function classifyConditionPart(text: string): ConditionPart {
  const age = PLEG_AGE.exec(text);
  if (age) {
    return {
      kind: 'pleg-unhealthy',
      text,
      lastSeenSeconds: parseGoDuration(age[1]),
      thresholdSeconds: parseGoDuration(age[2]),
    };
  }
  if (/PLEG is not healthy: pleg has yet to be successful/.test(text)) return { kind: 'pleg-not-yet-successful', text };
  if (/container runtime is down/.test(text)) return { kind: 'runtime-down', text };
  if (/container runtime status check may not have completed yet/.test(text)) return { kind: 'runtime-status-pending', text };
  if (/network plugin is not ready|NetworkReady=false|cni (config|plugin) (uninitialized|not initialized)/i.test(text)) {
    return { kind: 'network-not-ready', text };
  }
  return { kind: 'other', text };
}

/** Splits and classifies a node condition message in one step. */
export function parseConditionMessage(message: string | undefined): ConditionPart[] {
  if (!message) return [];
  return splitConditionMessage(message).map(classifyConditionPart);
}
