// The CI recipes (examples/ci) are valid for their CI systems, and podscope's JUnit is valid for
// the readers they feed. Executing the recipes against the release executable, and actionlint,
// need the dist build and Go: test/dist/ci-recipes.test.ts (npm run test:dist).
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../../src/checks/registry.js';
import { runChecks } from '../../src/gather/check.js';
import { renderJunit } from '../../src/render/junit.js';
import type { Report } from '../../src/report/types.js';
import { openDirectory } from '../../src/source/snapshot.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { ciFileErrors, junitErrors } from '../helpers/ci.js';

const read = (f: string) => fs.readFileSync(path.join(ROOT, 'examples', 'ci', f), 'utf8');

async function exampleReport(): Promise<Report> {
  return runChecks({ source: openDirectory(`${ROOT}/examples/shop-snapshot`), scope: { allNamespaces: true }, checks: CHECKS, now: new Date('2026-11-21T09:10:00Z') });
}

describe('CI recipes: schemas', () => {
  it('gitlab-ci.yml is valid against GitLab CI schema, and declares the JUnit report', () => {
    const text = read('gitlab-ci.yml');
    assert.deepEqual(ciFileErrors('gitlab-ci.json', text), []);
    assert.match(text, /^ {4}reports:\n {6}junit: podscope-junit\.xml$/m);
  });

  it('the GitLab schema rejects a broken copy (unknown report type, bad "when")', () => {
    const text = read('gitlab-ci.yml');
    assert.notDeepEqual(ciFileErrors('gitlab-ci.json', text.replace('junit: podscope-junit.xml', 'junitt: podscope-junit.xml')), []);
    assert.notDeepEqual(ciFileErrors('gitlab-ci.json', text.replace('when: always', 'when: sometimes')), []);
  });

  it('github-actions.yml is valid against the SchemaStore workflow schema (actionlint runs in test:dist)', () => {
    const text = read('github-actions.yml');
    assert.deepEqual(ciFileErrors('github-workflows.json', text), []);
    assert.notDeepEqual(ciFileErrors('github-workflows.json', text.replace('security-events: write', 'security-events: writ')), []);
  });

  it('the recipes never put a ${{ }} expression inside a run script (script injection); values come in through env', () => {
    for (const line of read('github-actions.yml').split('\n')) if (!/^\s*(if|[A-Z_]+):/.test(line)) assert.doesNotMatch(line, /\$\{\{/, line);
  });
});

describe('JUnit output against Jenkins junit-10.xsd', () => {
  it('the example snapshot report (failures, skipped checks) is valid', async () => {
    assert.deepEqual(await junitErrors(renderJunit(await exampleReport())), []);
  });

  it('an errored check is valid and carries its reason as <error> text (what GitLab shows)', async () => {
    const r = await exampleReport();
    r.checks[0] = { ...r.checks[0]!, status: 'errored', reason: 'bug: boom <&>' };
    const xml = renderJunit(r);
    assert.deepEqual(await junitErrors(xml), []);
    assert.match(xml, /<error message="bug: boom &lt;&amp;>" type="errored"><!\[CDATA\[bug: boom <&>\]\]><\/error>/);
  });

  it('a finding\'s evidence and next step are the <failure> text (GitLab shows only that text)', async () => {
    const xml = renderJunit(await exampleReport());
    assert.match(xml, /<failure message="warning: container cart was OOMKilled \(memory limit 128Mi\)" type="warning"><!\[CDATA\[terminated: OOMKilled, exit code 137[^]*?next: Raise resources\.limits\.memory[^]*?\]\]><\/failure>/);
  });

  it('check -f on the recipes\' manifests writes valid JUnit', async () => {
    const r = runCli(['check', '-f', 'examples/ci/manifests.yaml', '-o', 'junit']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await junitErrors(r.stdout), []);
    assert.match(r.stdout, /<testcase classname="STOP001" name="Pod\/shop\/web">\s*<failure message="warning: /);
  });

  it('the XSD does reject what it should (a testcase without a name, a skipped count on <testsuites>)', async () => {
    const xml = renderJunit(await exampleReport());
    assert.notDeepEqual(await junitErrors(xml.replace(/<testcase classname="POD001" name="[^"]*"/, '<testcase classname="POD001"')), []);
    assert.notDeepEqual(await junitErrors(xml.replace('<testsuites name="podscope"', '<testsuites name="podscope" skipped="8"')), []);
  });
});

describe('SARIF for code scanning', () => {
  it('from -f FILE every result has the file as its physical location (code scanning rejects logical-only results)', () => {
    const r = runCli(['check', '-f', './examples/ci/manifests.yaml', '-o', 'sarif']);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }[] }[] };
    const results = sarif.runs[0]!.results;
    assert.ok(results.length > 0);
    for (const res of results) assert.equal(res.locations[0]!.physicalLocation?.artifactLocation.uri, 'examples/ci/manifests.yaml');
  });

  it('from a snapshot or standard input there is no file to point at: logical locations only', () => {
    const snap = JSON.parse(runCli(['check', '--from', 'examples/shop-snapshot', '-o', 'sarif']).stdout) as { runs: { results: { locations: object[] }[] }[] };
    assert.ok(snap.runs[0]!.results.every((res) => !('physicalLocation' in res.locations[0]!)));
    const stdin = runCli(['check', '-f', '-', '-o', 'sarif'], { stdin: fs.readFileSync(path.join(ROOT, 'examples', 'ci', 'manifests.yaml'), 'utf8') });
    assert.doesNotMatch(stdin.stdout, /physicalLocation/);
  });
});

describe('JUnit skipped reasons', () => {
  it('a skipped check gives its reason as <skipped message> and text; "<skipped/>" in cluster data is left alone', async () => {
    const r = await exampleReport();
    const stop = r.findings.find((f) => f.checkId === 'STOP001')!;
    stop.evidence = [...stop.evidence, '<skipped/>', 'a "quoted" & <tagged> line'];
    const node = r.checks.find((c) => c.id === 'NODE001')!;
    node.reason = 'nodes: "not" captured & <forbidden>\u001b[2J';
    const xml = renderJunit(r);
    assert.deepEqual(await junitErrors(xml), []);
    assert.ok(xml.includes('<skipped message="nodes: &quot;not&quot; captured &amp; &lt;forbidden&gt;[2J">nodes: "not" captured &amp; &lt;forbidden&gt;[2J</skipped>'), xml);
    assert.ok(xml.includes('\n<skipped/>\na "quoted" & <tagged> line\nnext: '), 'the evidence line inside CDATA is unchanged');
    assert.equal(xml.match(/<skipped message=/g)?.length, r.checks.filter((c) => c.status === 'skipped').length);
  });
});
