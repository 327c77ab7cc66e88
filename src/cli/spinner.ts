import { escapeControl } from '../render/escape.js';
import { onActivity } from '../source/activity.js';

/** A progress line on stderr, only on a TTY and only for human output; a no-op otherwise. */
export interface Spinner {
  text(t: string): void;
  stop(): void;
}

/** Starts a spinner (ora, loaded lazily) when stderr is a terminal and the output is for people. */
export async function startSpinner(text: string, human: boolean): Promise<Spinner> {
  // A terminal of no width (a bare pty) would make ora clear lines forever: no spinner there.
  if (!human || !process.stderr.isTTY || !process.stderr.columns || process.env.CI) return { text() {}, stop() {} };
  const { default: ora } = await import('ora');
  const s = ora({ text: escapeControl(text), stream: process.stderr }).start();
  // The live source says what it waits for ("listing pods (page 3)", "kubelet metrics: 40/1000 nodes").
  const off = onActivity((t) => {
    s.text = escapeControl(`${text}: ${t}…`);
  });
  return {
    text(t) {
      text = t;
      s.text = escapeControl(t);
    },
    stop() {
      off();
      s.stop();
    },
  };
}
