/** The integration harness's audit-log reader: one request per auditID, partial lines skipped, keys by verb and resource. */
import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditOffset, countBy, readAudit, requestKey } from '../integration/cluster/audit.js';

const line = (o: Record<string, unknown>) =>
  JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', user: { username: 'u' }, requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z', ...o }) + '\n';

describe('audit log reader (integration harness)', () => {
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-reader-'));
    file = join(dir, 'audit.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('merges the stages of one request, keys by verb and resource, and skips a line still being written', () => {
    writeFileSync(
      file,
      line({ auditID: 'a', stage: 'ResponseComplete', verb: 'list', requestURI: '/api/v1/pods?limit=500', objectRef: { resource: 'pods' } }) +
        line({ auditID: 'w', stage: 'ResponseStarted', verb: 'watch', requestURI: '/api/v1/pods?watch=1', objectRef: { resource: 'pods' } }) +
        line({ auditID: 'w', stage: 'ResponseComplete', verb: 'watch', requestURI: '/api/v1/pods?watch=1', objectRef: { resource: 'pods' } }) +
        line({ auditID: 'p', stage: 'ResponseComplete', verb: 'get', requestURI: '/api/v1/nodes/n1/proxy/metrics', objectRef: { resource: 'nodes', name: 'n1', subresource: 'proxy' } }) +
        line({ auditID: 'v', stage: 'ResponseComplete', verb: 'get', requestURI: '/version?timeout=32s' }) +
        '{"kind":"Event","auditID":"partial"',
    );
    const events = readAudit(file);
    assert.equal(events.length, 4);
    assert.equal(events.find((e) => e.auditID === 'w')?.stage, 'ResponseComplete');
    assert.deepEqual(countBy(events), { 'get /version': 1, 'get nodes/proxy': 1, 'list pods': 1, 'watch pods': 1 });
  });

  it('reads from an offset, dropping the tail of a line cut by it', () => {
    writeFileSync(file, line({ auditID: 'a', stage: 'ResponseComplete', verb: 'list', requestURI: '/api/v1/nodes', objectRef: { resource: 'nodes' } }));
    const cut = auditOffset(file) - 10;
    appendFileSync(file, line({ auditID: 'b', stage: 'ResponseComplete', verb: 'delete', requestURI: '/api/v1/namespaces/x/pods/p', objectRef: { resource: 'pods', namespace: 'x', name: 'p' } }));
    const events = readAudit(file, cut);
    assert.deepEqual(events.map(requestKey), ['delete pods']);
    assert.deepEqual(readAudit(file, auditOffset(file)), []);
  });
});
