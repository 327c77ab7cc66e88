import type { V1Node, V1NodeCondition } from '@kubernetes/client-node';

/**
 * `kubectl describe node` text, as on-call engineers paste it, read back into the parts of a Node
 * that the PLEG diagnosis uses: name, conditions (the table under `Conditions:`), System Info
 * versions and pod capacity. The layout is kubectl's describe printer
 * (k8s.io/kubectl/pkg/describe/describe.go, describeNode): columns separated by two or more
 * spaces in current kubectl and by tabs in 1.5–1.7; the header row may be pasted without the
 * `Conditions:` line above it.
 */

const HEADER = /^\s*Type\s+Status\s+LastHeartbeatTime\s+LastTransitionTime\s+Reason\s+Message\s*$/;
/** A condition row pasted without its header: a known node condition type, a status, then two times. */
const BARE_ROW = /^\s+(?:Ready|MemoryPressure|DiskPressure|PIDPressure|NetworkUnavailable|OutOfDisk)\s+(?:True|False|Unknown)\s+\w{3}, \d/;
const CONDITION = /^\s+([A-Za-z]+)\s+(True|False|Unknown)\b/;

function dateOf(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? undefined : new Date(t);
}

function field(lines: string[], label: string): string | undefined {
  const re = new RegExp(`^\\s*${label}:\\s+(\\S.*?)\\s*$`);
  for (const l of lines) {
    const m = re.exec(l);
    if (m) return m[1];
  }
  return undefined;
}

/** Reads `kubectl describe node` text (the whole page, or only its condition rows); null when it has no condition rows. */
export function parseDescribeNode(text: string): V1Node | null {
  const lines = text.replace(/\r/g, '').split('\n');
  const head = lines.findIndex((l) => HEADER.test(l));
  const first = head >= 0 ? head + 1 : lines.findIndex((l) => BARE_ROW.test(l));
  if (first < 0) return null;
  const conditions: V1NodeCondition[] = [];
  for (const line of lines.slice(first)) {
    if (/^\s*-{3,}/.test(line)) continue;
    const m = CONDITION.exec(line);
    if (!m) break;
    const cols = line.trim().split(/\s*\t\s*|\s{2,}/);
    const [type, status, heartbeat, transition, reason, ...message] = cols;
    conditions.push({
      type,
      status,
      lastHeartbeatTime: dateOf(heartbeat),
      lastTransitionTime: dateOf(transition),
      reason: reason || undefined,
      message: message.join(' ').trim() || undefined,
    });
  }
  if (!conditions.length) return null;
  const pods = /^\s*pods:\s+(\d+)/m.exec(text.slice(text.search(/^Capacity:/m) >= 0 ? text.search(/^Capacity:/m) : text.length));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: field(lines, 'Name') },
    status: {
      conditions,
      capacity: pods ? { pods: pods[1] } : undefined,
      nodeInfo: {
        kubeletVersion: field(lines, 'Kubelet Version') ?? '',
        containerRuntimeVersion: field(lines, 'Container Runtime Version') ?? '',
        kernelVersion: field(lines, 'Kernel Version') ?? '',
        kubeProxyVersion: '',
        osImage: field(lines, 'OS Image') ?? '',
        architecture: '',
        bootID: '',
        machineID: '',
        operatingSystem: '',
        systemUUID: '',
      },
    },
  };
}
