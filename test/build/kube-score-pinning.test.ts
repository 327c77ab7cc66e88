// The kube-score reference of bench/files.bench.js is built like the control plane: from a
// committed wrapper module (exact version, go.sum) with -mod=readonly and GOTOOLCHAIN=local.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goModVersions, scriptViolations } from '../integration/cluster/pinning.js';
import { ROOT } from '../helpers/cli.js';

const dir = join(ROOT, 'bench', 'kube-score');

describe('kube-score bench build pinning', () => {
  it('pins kube-score v1.20.0 in go.mod and go.sum, and the build resolves nothing', () => {
    const mod = readFileSync(join(dir, 'go.mod'), 'utf8');
    assert.equal(goModVersions(mod).require.get('github.com/zegl/kube-score'), 'v1.20.0');
    assert.match(readFileSync(join(dir, 'go.sum'), 'utf8'), /^github\.com\/zegl\/kube-score v1\.20\.0 h1:/m);
    assert.deepEqual(scriptViolations('bench/kube-score/build.sh', readFileSync(join(dir, 'build.sh'), 'utf8'), new Map(), true), []);
  });
});
