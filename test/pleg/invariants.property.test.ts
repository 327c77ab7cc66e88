import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { fixture } from '../helpers/cli.js';
import { diagnoseLines } from './helpers.js';

/**
 * Issue 12, classes 1 and 2, as properties: random excerpts and filters of a failing real log
 * (test/__fixtures__/real/pleg, cases whose sources say PLEG was not healthy) never come out
 * healthy. Filters are what pastes do: grep, dropped prefixes, cut lines, chat-window wrapping.
 */

const KEY = 'pleg was last seen active';

function failingLogs(): { name: string; lines: string[] }[] {
  const root = fixture('real', 'pleg');
  return readdirSync(root)
    .filter((d) => existsSync(path.join(root, d, 'kubelet.log')) && existsSync(path.join(root, d, 'expect.json')))
    .filter((d) => {
      const e = JSON.parse(readFileSync(path.join(root, d, 'expect.json'), 'utf8')) as { status?: string[] };
      return e.status !== undefined && !e.status.includes('healthy');
    })
    .map((d) => ({ name: d, lines: readFileSync(path.join(root, d, 'kubelet.log'), 'utf8').split('\n').filter((l) => l.trim() !== '') }))
    .filter((l) => l.lines.some((x) => x.includes(KEY) && !x.includes('2562047h')));
}

type Filter = (lines: string[], n: number) => string[];

const FILTERS: Record<string, Filter> = {
  none: (l) => l,
  // journalctl -o cat, or a copy from a log viewer: everything before the klog header goes.
  'drop prefixes': (l) => l.map((x) => x.replace(/^.*?(?=[IWEF]\d{4} \d\d:)/, '')),
  // only the message, as quoted in an issue title or a chat.
  'message only': (l) => l.map((x) => x.replace(/^.*?\] /, '')),
  // the end of PLEG lines cut somewhere after the key (duration broken or threshold lost).
  'cut lines': (l, n) => l.map((x) => (x.includes(KEY) ? x.slice(0, x.indexOf(KEY) + KEY.length + (n % 30)) : x)),
  grep: (l) => l.filter((x) => /PLEG|rpc error|deadline|NotReady|not ready|broken pipe|semacquire|GetPodNetworkStatus/.test(x)),
  // a chat window wraps at 100–180 columns, never inside the key phrase.
  wrap: (l, n) => {
    const w = 100 + (n % 80);
    return l.flatMap((x) => {
      const out: string[] = [];
      let rest = x;
      while (rest.length > w) {
        let cut = w;
        const k = rest.indexOf(KEY);
        if (k >= 0 && k < cut && k + KEY.length > cut) cut = k + KEY.length;
        out.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      return [...out, rest];
    });
  },
};

describe('pleg invariants as properties (issue 12, classes 1 and 2)', () => {
  const logs = failingLogs();

  it('uses several real failing logs', () => {
    assert.ok(logs.length >= 10, logs.map((l) => l.name).join(', '));
  });

  it('random excerpts and filters of a failing log never come out healthy', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...logs),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        fc.nat(),
        fc.subarray(Object.keys(FILTERS), { minLength: 0, maxLength: 3 }),
        fc.nat(),
        async (log, keep, pick, filters, n) => {
          const plegLines = log.lines.map((l, i) => (l.includes(KEY) && !l.includes('2562047h') ? i : -1)).filter((i) => i >= 0);
          const must = plegLines[pick % plegLines.length];
          let lines = log.lines.filter((_, i) => i === must || keep[i % keep.length]);
          for (const f of filters) lines = FILTERS[f](lines, n);
          const d = await diagnoseLines(lines);
          assert.ok(d.status === 'unhealthy' || d.status === 'degraded', `${log.name} [${filters.join(', ')}] → ${d.status}\n${lines.join('\n')}\n${d.symptoms.join('\n')}`);
        },
      ),
      { numRuns: 400 },
    );
  });
});
