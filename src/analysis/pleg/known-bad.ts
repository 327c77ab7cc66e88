import type { V1NodeSystemInfo } from '@kubernetes/client-node';

/** A release with a known hang that stalls PLEG, and where that is documented. */
export interface KnownBadRelease {
  component: 'container runtime' | 'kernel';
  /** Tested against nodeInfo.containerRuntimeVersion or nodeInfo.kernelVersion. */
  match: RegExp;
  what: string;
  fix: string;
  sources: string[];
}

/**
 * Only releases whose hang is documented in a maintainer-acknowledged thread are listed; each
 * entry names its sources. Kubelets before 1.14 (relist deadlock, kubernetes#72482) are the
 * separate cause `relist-deadlock`.
 */
export const KNOWN_BAD: readonly KnownBadRelease[] = [
  {
    component: 'container runtime',
    match: /^containerd:\/\/(?:v)?1\.4\.4(?:$|[-+~])/,
    what: 'containerd 1.4.4 ships runc 1.0.0-rc93, whose `runc init` can hang (deadlock reading a closed pipe); containers stay in Created, status calls on them hang, and PLEG stalls',
    fix: 'upgrade containerd to 1.4.6 or later (runc 1.0.0-rc94+), or pin containerd 1.4.3 until then',
    sources: [
      'https://github.com/containerd/containerd/issues/5274',
      'https://github.com/opencontainers/runc/pull/2871',
      'https://github.com/kubernetes-sigs/kubespray/issues/7574',
    ],
  },
  {
    component: 'kernel',
    match: /^5\.4\.(?:214-120\.368|217-126\.408)\.amzn2/,
    what: 'Amazon Linux 2 kernels 5.4.214-120.368 and 5.4.217-126.408 (EKS AMI v20221027) left single containers unresponsive to every docker command, flapping nodes with PLEG errors',
    fix: 'move the node group to an EKS AMI with a later kernel and replace the affected nodes',
    sources: ['https://github.com/awslabs/amazon-eks-ami/issues/1071'],
  },
];

/** The known-bad releases a node runs, by its nodeInfo. */
export function knownBadFor(info: V1NodeSystemInfo | undefined): { release: KnownBadRelease; version: string }[] {
  if (!info) return [];
  const out: { release: KnownBadRelease; version: string }[] = [];
  for (const r of KNOWN_BAD) {
    const version = r.component === 'kernel' ? info.kernelVersion : info.containerRuntimeVersion;
    if (version && r.match.test(version)) out.push({ release: r, version });
  }
  return out;
}

/** Whether a kubelet version (`v1.13.5`, `1.11.5-eks-1`) is older than 1.14 (relist deadlock era). */
export function kubeletBefore114(version: string | null | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)\./.exec(version ?? '');
  if (!m) return false;
  return Number(m[1]) === 1 && Number(m[2]) < 14;
}
