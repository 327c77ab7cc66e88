// Validators for what CI systems read from podscope and from its CI recipes: JUnit XML against
// Jenkins' junit-10.xsd (xmllint compiled to WebAssembly, no native build, no Java), and CI
// configuration files against GitLab's and SchemaStore's JSON Schemas. Sources: test/ci/vendor/README.md.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { validateXML } from 'xmllint-wasm';
import { parse } from 'yaml';
import { ROOT } from './cli.js';

/** Directory of the vendored schemas. */
export const VENDOR = path.join(ROOT, 'test', 'ci', 'vendor');

/** xmllint's schema-validity errors for a JUnit document against junit-10.xsd (empty when valid). */
export async function junitErrors(xml: string): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: 'podscope-junit.xml', contents: xml }],
    schema: [{ fileName: 'junit-10.xsd', contents: fs.readFileSync(path.join(VENDOR, 'junit-10.xsd'), 'utf8') }],
  });
  return r.valid ? [] : r.errors.map((e) => e.rawMessage);
}

const compiled = new Map<string, ValidateFunction>();

/**
 * Schema errors of a YAML CI file against a vendored draft-07 schema (`gitlab-ci.json` or
 * `github-workflows.json`); empty when valid. Non-strict and non-unicode regexes, as
 * check-jsonschema runs these schemas (their patterns are written for Python's `re`).
 */
export function ciFileErrors(schema: 'gitlab-ci.json' | 'github-workflows.json', yamlText: string): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(VENDOR, schema), 'utf8')) as object);
    compiled.set(schema, validate);
  }
  return validate(parse(yamlText)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
