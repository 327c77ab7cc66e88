import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataError, UsageError } from '../../src/errors.js';
import { loadKubeConfig } from '../../src/source/kubeconfig.js';
import { writeKubeconfig } from '../helpers/kubeconfig.js';

describe('kubeconfig loading (kubectl rules)', () => {
  it('merges several KUBECONFIG files with the first file winning names and current-context', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kc-'));
    const a = writeKubeconfig('https://a.example:6443', { dir, name: 'a', context: 'alpha' });
    const b = writeKubeconfig('https://b.example:6443', { dir, name: 'b', context: 'beta' });
    const dup = writeKubeconfig('https://dup.example:6443', { dir, name: 'dup', context: 'alpha' });
    const kc = await loadKubeConfig({ env: { KUBECONFIG: [a, path.join(dir, 'missing'), b, dup].join(path.delimiter) } });
    assert.equal(kc.getCurrentContext(), 'alpha');
    assert.equal(kc.getCurrentCluster()?.server, 'https://a.example:6443');
    assert.deepEqual(kc.getContexts().map((c) => c.name).sort(), ['alpha', 'beta']);
    const beta = await loadKubeConfig({ env: { KUBECONFIG: [a, b].join(path.delimiter) }, context: 'beta' });
    assert.equal(beta.getCurrentCluster()?.server, 'https://b.example:6443');
  });

  it('says "no kubeconfig found" instead of falling back to localhost:8080', async () => {
    await assert.rejects(loadKubeConfig({ env: {}, home: '/nonexistent-home' }), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.match(err.message, /no kubeconfig found/);
      assert.match(err.hint ?? '', /--from DIR/);
      return true;
    });
    await assert.rejects(loadKubeConfig({ kubeconfig: '/nope/config' }), /kubeconfig \/nope\/config does not exist/);
  });

  it('rejects a malformed kubeconfig in one line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kc-'));
    const bad = path.join(dir, 'bad');
    writeFileSync(bad, 'clusters: [ {name: x, cluster: {}} ]\ncontexts: oops: [');
    await assert.rejects(loadKubeConfig({ kubeconfig: bad }), (err: unknown) => {
      assert.ok(err instanceof DataError);
      assert.match(err.message, /is not valid/);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  });

  it('treats an unknown --context as a usage error listing the known ones', async () => {
    const kc = writeKubeconfig('https://a.example:6443', { context: 'alpha' });
    await assert.rejects(loadKubeConfig({ kubeconfig: kc, context: 'gamma' }), (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.match(err.hint ?? '', /alpha/);
      return true;
    });
  });
});
