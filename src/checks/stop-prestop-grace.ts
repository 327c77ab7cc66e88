import { podSubject } from '../k8s/pod.js';
import { containerStops, gracePeriodOf } from '../analysis/stop/static.js';
import type { Finding } from '../report/types.js';
import { defineCheck } from './types.js';

/** Seconds below which what the preStop leaves of the grace period is too short to drain. */
const MIN_DRAIN = 5;

/** STOP002: a preStop delay as long as the grace period, so the app is SIGKILLed instead of shutting down. */
export const stopPreStopGrace = defineCheck({
  id: 'STOP002',
  title: 'preStop delay eats the grace period',
  severity: 'critical',
  description:
    'The preStop hook runs inside terminationGracePeriodSeconds; when it lasts as long as the grace period the app gets SIGTERM only 2 s before SIGKILL and cannot finish in-flight work.',
  needs: ['pods'],
  run({ inputs }) {
    const findings: Finding[] = [];
    for (const pod of inputs.pods) {
      const grace = gracePeriodOf(pod);
      for (const c of containerStops(pod)) {
        const s = c.preStop?.seconds;
        if (s === null || s === undefined || s <= 0) continue;
        const left = grace - s;
        if (left >= MIN_DRAIN) continue;
        // If the hook still runs when the grace period ends, the kubelet adds a one-off 2 s, then
        // sends TERM, then KILL (website pod-lifecycle.md "Termination of Pods").
        const eats = left <= 0;
        findings.push({
          checkId: 'STOP002',
          severity: eats ? 'critical' : 'warning',
          subject: podSubject(pod, c.name),
          message: eats
            ? `preStop (${s}${c.preStop?.atLeast ? '+' : ''} s) is not shorter than the grace period (${grace} s): ${c.name} gets SIGTERM at most 2 s before SIGKILL`
            : `preStop (${s}${c.preStop?.atLeast ? '+' : ''} s) leaves ${left} s of the ${grace} s grace period for ${c.name} to shut down`,
          evidence: [`preStop: ${c.preStop?.detail ?? '?'}`, `grace period: ${grace} s${pod.metadata?.deletionGracePeriodSeconds !== undefined ? ' (set by the pending delete)' : ''}`],
          remediation: `Set terminationGracePeriodSeconds to at least ${s + Math.max(MIN_DRAIN, 10)} (preStop ${s} s plus the app's drain time), or shorten the preStop delay.`,
        });
      }
    }
    return findings;
  },
});
