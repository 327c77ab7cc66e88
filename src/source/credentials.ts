import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type https from 'node:https';
import { DataError } from '../errors.js';
import type { RequestAuth } from './http.js';
import { MAX_EXEC_OUTPUT_BYTES, formatMs } from './limits.js';

/**
 * The kubeconfig credentials client-node gets wrong, applied by podscope itself:
 * - `tokenFile` (client-node reads only `token-file`, so requests went out unauthenticated);
 *   re-read at most once a minute, as client-go does; `token` wins when both are set;
 * - `exec` plugins: a command with a path separator is resolved against the directory of the
 *   kubeconfig that defines it (client-go's ResolveLocalPaths); the plugin runs with
 *   KUBERNETES_EXEC_INFO, within the request's time budget, its stdout capped; a failure is one
 *   line naming the plugin and the first line of its stderr; the credential is cached until its
 *   expirationTimestamp (as client-go: no margin), and a 401 answered to it drops it so the
 *   request is retried once with a fresh one (KubeHttp asks `rejected`).
 */

/** An exec credential plugin as the kubeconfig gives it. */
export interface ExecPlugin {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  installHint?: string;
}

/** The credentials of one kubeconfig user that podscope applies itself. */
export interface UserCredentials {
  tokenFile?: string;
  exec?: ExecPlugin;
  /** Whether the user also has a static token (which wins over tokenFile). */
  hasToken: boolean;
}

interface ExecCredential {
  status?: { token?: string; expirationTimestamp?: string; clientCertificateData?: string; clientKeyData?: string };
}

