import assert from 'node:assert/strict';
import type { V1Node } from '@kubernetes/client-node';
import { rankCauses } from '../../src/analysis/pleg/causes.js';

import { diagnoseLines } from './helpers.js';

const NOW = new Date('2026-11-20T00:00:00Z');

const j = (t: string, msg: string) => `Nov 19 ${t} node-7 kubelet[1234]: ${msg}`;
const pleg = (t: string, age: string) => j(t, `E1119 ${t}.000001    1234 kubelet.go:2460] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active ${age} ago; threshold is 3m0s"`);
const info = (t: string) => j(t, `I1119 ${t}.000001    1234 kubelet.go:2400] "SyncLoop (PLEG): event for pod" pod="default/web-1" event={"Type":"ContainerStarted"}`);
const cri = (t: string) => j(t, `E1119 ${t}.000001    1234 remote_runtime.go:390] "ListContainers with filter from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded"`);
const start = (t: string) => j(t, `I1119 ${t}.000001    1234 kubelet.go:2300] "Starting kubelet main sync loop"`);

describe('pleg invariants (issue 12, classes 1, 2 and 4)', () => {
  it('class 1: any PLEG-not-healthy form makes the node at least degraded', async () => {
    for (const line of [
      'PLEG is not healthy: pleg was last seen active 41m35.274123984s ago',
      'PLEG is not healthy: pleg was last seen active 3m54.717586412s ago; threshold is 3m0',
      '10.200.1.3: {"ts":1753121331919.76,"caller":"kubelet/kubelet.go:2460","msg":"Skipping pod synchronization","err":"PLEG is not healthy: pleg was last seen active 16h14m34.4s ago; threshold is 3m0s"}',
      'kubelet.service[123]: E1108 10:00:00.000001 123 kubelet.go:1846] skipping pod synchronization - [PLEG is not healthy: pleg was last seen active 3m5.3s ago; threshold is 3m0s]',
      'I0811 16:05:03.437165 3696 kubelet.go:1826] skipping pod synchronization - PLEG is not healthy: pleg was last seen active 3m0.32 2579259s ago; threshold is 3m0s',
    ]) {
      const d = await diagnoseLines([line]);
      assert.notEqual(d.status, 'healthy', line);
      assert.notEqual(d.status, 'unknown', line);
    }
  });

  it('class 1: an unreadable duration is still unhealthy, and the output says it was unreadable', async () => {
    const d = await diagnoseLines(['I0811 16:05:03.437165 3696 kubelet.go:1826] skipping pod synchronization - PLEG is not healthy: pleg was last seen active 3m0.32 2579259s ago; threshold is 3m0s']);
    assert.equal(d.status, 'unhealthy');
    assert.match(d.symptoms.join('\n'), /duration unreadable/);
  });

  it('class 1: Go\'s maximum duration long after the start means PLEG never relisted', async () => {
    const d = await diagnoseLines([start('10:00:00'), info('10:01:00'), pleg('10:20:00', '2562047h47m16.854775807s')]);
    assert.equal(d.status, 'unhealthy');
    assert.match(d.symptoms.join('\n'), /never completed a relist/);
  });

  it('class 1: NodeNotReady and a late "runtime status check may not have completed yet" are findings', async () => {
    const nnr = await diagnoseLines([j('10:00:00', 'I1119 10:00:00.000001    1234 kubelet_node_status.go:379] Recording NodeNotReady event message for node node-7')]);
    assert.notEqual(nnr.status, 'healthy');
    const late = await diagnoseLines([start('10:00:00'), info('10:05:00'), j('10:30:00', 'E1119 10:30:00.000001    1234 kubelet.go:2460] "Skipping pod synchronization" err="container runtime status check may not have completed yet"')]);
    assert.equal(late.status, 'unhealthy');
  });

  it('class 2: silence after a PLEG line is recovery only with no runtime errors, and says how', async () => {
    const quiet = await diagnoseLines([pleg('10:00:00', '3m5s'), ...['10:02:00', '10:05:00', '10:09:00', '10:12:00'].map(info)]);
    assert.equal(quiet.status, 'degraded');
    assert.match(quiet.symptoms.join('\n'), /recovered afterwards \(12m of log with no PLEG line and no runtime error/);
    const errors = await diagnoseLines([pleg('10:00:00', '3m5s'), info('10:02:00'), cri('10:09:00'), info('10:12:00')]);
    assert.equal(errors.status, 'unhealthy');
    assert.match(errors.symptoms.join('\n'), /not recovered: runtime errors go on until 11-19 10:09:00, then no NodeReady/);
  });

  it('class 2: grep output (only error lines) is never read as quiet; a NodeReady after the last PLEG line is', async () => {
    const grep = await diagnoseLines([pleg('10:00:00', '3m5s'), pleg('10:30:00', '33m5s')].concat([cri('10:00:01')]));
    assert.equal(grep.status, 'unhealthy');
    const gap = await diagnoseLines([cri('09:59:00'), pleg('10:00:00', '3m5s'), cri('10:00:30')]);
    assert.equal(gap.status, 'unhealthy');
    assert.match(gap.symptoms.join('\n'), /not recovered/);
    const ready = await diagnoseLines([pleg('10:00:00', '3m5s'), j('10:01:00', 'I1119 10:01:00.000001    1234 kubelet_node_status.go:700] "Recording event message for node" node="node-7" event="NodeReady"')]);
    assert.equal(ready.status, 'degraded');
    assert.match(ready.symptoms.join('\n'), /NodeReady at 11-19 10:01:00 after it/);
  });

  it('class 5: hung CNI calls give cni-failure first, in containerd, CRI-O and dockershim wording; start-up NetworkPluginNotReady does not', async () => {
    const calico = 'E1119 10:00:00.000001    1234 remote_runtime.go:144] "StopPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to destroy network for sandbox \\"0b1448\\": plugin type=\\"calico\\" failed (delete): netplugin failed with no error message: signal: killed"';
    const crio = 'E1119 10:00:30.000001    1234 remote_runtime.go:144] "StopPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to destroy network for pod sandbox k8s_web_default(a29e): error removing pod web from CNI network \\"cilium\\": plugin type=\\"cilium-cni\\" failed (delete): context deadline exceeded"';
    const down = 'E1119 10:05:00.000001    1234 kubelet.go:2460] "Skipping pod synchronization" err="container runtime is down"';
    const lines = [start('09:00:00'), j('10:00:00', calico), j('10:00:30', crio), j('10:05:00', down), pleg('10:06:00', '4m2s')];
    const d = await diagnoseLines(lines);
    assert.equal(d.status, 'unhealthy');
    assert.equal(d.causes[0]?.id, 'cni-failure', JSON.stringify(d.causes.map((c) => [c.id, c.confidence])));
    const noise = await diagnoseLines([start('10:00:00'), j('10:00:05', 'E1119 10:00:05.000001    1234 kubelet.go:2187] Container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin is not ready: cni config uninitialized'), info('10:00:30')]);
    assert.equal(noise.status, 'healthy');
    assert.deepEqual(noise.causes, []);
  });

  it('class 4: a version-only suspicion stays at or below 0.5 and below direct evidence', () => {
    const node: V1Node = {
      metadata: { name: 'n' },
      status: {
        nodeInfo: { kubeletVersion: 'v1.11.5', containerRuntimeVersion: 'docker://18.6.1', kernelVersion: '', kubeProxyVersion: '', osImage: '', architecture: '', bootID: '', machineID: '', operatingSystem: '', systemUUID: '' },
        conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down,PLEG is not healthy: pleg was last seen active 50m3s ago; threshold is 3m0s' }],
      },
    };
    const causes = rankCauses({ name: 'n', node, unavailable: [], now: NOW }, true);
    assert.equal(causes[0].id, 'runtime-down', JSON.stringify(causes.map((c) => [c.id, c.confidence])));
    const prior = causes.find((c) => c.id === 'relist-deadlock');
    assert.ok(!prior || prior.confidence <= 0.5);
    const alone = rankCauses({ name: 'n', node: { ...node, status: { ...node.status, conditions: [{ type: 'Ready', status: 'False', message: 'PLEG is not healthy: pleg was last seen active 3m3s ago; threshold is 3m0s' }] } }, unavailable: [], now: NOW }, true);
    assert.ok((alone.find((c) => c.id === 'relist-deadlock')?.confidence ?? 0) <= 0.5, 'a version alone is at most 0.5');
  });
});
