/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `1e3`, `100M`) as exact values
 * (k8s.io/apimachinery pkg/api/resource/quantity.go). Hand-written: client-node's
 * `quantityToScalar` throws on fractional binary quantities such as `1.5Gi` and loses precision;
 * the grammar is small and exactness matters when we say "short by 1 byte".
 */

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** An exact rational value: num / den, den > 0. */
interface Rational {
  num: bigint;
  den: bigint;
}

function pow10(e: number): bigint {
  return 10n ** BigInt(e);
}

/** Parses a quantity into an exact rational; throws on bad syntax. */
function parseRational(text: string): Rational {
  const s = text.trim();
  const m = QUANTITY.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`invalid quantity "${text}"`);
  const [, sign, int, frac = '', exp, suffix = ''] = m;
  let num = BigInt(`${int || '0'}${frac}`);
  let den = pow10(frac.length);
  if (sign === '-') num = -num;
  if (exp) {
    const e = Number(exp.slice(1));
    if (e >= 0) num *= pow10(e);
    else den *= pow10(-e);
  } else if (suffix in BINARY) {
    num *= BINARY[suffix];
  } else {
    const e = DECIMAL[suffix];
    if (e >= 0) num *= pow10(e);
    else den *= pow10(-e);
  }
  return { num, den };
}

/** Ceiling division that works for negative numerators too. */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b > 0n ? q + 1n : q;
}

/** The quantity in whole units, rounded up like Quantity.Value() (bytes for memory, count for pods). */
export function quantityValue(text: string): number {
  const r = parseRational(text);
  return Number(ceilDiv(r.num, r.den));
}

/** The quantity in thousandths, rounded up like Quantity.MilliValue() (millicores for cpu). */
export function quantityMilli(text: string): number {
  const r = parseRational(text);
  return Number(ceilDiv(r.num * 1000n, r.den));
}

/** Whether text is a valid quantity. */
export function isQuantity(text: string): boolean {
  try {
    parseRational(text);
    return true;
  } catch {
    return false;
  }
}

/** A resource amount in the unit the scheduler compares: millicores for cpu, whole units otherwise. */
export function resourceAmount(resource: string, text: string): number {
  return resource === 'cpu' ? quantityMilli(text) : quantityValue(text);
}

/** Formats an amount for people: `250m` cpu, `1.5Gi` bytes, plain counts otherwise. */
export function formatAmount(resource: string, amount: number): string {
  if (resource === 'cpu') return amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-')) return formatBytes(amount);
  return String(amount);
}

function formatBytes(n: number): string {
  const units = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let v = n;
  let u = '';
  for (const next of units) {
    if (Math.abs(v) < 1024) break;
    v /= 1024;
    u = next;
  }
  if (u === '') return String(n);
  const r = Math.round(v * 10) / 10;
  return `${Number.isInteger(r) ? r : r.toFixed(1)}${u}`;
}
