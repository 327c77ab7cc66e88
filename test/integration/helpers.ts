/** Small helpers the integration tests share: namespaces, pods, waiting on the API. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { waitFor } from './cluster/wait.js';

export { waitFor };

/** Create a namespace with a random suffix and wait for its default service account. */
export async function newNamespace(kc: KubeConfig, prefix: string): Promise<string> {
  const core = kc.makeApiClient(CoreV1Api);
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name } } });
  await waitFor(`service account default in ${name}`, async () =>
    (await core.listNamespacedServiceAccount({ namespace: name })).items.some((sa) => sa.metadata?.name === 'default'),
  );
  return name;
}

/** Delete a namespace without waiting for it to go. */
export async function dropNamespace(kc: KubeConfig, name: string): Promise<void> {
  await kc
    .makeApiClient(CoreV1Api)
    .deleteNamespace({ name })
    .catch(() => undefined);
}

/** A one-container pod; `extra` is merged into spec. */
export function pod(name: string, labels: Record<string, string> = {}, extra: Partial<V1Pod['spec']> = {}): V1Pod {
  return {
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'registry.invalid/app:1', ports: [{ containerPort: 8080 }] }], ...extra },
  };
}

/** Wait until the pod is Running with a pod IP and Ready=True; return it. */
export async function waitRunning(kc: KubeConfig, namespace: string, name: string, timeoutMs = 60_000): Promise<V1Pod> {
  const core = kc.makeApiClient(CoreV1Api);
  let got: V1Pod | undefined;
  await waitFor(
    `pod ${namespace}/${name} Running and Ready`,
    async () => {
      got = await core.readNamespacedPod({ namespace, name });
      return (
        got.status?.phase === 'Running' &&
        !!got.status.podIP &&
        !!got.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
      );
    },
    timeoutMs,
  );
  return got!;
}

/** The status code of a GET with a bearer token, verified against caFile (what the server thinks of a token). */
export async function bearerStatus(url: string, bearer: string, caFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ca: readFileSync(caFile), headers: { Authorization: `Bearer ${bearer}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The minor of the Kubernetes version a cluster runs (32 for v1.32.13). */
export function minorOf(version: string): number {
  return Number(/^v1\.(\d+)\./.exec(version)?.[1] ?? NaN);
}

/** A 1.32 kubelet (NodeLogQuery off by default) answers /logs/?query=... with the HTML listing of /var/log. */
export const NO_NODE_LOG_QUERY = /does not serve node log queries: its kubelet answered with the HTML listing of \/var\/log \(NodeLogQuery off\)/;
