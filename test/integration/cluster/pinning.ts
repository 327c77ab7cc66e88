/**
 * Reads the control-plane build (build.sh, modules/update.sh, .ci scripts) and the committed
 * wrapper modules, and lists every way the build could float: a module or package fetched
 * without an exact version, a build that may resolve or update go.mod, a missing go.sum, or
 * versions.env and the modules disagreeing. Pure file reading; used by a unit test in npm test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where to look: the cluster directory (build.sh, versions.env, modules/) and extra scripts. */
export interface PinningInput {
  clusterDir: string;
  /** Other scripts that may call go (for example .ci/run): checked for fetches without a version. */
  scripts?: string[];
}

const MODULES = ['kubernetes', 'etcd', 'kwok'] as const;
const EXACT = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+incompatible)?$/;

/** KEY=value pairs of versions.env. */
export function readEnv(file: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)$/.exec(line.trim());
    if (m) vars.set(m[1]!, m[2]!);
  }
  return vars;
}

/** Shell lines without comments, with continuation lines joined. */
function shellLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const start = i;
    let l = raw[i]!;
    while (l.endsWith('\\') && i + 1 < raw.length) l = l.slice(0, -1) + ' ' + raw[++i]!;
    const code = l.replace(/(^|\s)#.*$/, '');
    if (code.trim()) out.push({ line: start + 1, text: code });
  }
  return out;
}

