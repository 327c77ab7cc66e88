import { stripVTControlCharacters } from 'node:util';

/** An argument as oclif declares it (what the usage line needs). */
interface ArgSpec {
  name?: string;
  required?: boolean;
  description?: string;
}

/** `podscope stop POD [flags]`: the usage line of a command, from its declared arguments. */
export function usageLine(bin: string, id: string | undefined, args: Record<string, ArgSpec> = {}, variadic = false): string {
  const words = Object.entries(args).map(([key, a]) => {
    const n = (a.name ?? key).toUpperCase();
    return a.required ? n : `[${n}${variadic ? '...' : ''}]`;
  });
  return [bin, id, ...words, '[flags]'].filter(Boolean).join(' ');
}

/**
 * One line for an oclif parse error, whose own text spans several lines and often says what
 * matters only after the first ("Missing 1 required arg:" / "pod  Name of the pod.").
 */
export function parseErrorLine(err: Error & { args?: ArgSpec[] }): string {
  const lines = stripVTControlCharacters(err.message)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^See more help with --help$/.test(l) && !/^Note: |^Alternatively, you can use "--"/.test(l));
  const [first = 'bad usage', ...rest] = lines;
  if (/^Missing \d+ required args?/.test(first)) {
    const missing = (err.args ?? []).map((a) => `${(a.name ?? '').toUpperCase()}${a.description ? ` (${a.description.replace(/\.$/, '')})` : ''}`);
    const list = missing.length ? missing : rest;
    return `missing argument${list.length === 1 ? '' : 's'} ${list.join(', ')}`;
  }
  if (/^The following errors? occurred:?$/.test(first)) return rest.length ? rest.map(conflict).join('; ') : 'conflicting flags';
  const unknown = /^Nonexistent flags?: (.*)$/.exec(first);
  if (unknown) return `unknown flag${unknown[1].includes(',') ? 's' : ''} ${unknown[1]}`;
  if (/^Unexpected arguments?: /.test(first)) return first.replace(/^Unexpected argument(s?): /, 'unexpected argument$1 ');
  return rest.length ? `${first.replace(/:$/, '')}: ${rest.join('; ')}` : first;
}

/** oclif's "--a=true cannot also be provided when using --b" as "--a and --b cannot be used together". */
function conflict(reason: string): string {
  const m = /^--([\w-]+)=\S* cannot also be provided when using --([\w-]+)$/.exec(reason);
  return m ? `--${m[2]} and --${m[1]} cannot be used together` : reason;
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
};

/** One line for a file-system error caused by what the user gave (exit 3), or null for anything else. */
export function systemErrorLine(err: Error & { code?: unknown; path?: unknown; syscall?: unknown }): string | null {
  if (typeof err.code !== 'string' || !(err.code in SYSTEM_ERRORS)) return null;
  const what = SYSTEM_ERRORS[err.code];
  const where = typeof err.path === 'string' ? err.path : undefined;
  const op = typeof err.syscall === 'string' ? err.syscall : 'access';
  const verb: Record<string, string> = { open: 'open', mkdir: 'create directory', scandir: 'read directory', read: 'read', write: 'write', rename: 'rename', unlink: 'remove', stat: 'read', lstat: 'read' };
  return where ? `cannot ${verb[op] ?? op} ${where}: ${what}` : `${op} failed: ${what}`;
}
