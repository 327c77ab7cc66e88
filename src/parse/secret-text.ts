/**
 * What looks like a credential in names, command lines and free text (docs/security.md lists the
 * rules). Used by the snapshot redaction and by the outputs that quote commands and event messages.
 */

/** What stands in place of a redacted value. */
export const REDACTED = '<redacted>';

/** Name segments that make a flag, key or annotation name secret wherever they appear. */
const SECRET_SEGMENTS = new Set([
  'password', 'passwd', 'passphrase', 'pwd', 'secret', 'secrets', 'token', 'tokens', 'apikey', 'credential', 'credentials',
  'creds', 'privatekey', 'accesskey', 'secretkey', 'clientsecret', 'authorization', 'cookie', 'dsn', 'connectionstring',
]);
/** Segments that make a name secret when they end it (`--db-pass`, `--api-key`, `--basic-auth`). */
const SECRET_LAST = new Set(['pass', 'key', 'auth', 'pw']);
/** Last segments that say the value is about a secret, not the secret (`--token-file`, `--secret-name`). */
const DESCRIPTORS = new Set([
  'file', 'files', 'path', 'dir', 'env', 'ref', 'name', 'names', 'ttl', 'expiration', 'expiry', 'lifetime', 'length', 'size',
  'type', 'mode', 'count', 'namespace', 'volume', 'mount', 'provider', 'header', 'enabled', 'required', 'rotation', 'duration',
]);

/**
 * Whether a flag, key or annotation name holds a secret: a segment such as password, token,
 * secret, credentials, api-key; or ending in -key, -pass, -auth; unless its last segment only
 * describes the secret (-file, -path, -name, -ttl...). camelCase and snake_case split as dashes.
 */
export function isSecretName(name: string): boolean {
  const bare = name.replace(/^-+/, '').replace(/^.*\//, '');
  const segs = bare
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (!segs.length) return false;
  const last = segs[segs.length - 1];
  if (DESCRIPTORS.has(last)) return false;
  if (segs[0].startsWith('secret')) return true;
  if (segs.length > 1 && SECRET_LAST.has(last)) return true;
  if (segs.some((s) => SECRET_SEGMENTS.has(s))) return true;
  // Run together: "dbpassword", "apitoken", "authtoken".
  return /password|passwd|secret|token|apikey|privatekey|accesskey|credential/.test(segs.join(''));
}

type Rule = { re: RegExp; to: string | ((...m: string[]) => string) };

const VALUE = `("[^"]*"|'[^']*'|[^\\s"',;&|()[\\]{}]+)`;

/** Free-text rules, applied in order. */
const RULES: Rule[] = [
  // PEM private keys.
  { re: /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, to: `-----BEGIN $1PRIVATE KEY-----${REDACTED}` },
  // user:password@ in a URL or connection string.
  { re: /([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:/@'"]*:)([^\s@/'"]+)@/g, to: `$1${REDACTED}@` },
  // Authorization schemes.
  { re: /\b(Bearer|Basic|Token|Digest)(\s+)[A-Za-z0-9._~+/=-]{8,}/g, to: `$1$2${REDACTED}` },
  // JSON Web Tokens.
  { re: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, to: REDACTED },
  // Well-known token shapes: AWS access key ids, GitHub, Slack, Google API keys.
  { re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{30,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bAIza[0-9A-Za-z_-]{35}/g, to: REDACTED },
  // curl -u user:password, --user, --proxy-user.
  { re: /(?<=^|[\s"'])(-u|--user|--proxy-user)(\s+|=)([^\s:'"]*):([^\s'"]+)/g, to: `$1$2$3:${REDACTED}` },
  // --secret-flag=value and --secret-flag value.
  {
    re: new RegExp(`(?<=^|[\\s"'\\[,(=])(--?[A-Za-z][\\w.-]*)(=|[ \\t]+)(?!-)${VALUE}`, 'g'),
    to: (m, flag, sep) => (isSecretName(flag) ? `${flag}${sep}${REDACTED}` : m),
  },
];

// The value is on the key's line: a key that ends its line (`token:` opening a YAML block, an empty
// value) never takes the next line's first word. Horizontal blanks only, as in the flag rule.
const KEY_VALUE = new RegExp(`(?<![\\w.-])(["']?)([A-Za-z_][\\w.-]*)\\1([ \\t]*[=:][ \\t]*)${VALUE}`, 'g');

/**
 * key=value, key: value, "key": "value" (env assignments, config lines, JSON) with a secret key:
 * the value redacted. A key that is not secret gives up only its own text, so `note: token=x`
 * still finds `token=x`.
 */
function redactKeyValues(text: string): { text: string; changed: number } {
  let out = '';
  let from = 0;
  let changed = 0;
  KEY_VALUE.lastIndex = 0;
  for (let m = KEY_VALUE.exec(text); m; m = KEY_VALUE.exec(text)) {
    const [all, q, key, sep, value] = m;
    if (isSecretName(key) && !/^<redacted>|^(?:Bearer|Basic|Token|Digest)$/.test(value)) {
      out += text.slice(from, m.index) + `${q}${key}${q}${sep}${REDACTED}`;
      from = m.index + all.length;
      changed++;
    } else {
      KEY_VALUE.lastIndex = m.index + q.length + key.length + q.length;
    }
  }
  return { text: out + text.slice(from), changed };
}

/** Free text with every credential-looking part replaced; `changed` counts the replacements. */
export function redactText(text: string): { text: string; changed: number } {
  let changed = 0;
  let out = text;
  for (const r of RULES) {
    const to = r.to;
    if (typeof to === 'string') {
      const n = out.match(r.re)?.length ?? 0;
      if (n) {
        out = out.replace(r.re, to);
        changed += n;
      }
      continue;
    }
    out = out.replace(r.re, (...args: string[]) => {
      const next = to(...args);
      if (next !== args[0]) changed++;
      return next;
    });
  }
  const kv = redactKeyValues(out);
  return { text: kv.text, changed: changed + kv.changed };
}

/** Free text with credential-looking parts replaced (for outputs that quote messages). */
export function scrubText(text: string): string {
  return redactText(text).text;
}

/** Flags whose value is `user:password` (curl, wget). */
const USER_FLAGS = new Set(['-u', '--user', '--proxy-user', '--http-user']);

/**
 * A command line with secret values replaced: `--password=x`, `--token x` (the next argument),
 * and whatever redactText finds inside an argument (`sh -c "... --db-pass=x"`, `PASSWORD=x`, URLs).
 */
export function redactArgs(args: readonly string[]): { args: string[]; changed: number } {
  const out: string[] = [];
  let changed = 0;
  for (let i = 0; i < args.length; i++) {
    const a = String(args[i]);
    const eq = /^(--?[A-Za-z][\w.-]*)=([\s\S]*)$/.exec(a);
    if (eq && isSecretName(eq[1])) {
      out.push(`${eq[1]}=${REDACTED}`);
      changed++;
      continue;
    }
    if (/^--?[A-Za-z][\w.-]*$/.test(a) && isSecretName(a) && i + 1 < args.length && !String(args[i + 1]).startsWith('-')) {
      out.push(a, REDACTED);
      changed++;
      i++;
      continue;
    }
    if (USER_FLAGS.has(a) && i + 1 < args.length && String(args[i + 1]).includes(':')) {
      out.push(a, String(args[i + 1]).replace(/:.*$/s, `:${REDACTED}`));
      changed++;
      i++;
      continue;
    }
    const r = redactText(a);
    out.push(r.text);
    changed += r.changed;
  }
  return { args: out, changed };
}
