/**
 * Command lines of the control-plane components, modelled on the flags kwokctl's binary runtime
 * uses (kwok test/e2e/kwokctl/dryrun/testdata/binary/create_cluster.txt), but every listener on
 * 127.0.0.1 and authorization Node,RBAC.
 */
import { join } from 'node:path';
import type { Pki } from './pki.js';

/** The ports a cluster uses, all on 127.0.0.1. */
export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

/** Service IPs; the first one is the `kubernetes` service. */
export const SERVICE_CIDR = '10.96.0.0/16';
/** Pod IPs kwok hands out (data only: nothing listens on them). */
export const POD_CIDR = '10.244.0.0/16';

/** etcd 3.6: one member, client and peer URLs on loopback. */
export function etcdArgs(dir: string, p: Ports): string[] {
  const client = `http://127.0.0.1:${p.etcdClient}`;
  const peer = `http://127.0.0.1:${p.etcdPeer}`;
  return [
    '--name=podscope',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=podscope=${peer}`,
    '--auto-compaction-retention=1',
    '--quota-backend-bytes=4294967296',
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

/** kube-apiserver: RBAC, service-account tokens, kubelet client cert, no endpoint reconciler. */
export function apiserverArgs(dir: string, pki: Pki, p: Ports): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${p.etcdClient}`,
    '--etcd-prefix=/registry',
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${p.apiserver}`,
    `--tls-cert-file=${pki.serving.cert}`,
    `--tls-private-key-file=${pki.serving.key}`,
    `--client-ca-file=${pki.ca.cert}`,
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--authorization-mode=Node,RBAC',
    `--kubelet-client-certificate=${pki.apiserverKubeletClient.cert}`,
    `--kubelet-client-key=${pki.apiserverKubeletClient.key}`,
    // No --kubelet-certificate-authority: like kubeadm's default, kubelet serving certs are not verified.
    '--kubelet-preferred-address-types=InternalIP',
    // Node traffic (proxy, logs, exec) goes as HTTP CONNECT over a unix socket to kubelet-front.ts.
    `--egress-selector-config-file=${join(dir, 'egress-selector.yaml')}`,
    // The `kubernetes` Service would get 127.0.0.1 as endpoint, which validation rejects.
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    // Every request is audited (auditLog.ts reads the file): request budgets and read-only proof.
    `--audit-policy-file=${join(dir, 'audit-policy.yaml')}`,
    `--audit-log-path=${join(dir, 'audit.log')}`,
    '--audit-log-format=json',
    '--audit-log-mode=blocking',
    '--audit-log-maxsize=0',
    '--enable-priority-and-fairness=false',
    '--max-requests-inflight=0',
    '--max-mutating-requests-inflight=0',
    '--v=1',
  ];
}

/**
 * The audit policy: Metadata for every request (who, verb, resource, name, code), and the request
 * body of deletes too, so the uid precondition of `stop --delete` is visible. RequestReceived is
 * omitted: each request is logged once when it completes (watches also when they start).
 */
export const AUDIT_POLICY_YAML = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Request
  verbs: [delete, deletecollection]
- level: Metadata
`;

/** The API server's egress selector: "cluster" traffic through the kubelet front's socket. */
export function egressSelectorYaml(socket: string): string {
  return `apiVersion: apiserver.k8s.io/v1beta1
kind: EgressSelectorConfiguration
egressSelections:
- name: cluster
  connection:
    proxyProtocol: HTTPConnect
    transport:
      uds:
        udsName: ${socket}
`;
}

/** kube-controller-manager: every default controller (endpointslice included), per-controller SA credentials. */
export function controllerManagerArgs(dir: string, pki: Pki, p: Ports): string[] {
  const kc = join(dir, 'kube-controller-manager.kubeconfig');
  return [
    `--kubeconfig=${kc}`,
    `--authentication-kubeconfig=${kc}`,
    `--authorization-kubeconfig=${kc}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${p.controllerManager}`,
    `--tls-cert-file=${pki.serving.cert}`,
    `--tls-private-key-file=${pki.serving.key}`,
    '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
    '--controllers=*',
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--root-ca-file=${pki.ca.cert}`,
    `--cluster-signing-cert-file=${pki.ca.cert}`,
    `--cluster-signing-key-file=${pki.ca.key}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--allocate-node-cidrs=false',
    '--leader-elect=false',
    '--kube-api-qps=5000',
    '--kube-api-burst=10000',
    '--v=1',
  ];
}

/**
 * kube-scheduler's config file: the default profile; API QPS raised from 50 so that thousands
 * of kwok pods (benchmarks) are bound in seconds, not minutes.
 */
export function schedulerConfigYaml(dir: string): string {
  return `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
clientConnection:
  kubeconfig: ${join(dir, 'kube-scheduler.kubeconfig')}
  qps: 5000
  burst: 10000
leaderElection:
  leaderElect: false
`;
}

/** kube-scheduler: the default profile (see schedulerConfigYaml). */
export function schedulerArgs(dir: string, pki: Pki, p: Ports): string[] {
  const kc = join(dir, 'kube-scheduler.kubeconfig');
  return [
    `--config=${join(dir, 'kube-scheduler.yaml')}`,
    `--authentication-kubeconfig=${kc}`,
    `--authorization-kubeconfig=${kc}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${p.scheduler}`,
    `--tls-cert-file=${pki.serving.cert}`,
    `--tls-private-key-file=${pki.serving.key}`,
    '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
    '--v=1',
  ];
}

/** kwok: manages every node; Metric resources come from the API server (--enable-crds). */
export function kwokArgs(dir: string, pki: Pki, p: Ports): string[] {
  return [
    `--kubeconfig=${join(dir, 'kubeconfig')}`,
    `--config=${join(dir, 'kwok.yaml')}`,
    '--manage-all-nodes=true',
    `--server-address=127.0.0.1:${p.kwok}`,
    `--tls-cert-file=${pki.serving.cert}`,
    `--tls-private-key-file=${pki.serving.key}`,
    `--cidr=${POD_CIDR}`,
    '--node-lease-duration-seconds=40',
    '--enable-crds=Metric',
  ];
}
