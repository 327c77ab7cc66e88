// Validates podscope's JSON documents against the committed schemas (schema/*.schema.json, JSON
// Schema 2020-12, picked by the document's `$schema`) and SARIF against the SARIF 2.1.0 schema.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ROOT } from './cli.js';

const SCHEMA_DIR = path.join(ROOT, 'schema');
let ajv: Ajv2020 | undefined;
let sarif: ValidateFunction | undefined;

function contracts(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  for (const f of fs.readdirSync(SCHEMA_DIR).filter((n) => n.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, f), 'utf8')) as object);
  }
  return ajv;
}

const explain = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');

/**
 * Asserts that a parsed `-o json` document names a podscope schema in `$schema` (and `name`'s, if
 * given) and is valid against it. Returns the document for chaining.
 */
export function assertSchema<T>(doc: T, name?: string): T {
  const id = (doc as { $schema?: unknown }).$schema;
  assert.equal(typeof id, 'string', 'JSON output has no $schema');
  if (name) assert.equal(id, `urn:podscope:schema:${name}:1`);
  const validate = contracts().getSchema(id as string);
  assert.ok(validate, `no schema in schema/ with $id ${String(id)}`);
  assert.ok(validate(doc), `${String(id)}:\n${explain(validate.errors)}`);
  return doc;
}

/** Parses stdout as JSON and asserts it against its schema (see assertSchema); typed like JSON.parse unless T is given. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parseValid<T = any>(stdout: string, name?: string): T {
  return assertSchema(JSON.parse(stdout) as T, name);
}

/** Asserts that a SARIF log is valid against the SARIF 2.1.0 schema (schema/vendor). */
export function assertSarif(doc: unknown): void {
  if (!sarif) {
    const v = new AjvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(v);
    sarif = v.compile(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'vendor', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as object);
  }
  assert.ok(sarif(doc), `SARIF 2.1.0:\n${explain(sarif.errors)}`);
}
