// Writes the same 5,000 pods (shaped like the shipped example, ~3 KB each) in the four forms
// `check -f` reads: multi-document YAML (`---` between pods), one YAML List (kubectl get pods
// -o yaml), one JSON List (kubectl get pods -o json) and a JSON stream (concatenated pretty-printed
// objects, as jq or `kubectl get pod A B -o json` per pod print them). Reused when present.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from './lib.js';

const example = readFileSync(path.join(ROOT, 'examples', 'shop-snapshot', 'pods.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

/** The pods, varied like gen-snapshot.js's (1% crash-looping, 1% OOMKilled). */
export function makePods(count) {
  return Array.from({ length: count }, (_, i) => {
    const p = structuredClone(example[i % 100 === 3 ? 2 : i % 100 === 5 ? 3 : i % 2]);
    p.metadata.name = `${p.metadata.labels['app.kubernetes.io/name']}-${i.toString(36)}`;
    p.metadata.namespace = `team-${i % 5}`;
    p.metadata.uid = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    p.spec.nodeName = `node-${i % 500}`;
    return p;
  });
}

/** Writes the four files under dir (reused when present); returns their paths and sizes in MB. */
export function generateManifests(dir, count) {
  mkdirSync(dir, { recursive: true });
  const files = {
    'multi-document YAML': path.join(dir, `pods-${count}.multi.yaml`),
    'YAML List': path.join(dir, `pods-${count}.list.yaml`),
    'JSON List': path.join(dir, `pods-${count}.list.json`),
    'JSON stream': path.join(dir, `pods-${count}.stream.json`),
  };
  if (!Object.values(files).every((f) => existsSync(f))) {
    const pods = makePods(count);
    const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: pods };
    // version 1.1: strings such as "on" or "0644" come out quoted, as kubectl (go-yaml) writes them.
    const y = (o) => stringify(o, { version: '1.1', lineWidth: 0 });
    writeFileSync(files['multi-document YAML'], pods.map(y).join('---\n'));
    writeFileSync(files['YAML List'], y(list));
    writeFileSync(files['JSON List'], JSON.stringify(list, null, 4));
    writeFileSync(files['JSON stream'], pods.map((p) => JSON.stringify(p, null, 4)).join('\n'));
  }
  return Object.fromEntries(Object.entries(files).map(([k, f]) => [k, { file: f, mb: statSync(f).size / 1e6 }]));
}
