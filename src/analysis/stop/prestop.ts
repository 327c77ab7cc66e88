import type { V1Container, V1LifecycleHandler } from '@kubernetes/client-node';
import { redactArgs } from '../../parse/secret-text.js';

/** A container's preStop hook, and how long it delays SIGTERM when that can be known. */
export interface PreStop {
  kind: 'sleep' | 'exec' | 'httpGet' | 'tcpSocket';
  /** Seconds the hook keeps the app from getting SIGTERM; null when it cannot be known. */
  seconds: number | null;
  /** True when the hook may run longer than `seconds` (a sleep followed by other commands). */
  atLeast: boolean;
  /** What the hook does, for evidence (the command with secret-looking arguments redacted, the URL, the sleep). */
  detail: string;
}

/**
 * `sleep N` inside an exec hook, bare or through a shell: `sleep 20`, `/bin/sleep 20s`,
 * `sh -c "sleep 5 && nginx -s quit"`. GNU sleep takes s/m/h suffixes; busybox takes plain numbers.
 */
const SLEEP = /(?:^|[\s;&|(])(?:\/usr)?(?:\/bin\/)?sleep\s+(\d+(?:\.\d+)?)([smh]?)(?=$|[\s;&|)])/;
const UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/** Seconds of an obvious `sleep N` in a command line, and whether the line does more than sleep. */
export function sleepIn(command: readonly string[]): { seconds: number; alone: boolean } | undefined {
  const line = command.join(' ');
  const m = SLEEP.exec(line);
  if (!m) return undefined;
  const seconds = Number(m[1]) * (UNIT[m[2] ?? ''] ?? 1);
  const rest = line.replace(m[0], ' ').replace(/^\s*(?:\/bin\/|\/usr\/bin\/)?(?:ba|da|a)?sh\s+-c\s*/, '').trim();
  return { seconds, alone: rest === '' };
}

/** The preStop hook of a container, or null when it has none. */
export function preStopOf(container: V1Container): PreStop | null {
  const h: V1LifecycleHandler | undefined = container.lifecycle?.preStop;
  if (!h) return null;
  // The sleep action (KEP-3960; beta and on by default in 1.30, GA 1.34): the kubelet itself
  // sleeps, so the duration is exact.
  const sleep = h.sleep;
  if (sleep) return { kind: 'sleep', seconds: sleep.seconds ?? 0, atLeast: false, detail: `sleep action ${sleep.seconds ?? 0}s` };
  if (h.exec) {
    const cmd = h.exec.command ?? [];
    const s = sleepIn(cmd);
    return { kind: 'exec', seconds: s?.seconds ?? null, atLeast: s ? !s.alone : false, detail: `exec ${JSON.stringify(redactArgs(cmd).args)}` };
  }
  if (h.httpGet) {
    const port = h.httpGet.port;
    return { kind: 'httpGet', seconds: null, atLeast: false, detail: `httpGet ${h.httpGet.scheme ?? 'HTTP'} :${String(port)}${h.httpGet.path ?? '/'}` };
  }
  return { kind: 'tcpSocket', seconds: null, atLeast: false, detail: 'tcpSocket (deprecated, a no-op in the kubelet)' };
}

/** True when the hook delays SIGTERM by at least one second, as far as can be known. */
export function delays(p: PreStop | null): boolean {
  if (!p) return false;
  if (p.seconds === null) return p.kind === 'exec' || p.kind === 'httpGet';
  return p.seconds >= 1;
}
