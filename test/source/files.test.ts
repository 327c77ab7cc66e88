import { strict as assert } from 'node:assert';
import { DataError } from '../../src/errors.js';
import { FROM_TEMPLATE, FilesSource } from '../../src/source/files.js';
import { fixture } from '../helpers/cli.js';

const ALL = { allNamespaces: true };

describe('files source (-f)', () => {
  it('reads a kubectl get -o json List of pods', async () => {
    const src = FilesSource.load(fixture('files', 'podlist.json'));
    const pods = await src.list('pods', ALL);
    assert.ok(pods.ok && pods.value.length === 2);
    assert.ok(!(await src.list('nodes', ALL)).ok);
  });

  it('reads YAML with several documents, turns workloads into pods and drops Secrets unread', async () => {
    const src = FilesSource.load(fixture('files', 'app.yaml'));
    const pods = await src.list('pods', ALL);
    assert.ok(pods.ok);
    const names = pods.value.map((p) => `${p.metadata?.name}:${p.metadata?.annotations?.[FROM_TEMPLATE] ?? 'pod'}`).sort();
    assert.deepEqual(names, ['nightly:CronJob/nightly', 'web:Deployment/web']);
    const svc = await src.list('services', ALL);
    assert.ok(svc.ok && svc.value.length === 1);
    assert.equal(JSON.stringify(pods.value).includes('c3VwZXJzZWNyZXQ'), false);
  });

  it('reads standard input', async () => {
    const src = FilesSource.load('-', () => '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"x"},"spec":{"containers":[]}}');
    const p = await src.getPod('x', 'p');
    assert.ok(p.ok);
  });

  it('rejects empty, non-Kubernetes and broken input with one line (exit 3)', () => {
    for (const [text, re] of [
      ['', /is empty/],
      ['{"hello": "world"}', /holds no Kubernetes objects/],
      ['- just\n- a list\n', /holds no Kubernetes objects/],
      ['kind: Pod\nmetadata: {name: [', /not valid YAML or JSON/],
    ] as const) {
      assert.throws(() => FilesSource.load('-', () => text), (err: unknown) => {
        assert.ok(err instanceof DataError, String(err));
        assert.equal(err.exitCode, 3);
        assert.match(err.message, re);
        return true;
      });
    }
    assert.throws(() => FilesSource.load('/no/such/file.yaml'), /cannot read \/no\/such\/file\.yaml/);
  });
});
