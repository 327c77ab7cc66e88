/**
 * `podscope snapshot` against the real control plane: a pod created through the API server with a
 * canary (c4n4ry<NN>) in every field a pod spec can carry a secret in, and a Warning event quoting
 * a token; no canary may reach any snapshot file (issue 15, "Snapshots leak what the live output
 * hides": tried on the real control plane, `--db-password=...` had been written to pods.jsonl).
 */
import {strict as assert} from 'node:assert'
import {mkdtempSync, readFileSync, readdirSync, statSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {CoreV1Api, type V1Pod} from '@kubernetes/client-node'
import {fixture, runCliAsync} from '../helpers/cli.js'
import {cluster} from './cluster/hooks.js'
import {dropNamespace, newNamespace, waitRunning} from './helpers.js'

/** The hostile fixture's pod as it can be created: a valid container name, no status, no ephemeral containers. */
function hostilePod(): V1Pod {
  const items = JSON.parse(readFileSync(fixture('hostile', 'hostile.json'), 'utf8')).items as V1Pod[]
  const p = structuredClone(items[0])
  delete p.status
  delete p.spec!.ephemeralContainers
  delete p.spec!.nodeName
  delete p.metadata!.uid
  delete p.metadata!.namespace
  delete p.metadata!.creationTimestamp
  p.spec!.containers[0].name = 'app'
  p.spec!.volumes = []
  return p
}

describe('podscope snapshot against the real control plane: redaction', () => {
  let ns = ''
  before(async () => {
    ns = await newNamespace(cluster().kc, 'redact')
    const core = cluster().kc.makeApiClient(CoreV1Api)
    await core.createNamespacedPod({namespace: ns, body: hostilePod()})
    await waitRunning(cluster().kc, ns, 'web-7d9f8-abcde')
    await core.createNamespacedEvent({namespace: ns, body: {
      metadata: {name: 'web-7d9f8-abcde.canary'},
      involvedObject: {kind: 'Pod', name: 'web-7d9f8-abcde', namespace: ns, fieldPath: 'spec.containers{app}'},
      reason: 'Unhealthy', type: 'Warning', message: 'Liveness probe failed: upstream said token=c4n4ry16',
      firstTimestamp: new Date(), lastTimestamp: new Date(), count: 1, source: {component: 'kubelet'},
    }})
  })
  after(async () => {
    if (ns) await dropNamespace(cluster().kc, ns)
  })

  it('writes no canary to any file, files 0600 in a 0700 directory, and counts the redactions', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'redact-live-')), 'snap')
    const r = await runCliAsync(['snapshot', dir, '-n', ns, '--kubeconfig', cluster().kubeconfig, '--node-data', 'none'])
    assert.equal(r.code, 0, r.stderr)
    assert.equal(statSync(dir).mode & 0o777, 0o700)
    const pods = readFileSync(path.join(dir, 'pods.jsonl'), 'utf8')
    assert.match(pods, /web-7d9f8-abcde/, 'the pod was captured')
    for (const f of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, f), 'utf8')
      assert.deepEqual(text.match(/c4n4ry\d+/g), null, f)
      assert.equal(statSync(path.join(dir, f)).mode & 0o777, 0o600, f)
    }
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))
    assert.ok(manifest.redacted.fields['pods: spec.containers[].args'] >= 2)
    assert.ok(manifest.redacted.fields['events: message'] >= 1)
  })
})
