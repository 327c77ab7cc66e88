/**
 * Certificates for the test control plane, made with the openssl CLI into the cluster's own
 * temp dir. Nothing here touches the network; keys never leave that dir and are never printed.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and its private key, as file paths. */
export interface CertPair {
  cert: string;
  key: string;
}

/** Every file the components need. */
export interface Pki {
  ca: CertPair;
  /** Serving cert for kube-apiserver, kwok and the kubelet front (SANs: 127.0.0.1, localhost, kubernetes.*). */
  serving: CertPair;
  /** Client certs: the admin user (system:masters) and each component's own identity. */
  admin: CertPair;
  controllerManager: CertPair;
  scheduler: CertPair;
  apiserverKubeletClient: CertPair;
  /** Service-account token signing key (private) and its public half. */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

const DAYS = '7';

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(path: string): string {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
  return path;
}

interface LeafOptions {
  dir: string;
  name: string;
  subject: string;
  ca: CertPair;
  usage: 'serverAuth' | 'clientAuth';
  sans?: string[];
}

function signLeaf(o: LeafOptions): CertPair {
  const key = newKey(join(o.dir, `${o.name}.key`));
  const csr = join(o.dir, `${o.name}.csr`);
  const ext = join(o.dir, `${o.name}.ext`);
  const cert = join(o.dir, `${o.name}.crt`);
  const lines = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${o.usage}`];
  if (o.sans?.length) lines.push(`subjectAltName=${o.sans.join(',')}`);
  writeFileSync(ext, lines.join('\n') + '\n');
  openssl(['req', '-new', '-key', key, '-subj', o.subject, '-out', csr]);
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    o.ca.cert,
    '-CAkey',
    o.ca.key,
    '-CAcreateserial',
    '-days',
    DAYS,
    '-sha256',
    '-extfile',
    ext,
    '-out',
    cert,
  ]);
  return { cert, key };
}

/** A client certificate signed by the cluster CA (`subject` like `/O=group/CN=user`), written to `dir`. */
export function clientCert(dir: string, ca: CertPair, name: string, subject: string): CertPair {
  return signLeaf({ dir, name, subject, ca, usage: 'clientAuth' });
}

/** Create a fresh CA, serving and client certificates and the service-account key pair in `dir`. */
export function createPki(dir: string): Pki {
  const caKey = newKey(join(dir, 'ca.key'));
  const caCert = join(dir, 'ca.crt');
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    caKey,
    '-subj',
    '/CN=podscope-test-ca',
    '-days',
    DAYS,
    '-sha256',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    '-out',
    caCert,
  ]);
  const ca = { cert: caCert, key: caKey };
  const client = (name: string, subject: string) => signLeaf({ dir, name, subject, ca, usage: 'clientAuth' });
  const serviceAccountKey = newKey(join(dir, 'sa.key'));
  const serviceAccountPub = join(dir, 'sa.pub');
  openssl(['pkey', '-in', serviceAccountKey, '-pubout', '-out', serviceAccountPub]);
  return {
    ca,
    serving: signLeaf({
      dir,
      name: 'serving',
      subject: '/CN=kube-apiserver',
      ca,
      usage: 'serverAuth',
      sans: [
        'IP:127.0.0.1',
        'DNS:localhost',
        'DNS:kubernetes',
        'DNS:kubernetes.default',
        'DNS:kubernetes.default.svc',
        'DNS:kubernetes.default.svc.cluster.local',
        'IP:10.96.0.1',
      ],
    }),
    admin: client('admin', '/O=system:masters/CN=podscope-admin'),
    controllerManager: client('kube-controller-manager', '/CN=system:kube-controller-manager'),
    scheduler: client('kube-scheduler', '/CN=system:kube-scheduler'),
    apiserverKubeletClient: client('apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client'),
    serviceAccountKey,
    serviceAccountPub,
  };
}
