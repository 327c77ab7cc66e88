import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes a kubeconfig for one https server with a bearer token; returns its path. */
export function writeKubeconfig(server: string, opts: { context?: string; namespace?: string; dir?: string; name?: string; extra?: string } = {}): string {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'podscope-kc-'));
  const ctx = opts.context ?? 'test';
  const file = path.join(dir, opts.name ?? 'config');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: ${ctx}-cluster
  cluster:
    server: ${server}
    insecure-skip-tls-verify: true
users:
- name: ${ctx}-user
  user:
    token: s3cr3t-token-never-printed
contexts:
- name: ${ctx}
  context:
    cluster: ${ctx}-cluster
    user: ${ctx}-user${opts.namespace ? `\n    namespace: ${opts.namespace}` : ''}
current-context: ${ctx}
${opts.extra ?? ''}`,
  );
  return file;
}
