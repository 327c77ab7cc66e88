import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { preStopOf } from '../../src/analysis/stop/prestop.js';
import { RedactionTally, redactEvent, redactPod } from '../../src/source/redact.js';
import { isSecretName, redactArgs, redactText } from '../../src/parse/secret-text.js';
import { fixture } from '../helpers/cli.js';

describe('redaction rules (docs/security.md)', () => {
  it('secret flag and key names, and names that only describe a secret', () => {
    for (const n of ['--password', '--db-password', '--token', '--auth-token', '--secret', '--secret-id', '--api-key', '--tls-key', '--client-secret', 'DB_PASSWORD', 'dbPassword', 'apiToken', 'vault.hashicorp.com/agent-inject-secret-db', '--db-pass', '--basic-auth']) {
      assert.ok(isSecretName(n), n);
    }
    for (const n of ['--token-file', '--secret-name', '--password-file', '--listen', '--key', '--web.listen-address', 'checksum/config', 'proxy.istio.io/config', 'holdApplicationUntilProxyStarts', '--sort-by']) {
      assert.ok(!isSecretName(n), n);
    }
  });

  it('args: both --flag=value and --flag value, inside shell strings, user:password, connection strings', () => {
    const r = redactArgs(['--db-password=p1', '--token', 'p2', '--verbose', '--password', '--next', 'sh', '-c', 'mysql --password p3 -h db && PGPASSWORD=p4 psql', 'postgres://app:p5@db:5432/x', '-u', 'admin:p6', '--listen=:8080']);
    assert.deepEqual(r.args, [
      '--db-password=<redacted>', '--token', '<redacted>', '--verbose', '--password', '--next', 'sh', '-c',
      'mysql --password <redacted> -h db && PGPASSWORD=<redacted> psql', 'postgres://app:<redacted>@db:5432/x', '-u', 'admin:<redacted>', '--listen=:8080',
    ]);
    assert.equal(r.changed, 6);
  });

  it('free text: only what looks like a credential goes; the rest of an event message stays exact', () => {
    const samples: [string, string][] = [
      ['Liveness probe failed: HTTP probe failed with statuscode: 500', 'Liveness probe failed: HTTP probe failed with statuscode: 500'],
      ['MountVolume.SetUp failed for volume "db" : secret "db-creds" not found', 'MountVolume.SetUp failed for volume "db" : secret "db-creds" not found'],
      ['dial postgres://shop:hunter2@db:5432/shop: refused', 'dial postgres://shop:<redacted>@db:5432/shop: refused'],
      ['note: token=abc123 ok', 'note: token=<redacted> ok'],
      ['{"password":"x","user":"u"}', '{"password":<redacted>,"user":"u"}'],
      ['curl -H "Authorization: Bearer abcdefgh12345"', 'curl -H "Authorization: Bearer <redacted>"'],
      ['key AKIAABCDEFGHIJKLMNOP used', 'key <redacted> used'],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----<redacted>'],
    ];
    for (const [input, want] of samples) assert.equal(redactText(input).text, want, input);
  });

  it('a key ending its line takes nothing from the next line (the value ends at the line end)', () => {
    const samples: [string, string][] = [
      // A YAML block opened by `token:`: the next line's key and value are not the token.
      ['auth:\n  token:\n  name: web\n', 'auth:\n  token:\n  name: web\n'],
      ['token: \nnext line', 'token: \nnext line'],
      ['password=\nuser=bob', 'password=\nuser=bob'],
      ['--token\n--verbose', '--token\n--verbose'],
      ['run --token\nstarted', 'run --token\nstarted'],
      // On the same line the value still goes, whatever the blanks.
      ['token:\t s3cr3t\nname: web', 'token:\t <redacted>\nname: web'],
      ['mysql --password \t s3cr3t', 'mysql --password \t <redacted>'],
    ];
    for (const [input, want] of samples) assert.equal(redactText(input).text, want, JSON.stringify(input));
  });

  it('a hostile pod and its event: no canary left, counts per field path and never a value', () => {
    const items = JSON.parse(readFileSync(fixture('hostile', 'hostile.json'), 'utf8')).items as [V1Pod, CoreV1Event];
    const tally = new RedactionTally();
    const pod = redactPod(structuredClone(items[0]), tally);
    const ev = redactEvent(structuredClone(items[1]), tally);
    assert.deepEqual(JSON.stringify([pod, ev]).match(/c4n4ry\d+/g), null);
    assert.equal(JSON.stringify(tally.toJSON()).match(/c4n4ry/), null);
    assert.equal(tally.toJSON()['pods: metadata.annotations[kubectl.kubernetes.io/last-applied-configuration] (dropped)'], 1);
    assert.equal(tally.toJSON()['pods: spec.containers[].env[].value'], 1);
    // valueFrom references, names and what analyses read stay.
    assert.deepEqual(pod.spec!.containers[0].env![1], { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } });
    assert.equal(pod.spec!.containers[0].readinessProbe!.httpGet!.httpHeaders![0].name, 'X-Auth');
    assert.equal(pod.metadata!.annotations!['checksum/config'], 'sha256:5f1e9a');
    assert.equal(preStopOf(pod.spec!.containers[0])!.seconds, 5);
  });

  it('stop prints a preStop exec command with its secrets redacted', () => {
    const p = preStopOf({ name: 'a', lifecycle: { preStop: { exec: { command: ['/drain', '--token', 's3cr3t', '--wait=10s'] } } } });
    assert.equal(p!.detail, 'exec ["/drain","--token","<redacted>","--wait=10s"]');
  });
});
