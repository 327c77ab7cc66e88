import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { diagnoseNode } from '../../src/analysis/pleg/diagnose.js';
import { readKubeletMetrics } from '../../src/analysis/pleg/metrics.js';
import type { NodeInputs } from '../../src/analysis/pleg/types.js';

const now = new Date('2026-11-21T09:10:00Z');

function node(ready: string, message: string, kubelet = 'v1.31.2', since = '2026-11-21T09:02:30Z'): V1Node {
  return {
    metadata: { name: 'n1' },
    status: {
      capacity: { pods: '110' },
      conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady', message, lastTransitionTime: since as unknown as Date, lastHeartbeatTime: since as unknown as Date }],
      nodeInfo: { kubeletVersion: kubelet, containerRuntimeVersion: 'containerd://1.7.22', kernelVersion: '6.1.0', architecture: 'amd64', bootID: '', kubeProxyVersion: '', machineID: '', operatingSystem: 'linux', osImage: '', systemUUID: '' },
    },
  };
}

const base = (extra: Partial<NodeInputs>): NodeInputs => ({ name: 'n1', unavailable: [], now, ...extra });

describe('diagnoseNode', () => {
  it('says unhealthy, cause undetermined, and what would tell, when only the condition is known', () => {
    const d = diagnoseNode(base({ node: node('False', 'PLEG is not healthy: pleg was last seen active 3m5.30015447s ago; threshold is 3m0s') }));
    assert.equal(d.status, 'unhealthy');
    assert.equal(d.plegLastSeenSeconds, 185.3);
    assert.deepEqual(d.causes, []);
    assert.match(d.symptoms.at(-1)!, /^cause undetermined; what would tell: the kubelet log .*kubelet metrics/);
  });

  it('reads both condition shapes the same way', () => {
    const old = diagnoseNode(base({ node: node('False', 'container runtime is down,PLEG is not healthy: pleg was last seen active 4m1s ago; threshold is 3m0s') }));
    const bracket = diagnoseNode(base({ node: node('False', '[container runtime is down, PLEG is not healthy: pleg was last seen active 4m1s ago; threshold is 3m0s]') }));
    assert.deepEqual([old.status, old.plegLastSeenSeconds, old.causes.map((c) => c.id)], ['unhealthy', 241, ['runtime-down']]);
    assert.deepEqual([bracket.status, bracket.plegLastSeenSeconds, bracket.causes.map((c) => c.id)], ['unhealthy', 241, ['runtime-down']]);
  });

  it('treats "pleg has yet to be successful" right after start as healthy start-up, and late as unhealthy', () => {
    const msg = '[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]';
    const early = diagnoseNode(base({ node: node('False', msg, 'v1.31.2', '2026-11-21T09:08:00Z') }));
    assert.deepEqual([early.status, early.causes], ['healthy', []]);
    assert.match(early.symptoms.join('\n'), /kubelet is starting/);
    assert.equal(diagnoseNode(base({ node: node('False', msg, 'v1.31.2', '2026-11-21T08:30:00Z') })).status, 'unhealthy');
  });

  it('is unknown when the kubelet stopped posting status and nothing else is known', () => {
    const d = diagnoseNode(base({ node: node('Unknown', 'Kubelet stopped posting node status.') }));
    assert.equal(d.status, 'unknown');
    assert.match(d.symptoms.join('\n'), /stopped posting node status/);
  });

  it('turns kubelet_pleg_last_seen_seconds into an age only when Evented PLEG is off', () => {
    const text = (evented: number) => `# TYPE kubelet_pleg_last_seen_seconds gauge\nkubelet_pleg_last_seen_seconds 1763716000\n# TYPE kubernetes_feature_enabled gauge\nkubernetes_feature_enabled{name="EventedPLEG",stage="ALPHA"} ${evented}\n`;
    const at = new Date(1763716000_000 + 400_000);
    const off = diagnoseNode(base({ node: node('True', 'kubelet is posting ready status'), metrics: readKubeletMetrics([text(0)], null), metricsAt: at }));
    assert.deepEqual([off.status, off.plegLastSeenSeconds], ['unhealthy', 400]);
    const on = diagnoseNode(base({ node: node('True', 'kubelet is posting ready status'), metrics: readKubeletMetrics([text(1)], null), metricsAt: at }));
    assert.deepEqual([on.status, on.plegLastSeenSeconds], ['healthy', null]);
    assert.match(on.symptoms.join('\n'), /Evented PLEG is on/);
  });

  it('gives a healthy node no causes even when its pods are many', () => {
    const d = diagnoseNode(base({ node: node('True', 'kubelet is posting ready status'), pods: [] }));
    assert.deepEqual([d.status, d.causes], ['healthy', []]);
  });
});

describe('pleg evidence quotes no credentials', () => {
  it('node events, conditions and log lines quoted as evidence go through the secret-text scrubbing', async () => {
    const { scanKubeletLog } = await import('../../src/analysis/pleg/logscan.js');
    const { Readable } = await import('node:stream');
    const canary = 's3cr3tCANARY42';
    const ev = (reason: string, message: string, count = 5) => ({
      metadata: { name: reason, namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'n1' },
      reason,
      type: 'Warning',
      count,
      message,
      source: { component: 'kubelet', host: 'n1' },
    });
    const events = [
      ev('ContainerGCFailed', `rpc error: code = DeadlineExceeded desc = context deadline exceeded; dial https://ops:${canary}@registry.local token=${canary}`),
      ev('NodeNotReady', `PLEG is not healthy: pleg was last seen active 4m1s ago; threshold is 3m0s; Authorization: Bearer ${canary}`),
      ev('FailedCreatePodSandBox', `NetworkPlugin cni failed to set up pod network: password=${canary}`),
    ];
    const log = await scanKubeletLog(
      Readable.from([`E1121 09:05:00.000000    3921 remote_runtime.go:294] "ListPodSandbox with filter from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" api_key=${canary}\n`]),
      { year: 2026 },
    );
    const n = node('False', `PLEG is not healthy: pleg was last seen active 4m1s ago; threshold is 3m0s; secret=${canary}`);
    n.status!.conditions!.push({ type: 'NetworkUnavailable', status: 'True', reason: 'NoRouteCreated', message: `route token=${canary}` });
    const d = diagnoseNode(base({ node: n, events: events as never, log }));
    const text = JSON.stringify(d);
    assert.ok(d.causes.length > 0 && d.causes.some((c) => c.evidence.some((e) => e.includes('<redacted>'))), text);
    assert.doesNotMatch(text, new RegExp(canary));
  });
});