/** Reads the raw user entries podscope handles itself from one kubeconfig file's parsed YAML. */
export function rawUserCredentials(doc: unknown, file: string): Map<string, UserCredentials> {
  const out = new Map<string, UserCredentials>();
  const users = (doc as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return out;
  const dir = path.dirname(path.resolve(file));
  for (const entry of users as { name?: unknown; user?: Record<string, unknown> }[]) {
    if (typeof entry?.name !== 'string' || !entry.user || typeof entry.user !== 'object') continue;
    const u = entry.user;
    const creds: UserCredentials = { hasToken: typeof u.token === 'string' && u.token !== '' };
    if (typeof u.tokenFile === 'string' && u.tokenFile) creds.tokenFile = path.resolve(dir, u.tokenFile);
    const exec = u.exec as Record<string, unknown> | undefined;
    if (exec && typeof exec.command === 'string' && exec.command) {
      const cmd = exec.command;
      // Only a command with a path separator is relative to the kubeconfig; a bare name is looked up on PATH.
      const command = cmd.includes('/') || cmd.includes(path.sep) ? path.resolve(dir, cmd) : cmd;
      creds.exec = {
        command,
        args: Array.isArray(exec.args) ? exec.args.map(String) : [],
        env: Array.isArray(exec.env) ? (exec.env as { name?: unknown; value?: unknown }[]).filter((e) => typeof e?.name === 'string').map((e) => ({ name: String(e.name), value: String(e.value ?? '') })) : [],
        apiVersion: typeof exec.apiVersion === 'string' ? exec.apiVersion : 'client.authentication.k8s.io/v1',
        installHint: typeof exec.installHint === 'string' ? exec.installHint.split('\n')[0] : undefined,
      };
    }
    if (creds.tokenFile || creds.exec) out.set(entry.name, creds);
  }
  return out;
}

function firstLine(text: string): string {
  const line = text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Runs an exec plugin once within budgetMs and returns its ExecCredential. */
export async function runExecPlugin(plugin: ExecPlugin, budgetMs: number): Promise<ExecCredential> {
  const name = plugin.command;
  const env = { ...process.env };
  for (const e of plugin.env) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion: plugin.apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
  return new Promise((resolve, reject) => {
    const child = spawn(plugin.command, plugin.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let settled = false;
    const fail = (e: DataError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const timer = setTimeout(
      () => fail(new DataError(`exec credential plugin "${name}" did not finish within ${formatMs(budgetMs)}`, 'run it by hand: it may wait for a login or a prompt; raise --request-timeout if it is only slow')),
      Math.max(0, budgetMs),
    );
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      out += c;
      if (out.length > MAX_EXEC_OUTPUT_BYTES) fail(new DataError(`exec credential plugin "${name}" printed more than 1 MiB`, 'a credential is a few KiB: check the plugin'));
    });
    child.stderr.on('data', (c: string) => {
      if (err.length < 65536) err += c;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      const hint = plugin.installHint ?? 'install it, or fix users[].user.exec.command in the kubeconfig';
      fail(new DataError(e.code === 'ENOENT' ? `exec credential plugin "${name}" not found` : `exec credential plugin "${name}" could not start: ${e.code ?? e.message}`, hint));
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      if (code !== 0) {
        const why = firstLine(err);
        fail(new DataError(`exec credential plugin "${name}" failed (${signal ? `signal ${signal}` : `exit ${code}`})${why ? `: ${why}` : ''}`, 'run the plugin by hand, or log in again'));
        return;
      }
      settled = true;
      clearTimeout(timer);
      try {
        const cred = JSON.parse(out) as ExecCredential;
        if (!cred?.status || (!cred.status.token && !cred.status.clientCertificateData)) throw new Error('no status.token');
        resolve(cred);
      } catch {
        reject(new DataError(`exec credential plugin "${name}" printed no ExecCredential with a token or certificate`, 'run the plugin by hand and check its output'));
      }
    });
  });
}

/** Applies tokenFile and exec credentials to requests; created only for users that have them. */
export class KubeconfigAuth implements RequestAuth {
  private token?: { value: string; readAt: number };
  private cred?: ExecCredential;
  private pending?: Promise<ExecCredential>;

  constructor(private readonly creds: UserCredentials) {}

  private fileToken(): string | undefined {
    const file = this.creds.tokenFile;
    if (!file || this.creds.hasToken) return undefined;
    if (!this.token || Date.now() - this.token.readAt > 60_000) {
      let value: string;
      try {
        value = readFileSync(file, 'utf8').trim();
      } catch (e) {
        throw new DataError(`cannot read the kubeconfig's tokenFile ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, 'check users[].user.tokenFile in the kubeconfig');
      }
      this.token = { value, readAt: Date.now() };
    }
    return this.token.value;
  }

  private async execCredential(budgetMs: number): Promise<ExecCredential> {
    const exp = this.cred?.status?.expirationTimestamp;
    if (this.cred && (!exp || !(Date.parse(exp) <= Date.now()))) return this.cred;
    // One plugin run at a time: concurrent requests share it.
    this.pending ??= runExecPlugin(this.creds.exec!, budgetMs).finally(() => (this.pending = undefined));
    this.cred = await this.pending;
    return this.cred;
  }

  /**
   * The server answered 401 to a request sent with these options: drops the credential it carried
   * (the exec credential, or a tokenFile token read before) and says whether a retry would send
   * another one. A credential already replaced by a concurrent request counts as refreshed.
   */
  rejected(opts: { headers: Record<string, string> }): boolean {
    const sent = opts.headers.Authorization;
    if (this.creds.exec) {
      const cur = this.cred?.status?.token;
      if (cur && sent === `Bearer ${cur}`) this.cred = undefined;
      // A certificate credential cannot be compared by header: drop it too.
      else if (this.cred && !cur) this.cred = undefined;
      return true;
    }
    if (this.creds.tokenFile && !this.creds.hasToken && this.token) {
      const before = this.token.value;
      this.token = undefined;
      return this.fileToken() !== before;
    }
    return false;
  }

  async apply(opts: https.RequestOptions & { headers: Record<string, string> }, budgetMs: number): Promise<void> {
    const token = this.fileToken();
    if (token) opts.headers.Authorization = `Bearer ${token}`;
    if (!this.creds.exec) return;
    const cred = await this.execCredential(budgetMs);
    if (cred.status?.token) opts.headers.Authorization = `Bearer ${cred.status.token}`;
    if (cred.status?.clientCertificateData && cred.status.clientKeyData) {
      opts.cert = cred.status.clientCertificateData;
      opts.key = cred.status.clientKeyData;
    }
  }
}