/** Is `arg` (a go get/install/download argument) pinned to an exact version? */
function pinnedArg(arg: string, vars: Map<string, string>): boolean {
  const a = arg.replace(/^["']|["']$/g, '');
  const at = a.lastIndexOf('@');
  if (at < 0) return false;
  const v = a.slice(at + 1).replace(/^"|"$/g, '');
  if (EXACT.test(v)) return true;
  const ref = /^\$\{?([A-Z][A-Z0-9_]*)\}?$/.exec(v);
  return !!ref && EXACT.test(vars.get(ref[1]!) ?? '');
}

/** The arguments of a go command that name a module or package (not flags, not sub-verbs). */
function pathArgs(words: string[]): string[] {
  return words.filter((w) => !w.startsWith('-') && /[./$]/.test(w) && !/^\$\(|^\)/.test(w));
}

/** Violations in one script. `strict`: the build itself, where nothing may be resolved at all. */
export function scriptViolations(name: string, text: string, vars: Map<string, string>, strict: boolean): string[] {
  const out: string[] = [];
  for (const { line, text: code } of shellLines(text)) {
    for (const m of code.matchAll(/\bgo\s+(get|install|mod\s+download|mod\s+tidy|mod\s+edit|run)\b([^;&|)]*)/g)) {
      const verb = m[1]!.replace(/\s+/g, ' ');
      const words = m[2]!.trim().split(/\s+/).filter(Boolean);
      const where = `${name}:${line}`;
      if (strict && (verb === 'get' || verb === 'install' || verb === 'mod tidy' || verb === 'mod edit')) {
        out.push(`${where}: 'go ${verb}' in the build resolves or changes modules at build time`);
        continue;
      }
      if (verb === 'mod tidy') out.push(`${where}: 'go mod tidy' may change pinned versions`);
      if (verb === 'get' || verb === 'install' || verb === 'run' || verb === 'mod download') {
        const args = pathArgs(words);
        if ((verb === 'get' || verb === 'install') && args.length === 0) {
          out.push(`${where}: 'go ${verb}' with no module named (it resolves whatever go.mod lacks)`);
        }
        for (const a of args) {
          if (verb === 'run' && !a.includes('@')) continue; // a local package of the module
          if (!pinnedArg(a, vars)) out.push(`${where}: '${a}' is fetched without an exact version`);
        }
      }
    }
  }
  const code = shellLines(text).map((l) => l.text).join('\n');
  if (strict && !/GOFLAGS=["']?[^"'\n]*-mod=readonly/.test(code)) {
    out.push(`${name}: the build does not set GOFLAGS=-mod=readonly`);
  }
  if (strict && !/GOTOOLCHAIN=local/.test(code)) out.push(`${name}: the build does not set GOTOOLCHAIN=local`);
  return out;
}

/** `require`d and `replace`d module versions of a go.mod. */
export function goModVersions(text: string): { require: Map<string, string>; replace: Map<string, string> } {
  const require = new Map<string, string>();
  const replace = new Map<string, string>();
  let block: 'require' | 'replace' | null = null;
  for (const raw of text.split('\n')) {
    const l = raw.replace(/\/\/.*$/, '').trim();
    if (!l) continue;
    if (/^(require|replace)\s*\($/.test(l)) { block = l.startsWith('require') ? 'require' : 'replace'; continue; }
    if (l === ')') { block = null; continue; }
    let m = /^(?:require\s+)?(\S+)\s+(\S+)$/.exec(l);
    if ((block === 'require' || l.startsWith('require ')) && m) { require.set(m[1]!, m[2]!); continue; }
    m = /^(?:replace\s+)?(\S+)(?:\s+\S+)?\s+=>\s+(\S+)(?:\s+(\S+))?$/.exec(l);
    if ((block === 'replace' || l.startsWith('replace ')) && m) replace.set(m[1]!, m[3] ?? m[2]!);
  }
  return { require, replace };
}

/** Every violation found in the build and the committed modules; empty when all is pinned. */
export function pinningViolations(input: PinningInput): string[] {
  const { clusterDir } = input;
  const out: string[] = [];
  const vars = readEnv(join(clusterDir, 'versions.env'));
  const need = (k: string): string => vars.get(k) ?? (out.push(`versions.env has no ${k}`), '');
  const k8s = need('KUBERNETES_VERSION');
  const etcd = need('ETCD_VERSION');
  const kwok = need('KWOK_VERSION');

  const build = join(clusterDir, 'build.sh');
  out.push(...scriptViolations('build.sh', readFileSync(build, 'utf8'), vars, true));
  const update = join(clusterDir, 'modules', 'update.sh');
  if (existsSync(update)) out.push(...scriptViolations('modules/update.sh', readFileSync(update, 'utf8'), vars, false));
  for (const s of input.scripts ?? []) {
    if (existsSync(s)) out.push(...scriptViolations(s, readFileSync(s, 'utf8'), vars, false));
  }

  const expect: Record<(typeof MODULES)[number], [string, string][]> = {
    kubernetes: [['k8s.io/kubernetes', k8s]],
    etcd: [['go.etcd.io/etcd/server/v3', etcd]],
    kwok: [['sigs.k8s.io/kwok', kwok]],
  };
  for (const m of MODULES) out.push(...moduleViolations(clusterDir, m, expect[m], m === 'kubernetes' ? k8s : undefined));
  out.push(...olderViolations(clusterDir));
  return out;
}

/**
 * The older Kubernetes minors: each versions-1.MINOR.env pins KUBERNETES_VERSION of that minor,
 * and modules/kubernetes-1.MINOR requires it, with every staging module at its v0 tag except the
 * STAGING_OVERRIDES (exact patches of the same minor, each needing a reason in the file).
 */
export function olderViolations(clusterDir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(clusterDir).filter((x) => /^versions-1\.\d+\.env$/.test(x)).sort()) {
    const minor = f.slice('versions-'.length, -'.env'.length);
    const vars = readEnv(join(clusterDir, f));
    const k8s = vars.get('KUBERNETES_VERSION') ?? '';
    if (!k8s.startsWith(`v${minor}.`) || !EXACT.test(k8s)) {
      out.push(`${f}: KUBERNETES_VERSION ${k8s || '(none)'} is not an exact ${minor} version`);
      continue;
    }
    const overrides = new Map<string, string>();
    for (const o of (vars.get('STAGING_OVERRIDES') ?? '').split(/\s+/).filter(Boolean)) {
      const [path, version = ''] = o.split('@');
      if (!EXACT.test(version) || !version.startsWith(`v0.${minor.slice(2)}.`)) out.push(`${f}: override ${o} is not an exact v0.${minor.slice(2)} patch`);
      overrides.set(path!, version);
    }
    out.push(...moduleViolations(clusterDir, `kubernetes-${minor}`, [['k8s.io/kubernetes', k8s]], k8s, overrides));
  }
  return out;
}

/** Violations of one committed wrapper module: exact versions, go.sum, the expected requires and staging replaces. */
function moduleViolations(clusterDir: string, m: string, expect: [string, string][], k8s?: string, overrides = new Map<string, string>()): string[] {
  const out: string[] = [];
  const mod = join(clusterDir, 'modules', m, 'go.mod');
  const sum = join(clusterDir, 'modules', m, 'go.sum');
  if (!existsSync(mod)) return [`modules/${m}/go.mod is missing`];
  if (!existsSync(sum) || readFileSync(sum, 'utf8').trim() === '') return [`modules/${m}/go.sum is missing or empty`];
  const sumText = readFileSync(sum, 'utf8');
  const { require, replace } = goModVersions(readFileSync(mod, 'utf8'));
  for (const [path, version] of [...require, ...replace]) {
    if (!EXACT.test(version)) out.push(`modules/${m}/go.mod: ${path} ${version} is not an exact version`);
  }
  for (const [path, version] of expect) {
    const got = require.get(path);
    if (got !== version) out.push(`modules/${m}/go.mod requires ${path} ${got ?? '(nothing)'}, versions.env says ${version}`);
    if (!sumText.includes(`${path} ${version} h1:`)) out.push(`modules/${m}/go.sum has no checksum for ${path} ${version}`);
  }
  if (k8s) {
    const staging = `v0.${k8s.replace(/^v1\./, '')}`;
    if (replace.size === 0) out.push(`modules/${m}/go.mod replaces no staging module`);
    for (const [path, version] of replace) {
      const want = overrides.get(path) ?? staging;
      if (path.startsWith('k8s.io/') && version !== want) {
        out.push(`modules/${m}/go.mod replaces ${path} with ${version}, expected ${want} for ${k8s}`);
      }
    }
    for (const path of overrides.keys()) if (!replace.has(path)) out.push(`modules/${m}/go.mod does not replace ${path} (STAGING_OVERRIDES)`);
  }
  return out;
}

