import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
// @ts-expect-error: plain ESM build script without type declarations
import { krewManifest } from '../../scripts/dist/krew.mjs';

describe('krew manifest (scripts/dist/krew.mjs)', () => {
  it('has one platform per archive with its uri under the base URL, sha256 and bin', () => {
    const built = [
      { os: 'linux', arch: 'amd64', bin: 'kubectl-podscope', archive: 'podscope-linux-amd64.tar.gz', sha256: 'a'.repeat(64) },
      { os: 'windows', arch: 'amd64', bin: 'kubectl-podscope.exe', archive: 'podscope-windows-amd64.tar.gz', sha256: 'b'.repeat(64) },
    ];
    const m = parse((krewManifest as (p: object, u: string, b: object[]) => string)({ version: '1.2.3', description: 'd' }, 'https://h.example/rel/v1.2.3/', built)) as {
      apiVersion: string; kind: string; metadata: { name: string };
      spec: { version: string; platforms: { selector: { matchLabels: Record<string, string> }; uri: string; sha256: string; bin: string }[] };
    };
    assert.equal(m.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
    assert.equal(m.kind, 'Plugin');
    assert.equal(m.metadata.name, 'podscope');
    assert.equal(m.spec.version, 'v1.2.3');
    assert.deepEqual(m.spec.platforms.map((p) => [p.selector.matchLabels, p.uri, p.sha256, p.bin]), [
      [{ os: 'linux', arch: 'amd64' }, 'https://h.example/rel/v1.2.3/podscope-linux-amd64.tar.gz', 'a'.repeat(64), 'kubectl-podscope'],
      [{ os: 'windows', arch: 'amd64' }, 'https://h.example/rel/v1.2.3/podscope-windows-amd64.tar.gz', 'b'.repeat(64), 'kubectl-podscope.exe'],
    ]);
  });
});
