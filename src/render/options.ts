/** Output formats every command takes; `check` adds the CI ones. */
export const BASE_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
export const REPORT_FORMATS = [...BASE_FORMATS, 'junit', 'sarif', 'markdown'] as const;

/** One of the -o values. */
export type OutputFormat = (typeof REPORT_FORMATS)[number];

/** What every renderer is told. */
export interface RenderOptions {
  color: boolean;
  /** Terminal width for wrapping; undefined means do not wrap. */
  width?: number;
}

/** Whether to colour: a TTY, NO_COLOR unset, TERM not dumb; FORCE_COLOR=1 forces it on. */
export function wantColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}
