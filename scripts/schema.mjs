// `npm run schema`: writes schema/<name>.schema.json (JSON Schema 2020-12), one per `-o json`
// contract, generated from the TypeScript result types with ts-json-schema-generator (which emits
// draft-07) and moved to 2020-12 ($defs, prefixItems). `--check` fails if a committed file differs.
import fs from 'node:fs';
import path from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = path.resolve(import.meta.dirname, '..');
/** schema name -> [source file, type name, title]. The $id is the constant in src/schemas.ts. */
export const CONTRACTS = {
  report: ['src/report/types.ts', 'Report', 'podscope check -o json'],
  pleg: ['src/analysis/pleg/types.ts', 'PlegResult', 'podscope pleg -o json'],
  inspect: ['src/analysis/anatomy/types.ts', 'AnatomyResult', 'podscope inspect -o json'],
  schedule: ['src/analysis/schedule/index.ts', 'ScheduleResult', 'podscope schedule -o json'],
  stop: ['src/analysis/stop/result.ts', 'StopResult', 'podscope stop -o json'],
  checks: ['src/render/catalogue.ts', 'Catalogue', 'podscope checks -o json'],
};

/** Rewrites draft-07 keywords of the generator's output to their 2020-12 forms. */
function to202012(node) {
  if (Array.isArray(node)) return node.map(to202012);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'definitions') out.$defs = to202012(v);
    else if (k === '$ref' && typeof v === 'string') out.$ref = v.replace('#/definitions/', '#/$defs/');
    else if (k === 'items' && Array.isArray(v)) out.prefixItems = to202012(v);
    else if (k === 'additionalItems') out.items = to202012(v);
    else out[k] = to202012(v);
  }
  return out;
}

const check = process.argv.includes('--check');
const ids = fs.readFileSync(path.join(ROOT, 'src', 'schemas.ts'), 'utf8');
let stale = 0;
for (const [name, [file, type, title]] of Object.entries(CONTRACTS)) {
  const id = new RegExp(`'(urn:podscope:schema:${name}:\\d+)'`).exec(ids)?.[1];
  if (!id) throw new Error(`no $id for ${name} in src/schemas.ts`);
  const gen = createGenerator({ path: path.join(ROOT, file), tsconfig: path.join(ROOT, 'tsconfig.json'), type, expose: 'export', topRef: false, skipTypeCheck: true, additionalProperties: true });
  const { $schema: _draft07, ...body } = to202012(gen.createSchema(type));
  const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: id, title, ...body };
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  const target = path.join(ROOT, 'schema', `${name}.schema.json`);
  if (check) {
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) {
      console.error(`schema/${name}.schema.json is stale: run npm run schema`);
      stale++;
    }
  } else {
    fs.writeFileSync(target, text);
  }
}
process.exit(stale ? 1 : 0);
