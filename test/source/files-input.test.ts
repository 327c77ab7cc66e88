import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { V1Pod } from '@kubernetes/client-node';
import { DataError } from '../../src/errors.js';
import { FilesSource } from '../../src/source/files.js';
import { MAX_EXPANDED_NODES, splitJson } from '../../src/source/manifest-text.js';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, fixture, runCli } from '../helpers/cli.js';

const ALL = { allNamespaces: true };
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] } });

async function podsOf(text: string | Buffer): Promise<V1Pod[]> {
  const r = await FilesSource.load('-', () => text).list('pods', ALL);
  assert.ok(r.ok);
  return r.value;
}

/** Asserts input is refused with a one-line DataError (exit 3) matching re. */
function refused(text: string | Buffer, re: RegExp): void {
  assert.throws(() => FilesSource.load('-', () => text), (err: unknown) => {
    assert.ok(err instanceof DataError, String(err));
    assert.equal(err.exitCode, 3);
    assert.match(err.message, re);
    assert.equal(err.message.includes('\n'), false, err.message);
    return true;
  });
}

describe('files source input forms and limits', () => {
  it('reads a JSON stream of concatenated pretty-printed objects (jq output)', async () => {
    const text = [pod('a'), pod('b'), { kind: 'List', items: [pod('c')] }].map((o) => JSON.stringify(o, null, 2)).join('\n');
    assert.deepEqual((await podsOf(text)).map((p) => p.metadata?.name), ['a', 'b', 'c']);
    assert.equal(splitJson(text)?.ranges.length, 3);
    assert.equal(splitJson('{"a": "}{\\" ]"} {"b": 1}')?.ranges.length, 2);
    assert.equal(splitJson('{"a": 1} x'), null);
  });

  it('reads multi-document YAML whose documents may be JSON, with --- and ... markers', async () => {
    const text = `---\n${JSON.stringify(pod('a'))}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x}\nspec:\n  containers:\n  - name: c\n    image: i\n...\n--- ${JSON.stringify(pod('c'))}\n`;
    assert.deepEqual((await podsOf(text)).map((p) => p.metadata?.name), ['a', 'b', 'c']);
  });

  it('reads YAML 1.1 as kubectl (go-yaml v2) does: 0644 octal, on true, timestamps and 12:30 stay strings', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: x\n  creationTimestamp: 2026-11-21T06:12:40Z\n  labels: {a: 12:30, b: 1_000, c: 0x1F, d: on}\nspec:\n  containers: [{name: c, image: i}]\n  volumes:\n  - name: v\n    secret: {secretName: s, defaultMode: 0644}\n';
    const [p] = await podsOf(text);
    assert.equal(p.spec?.volumes?.[0].secret?.defaultMode, 0o644);
    assert.equal(p.metadata?.creationTimestamp, '2026-11-21T06:12:40Z' as unknown as Date);
    assert.deepEqual(p.metadata?.labels, { a: '12:30', b: 1000, c: 31, d: true });
  });

  it('refuses a YAML alias bomb with one line, and accepts a file with thousands of ordinary aliases', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(10).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]`);
    refused(`kind: Pod\nmetadata: {name: p}\n${levels.join('\n')}\n`, new RegExp(`aliases expand a document past ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes`));
    const many = ['apiVersion: v1\nkind: List\nitems:'];
    for (let i = 0; i < 3000; i++) {
      many.push(i === 0 ? `- {kind: Pod, metadata: {name: p0, namespace: x}, spec: &spec {containers: [{name: c, image: i}]}}` : `- {kind: Pod, metadata: {name: p${i}, namespace: x}, spec: *spec}`);
    }
    assert.equal((await podsOf(many.join('\n'))).length, 3000);
  });

  it('refuses Lists nested 100,000 deep, in JSON and YAML, without a stack overflow', () => {
    const deep = '{"kind":"List","items":['.repeat(100_000) + ']}'.repeat(100_000);
    refused(deep, /nested more than/);
    refused('['.repeat(100_000) + ']'.repeat(100_000), /nested more than/);
    refused(`${'- '.repeat(5000)}x\n`, /nested more than/);
    const lists = '{"kind":"List","items":['.repeat(150) + JSON.stringify(pod('a')) + ']}'.repeat(150);
    refused(lists, /Lists are nested more than 100 deep/);
  });

  it('says a binary file is not a Kubernetes object, in one line', () => {
    refused(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]), /^standard input is not a Kubernetes object: binary file$/);
    refused(Buffer.from('kind: Pod\nmetadata: {name: \xff\xfe}\n', 'latin1'), /binary file/);
    refused('kind: Pod\nmetadata: {name: [', /^standard input is not a Kubernetes object: not valid YAML or JSON at line \d+ \(/);
  });

  it('reads objects without kind shaped like a pod (kubelet /pods items, jq .items[0]) as Pods, with a note', async () => {
    const bare = { metadata: { name: 'bare', namespace: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const src = FilesSource.load('-', () => JSON.stringify(bare));
    const pods = await src.list('pods', ALL);
    assert.ok(pods.ok);
    assert.equal(pods.value[0].kind, 'Pod');
    assert.match(src.notes.join(), /1 object without kind\/apiVersion in standard input read as Pod /);
    assert.deepEqual((await src.info()).notes, [...src.notes]);
    const kubeletPods = { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [bare, { ...bare, metadata: { name: 'b2', namespace: 'x' } }] };
    const s2 = FilesSource.load('-', () => JSON.stringify(kubeletPods));
    assert.match(s2.notes.join(), /^2 objects without kind/);
    // Not pod-shaped: still nothing read.
    refused('{"metadata": {"name": "x"}, "spec": {"replicas": 2}}', /holds no Kubernetes objects/);
  });

  it('the CLI prints the kind-less note on stderr and a binary file as one line, exit 3', () => {
    const r = runCli(['check', '-f', '-', '-o', 'json'], { stdin: JSON.stringify({ metadata: { name: 'bare', namespace: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] } }) });
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.match(r.stderr, /^podscope: note: 1 object without kind\/apiVersion in standard input read as Pod/m);
    assert.deepEqual(JSON.parse(r.stdout).source.notes.length, 1);
    const ls = runCli(['check', '-f', '/bin/ls']);
    assert.equal(ls.code, 3);
    assert.equal(ls.stderr.split('\n')[0], 'podscope: /bin/ls is not a Kubernetes object: binary file');
  });

  it('reads a pipe whose writer is slow (stdin left non-blocking answers EAGAIN), as kubectl ... | podscope check -f - does', () => {
    const run = path.join(ROOT, 'bin', 'run.js');
    const out = execFileSync('sh', ['-c', `(sleep 1; cat "$1") | "$2" "$3" check -f - -o json; echo "exit $?"`, 'sh', fixture('files', 'podlist.json'), process.execPath, run], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/nonexistent-home', NO_COLOR: '1' },
    });
    assert.match(out, /exit [01]\n$/, out);
    assert.equal(JSON.parse(out.replace(/exit \d\n$/, '')).source.kind, 'files');
  });

  it('never throws anything but a DataError on arbitrary bytes or text (property)', () => {
    const check = (input: string | Buffer) => {
      try {
        FilesSource.load('-', () => input);
      } catch (err) {
        if (!(err instanceof DataError) || err.message.includes('\n')) throw err;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => check(Buffer.from(b))), { numRuns: 300 });
    const yamlish = fc.array(fc.constantFrom('kind: Pod', 'items:', '- ', '{', '}', '[', ']', '---', '...', '&a ', '*a', '"', ': ', '\n', '  ', 'metadata: {name: x}', 'spec: {containers: []}', '%YAML 1.1', '0644', 'null'), { maxLength: 40 });
    fc.assert(fc.property(yamlish, (parts) => check(parts.join(''))), { numRuns: 500 });
  });
});
