import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../src/checks/registry.js';
import { renderCatalogueMarkdown } from '../src/render/catalogue.js';
import { ROOT } from './helpers/cli.js';

describe('docs', () => {
  it('docs/checks.md matches the registry (run `npm run docs` after changing a check)', () => {
    const committed = readFileSync(path.join(ROOT, 'docs', 'checks.md'), 'utf8');
    assert.equal(committed, renderCatalogueMarkdown(CHECKS));
  });

  it('check ids are unique and well-formed', () => {
    const ids = CHECKS.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[A-Z]+\d{3}$/);
  });
});
