import type { V1LabelSelector } from '@kubernetes/client-node';

/** One requirement of a label selector. */
export interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/**
 * Parses kubectl's `-l` syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * comma-separated (k8s.io/apimachinery pkg/labels/selector.go). Throws on bad syntax.
 * Hand-written: no maintained JS library implements this grammar; it is a few lines.
 */
export function parseSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  // Split on commas that are not inside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const key = '([A-Za-z0-9][-A-Za-z0-9_./]*)';
  for (const raw of parts.map((p) => p.trim())) {
    if (!raw) continue;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^${key}\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(raw))) {
      reqs.push({ key: m[1], op: m[2] === 'in' ? 'In' : 'NotIn', values: m[3].split(',').map((v) => v.trim()).filter((v) => v !== '') });
    } else if ((m = new RegExp(`^${key}\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`).exec(raw))) {
      reqs.push({ key: m[1], op: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3]] });
    } else if ((m = new RegExp(`^!\\s*${key}$`).exec(raw))) {
      reqs.push({ key: m[1], op: 'DoesNotExist', values: [] });
    } else if ((m = new RegExp(`^${key}$`).exec(raw))) {
      reqs.push({ key: m[1], op: 'Exists', values: [] });
    } else {
      throw new Error(`cannot parse label selector "${text}" at "${raw}"`);
    }
  }
  return reqs;
}

/** Requirements of a LabelSelector object (matchLabels and matchExpressions). */
export function requirementsOf(sel: V1LabelSelector): Requirement[] {
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'In' as const, values: [v] }));
  for (const e of sel.matchExpressions ?? []) {
    reqs.push({ key: e.key, op: e.operator as Requirement['op'], values: e.values ?? [] });
  }
  return reqs;
}

/** Whether labels satisfy every requirement (an empty list matches everything). */
export function matches(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'In':
        return has && r.values.includes(l[r.key]);
      case 'NotIn':
        return !has || !r.values.includes(l[r.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}
