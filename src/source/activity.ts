/**
 * What the live source is waiting for right now ("listing pods (page 3)"), for the spinner.
 * Library code only reports here; the CLI's spinner listens while it runs (stderr, TTY only).
 */
type Listener = (text: string) => void;

const listeners = new Set<Listener>();

/** Reports what a request or a phase is waiting for. */
export function reportActivity(text: string): void {
  for (const l of listeners) l(text);
}

/** Listens to activity reports until the returned function is called. */
export function onActivity(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
