/**
 * Parses a Go `time.Duration` string as `%v` prints it (`3m5.30015447s`, `27h14m51.4s`, `3m0s`,
 * `150ms`, `1.5µs`) into seconds; null when it is not one.
 */
export function parseGoDuration(text: string): number | null {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/gy;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ns: 1e-9 };
  let sign = 1;
  let i = 0;
  if (s.startsWith('-')) {
    sign = -1;
    i = 1;
  }
  let total = 0;
  let parts = 0;
  re.lastIndex = i;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * unit[m[2]];
    parts++;
    i = re.lastIndex;
  }
  if (parts === 0 || i !== s.length) return null;
  return sign * total;
}

/** Formats seconds the short way an operator reads them: `3m5s`, `1h2m`, `850ms`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  let rest = Math.round(seconds);
  const d = Math.floor(rest / 86400);
  rest -= d * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const out = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean).join('');
  return out || '0s';
}

/** kubectl's duration flags (--request-timeout): a bare integer is seconds, else a Go duration. */
export function parseFlagDuration(text: string): number | null {
  const s = text.trim();
  return /^\d+$/.test(s) ? Number(s) : parseGoDuration(s);
}
