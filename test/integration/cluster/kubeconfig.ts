/**
 * Kubeconfig files for the test cluster, and a tiny HTTPS GET for readiness probes that needs
 * no client library. Credentials stay in files; nothing here prints them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { CertPair } from './pki.js';

/** What a kubeconfig needs: the server, its CA, and either a client cert or a bearer token. */
export interface KubeconfigOptions {
  path: string;
  name: string;
  server: string;
  caFile: string;
  client?: CertPair;
  token?: string;
  namespace?: string;
}

/** Write a single-context kubeconfig with file references (certs) or a token. */
export function writeKubeconfig(o: KubeconfigOptions): string {
  const user = o.client
    ? `    client-certificate: ${o.client.cert}\n    client-key: ${o.client.key}\n`
    : `    token: ${JSON.stringify(o.token ?? '')}\n`;
  const ns = o.namespace ? `    namespace: ${o.namespace}\n` : '';
  const text = `apiVersion: v1
kind: Config
clusters:
- name: ${o.name}
  cluster:
    server: ${o.server}
    certificate-authority: ${o.caFile}
users:
- name: ${o.name}
  user:
${user}contexts:
- name: ${o.name}
  context:
    cluster: ${o.name}
    user: ${o.name}
${ns}current-context: ${o.name}
preferences: {}
`;
  writeFileSync(o.path, text, { mode: 0o600 });
  return o.path;
}

/** Result of a raw GET. */
export interface RawResponse {
  status: number;
  body: string;
}

/** GET `url` over TLS verified against `caFile`, optionally with a client cert; never throws on HTTP status. */
export async function httpsGet(url: string, caFile: string, client?: CertPair, timeoutMs = 5000): Promise<RawResponse> {
  const ca = readFileSync(caFile);
  const auth = client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {};
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, ...auth, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** GET `url` over plain HTTP (etcd's client port), resolving to status and body. */
export async function httpGet(url: string, timeoutMs = 5000): Promise<RawResponse> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}
