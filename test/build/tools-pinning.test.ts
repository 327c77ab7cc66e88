// Every pinned Go tool (tools/<name>: kube-score for the bench, and what tests build) is built
// like the control plane: from a committed wrapper module (exact versions, go.sum) with
// -mod=readonly and GOTOOLCHAIN=local, by tools/build.sh, which resolves nothing.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goModVersions, scriptViolations } from '../integration/cluster/pinning.js';
import { ROOT } from '../helpers/cli.js';

const toolsDir = join(ROOT, 'tools');
const EXACT = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+incompatible)?$/;

/** KEY=value lines of a tool.env (quotes stripped). */
function readToolEnv(file: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return vars;
}

const tools = readdirSync(toolsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe('pinned Go tools (tools/build.sh)', () => {
  it('tools/build.sh fetches nothing unpinned and cannot resolve a module', () => {
    assert.deepEqual(scriptViolations('tools/build.sh', readFileSync(join(toolsDir, 'build.sh'), 'utf8'), new Map(), true), []);
  });

  it('has kube-score, the bench reference', () => assert.ok(tools.includes('kube-score')));

  for (const name of tools) {
    it(`${name}: tool.env names an exact version that go.mod requires and go.sum checks`, () => {
      const dir = join(toolsDir, name);
      for (const f of ['tool.env', 'go.mod', 'go.sum']) assert.ok(existsSync(join(dir, f)), `tools/${name}/${f} is missing`);
      const env = readToolEnv(join(dir, 'tool.env'));
      assert.equal(env.get('TOOL_NAME'), name);
      const module = env.get('TOOL_MODULE') ?? '';
      const version = env.get('TOOL_VERSION') ?? '';
      assert.match(version, EXACT, `TOOL_VERSION ${version} is not exact`);
      assert.ok(env.get('TOOL_PACKAGE')?.startsWith(module), 'TOOL_PACKAGE is inside TOOL_MODULE');
      const { require, replace } = goModVersions(readFileSync(join(dir, 'go.mod'), 'utf8'));
      assert.equal(require.get(module), version, `go.mod requires ${module} ${require.get(module)}`);
      for (const [path, v] of [...require, ...replace]) assert.match(v, EXACT, `${path} ${v} is not exact`);
      assert.ok(readFileSync(join(dir, 'go.sum'), 'utf8').includes(`${module} ${version} h1:`), `go.sum has no checksum for ${module} ${version}`);
    });
  }
});
