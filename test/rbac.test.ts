import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHECKS } from '../src/checks/registry.js';
import { API_GROUP } from '../src/checks/types.js';
import { CLUSTER_SCOPED } from '../src/source/types.js';
import { ROOT } from './helpers/cli.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface RoleDoc {
  kind: string;
  metadata: { name: string };
  rules?: Rule[];
}

const docs = parseAllDocuments(readFileSync(path.join(ROOT, 'deploy', 'rbac.yaml'), 'utf8')).map((d) => d.toJS() as RoleDoc);
const role = (name: string) => docs.find((d) => d.metadata.name === name);
const allows = (r: RoleDoc | undefined, group: string, resource: string, verb: string) =>
  (r?.rules ?? []).some((x) => x.apiGroups.includes(group) && x.resources.includes(resource) && x.verbs.includes(verb));

describe('deploy/rbac.yaml', () => {
  it('the ClusterRole lets every registered check list what it needs and uses', () => {
    const reader = role('podscope-reader');
    for (const check of CHECKS) {
      for (const r of [...check.needs, ...check.uses]) assert.ok(allows(reader, API_GROUP[r], r, 'list'), `${check.id} needs list ${r}`);
    }
  });

  it('the namespaced Role covers every namespaced input and nothing cluster-scoped', () => {
    const ns = role('podscope-namespace-reader');
    assert.equal(ns?.kind, 'Role');
    for (const check of CHECKS) {
      for (const r of [...check.needs, ...check.uses].filter((x) => !CLUSTER_SCOPED.has(x))) {
        assert.ok(allows(ns, API_GROUP[r], r, 'list'), `${check.id} needs list ${r} in a namespace`);
      }
    }
  });

  it('both readers may get namespaces: check -n with no matching pod asks whether the namespace exists', () => {
    assert.ok(allows(role('podscope-reader'), '', 'namespaces', 'get'));
    // In a Role this covers only GET of the Role's own namespace (its request namespace is itself).
    assert.ok(allows(role('podscope-namespace-reader'), '', 'namespaces', 'get'));
  });

  it('never grants secrets, and writes only pod delete in its own optional Role', () => {
    for (const d of docs) {
      for (const rule of d.rules ?? []) {
        assert.ok(!rule.resources.includes('secrets'), `${d.metadata.name} must not grant secrets`);
        const writes = rule.verbs.filter((v) => !['get', 'list', 'watch'].includes(v));
        if (writes.length) assert.deepEqual([d.metadata.name, rule.resources, writes], ['podscope-stop-delete', ['pods'], ['delete']]);
      }
    }
    assert.deepEqual(role('podscope-node-proxy')?.rules, [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]);
  });
});
