/**
 * Kubelet log lines of every era, as they reach podscope: klog text (`E1119 10:02:03.123456  1234
 * kubelet.go:1846] ...`), structured klog (`"Skipping pod synchronization" err="..."`), klog JSON
 * (`{"ts":1732010523.1,"caller":"...","msg":"...","err":"..."}`), behind a journald prefix
 * (`Nov 19 10:02:03 node-7 kubelet[1234]: `, or `-o short-iso`) or a CRI container-log prefix
 * (`2026-11-19T10:02:03.1Z stderr F `). Hand-written because no library parses klog: the formats
 * are fixed by k8s.io/klog (text and JSON) and systemd's journalctl output modes.
 */

/** One kubelet log line, split into what podscope uses. */
export interface KubeletLogLine {
  /** Milliseconds since the epoch, or null when the line has no timestamp. */
  time: number | null;
  /** journald's host field (the node's hostname), when there is a journald prefix. */
  host: string | null;
  /** klog severity letter (I, W, E, F), when there is one. */
  level: string | null;
  /** The message with every prefix removed; JSON lines are rendered as `msg key="value" ...`. */
  text: string;
  /** Whether the line had a kubelet log shape (klog header, klog JSON, journald or node prefix). */
  kubelet: boolean;
}

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

const JOURNAL_SHORT = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(\.\d+)? (\S+) [^\s:[]+(?:\[\d+\])?: /;
const JOURNAL_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?) (\S+) [^\s:[]+(?:\[\d+\])?: /;
const CRI_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (?:stdout|stderr) [FP] /;
const KLOG = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d+) +\d+ [^\]\s]+\] /;
// Any-locale syslog prefix (`sept. 20 16:41:05 host kubelet[1]: `, `8月 22 19:25:29 host kubelet[1]: `): the
// month cannot be read, so the klog header after it gives the time.
const JOURNAL_ANY = /^\S{1,6} {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? (\S+) [^\s:[]+(?:\[\d+\])?: /;
// A unit prefix with no time (`kubelet.service[123]: E1108 ...`, `kubelet: I0102 ...`).
const UNIT_ONLY = /^[\w.@-]+(?:\[\d+\])?: (?=[IWEF]\d{4} \d\d:)/;
// talosctl prints each service line behind the node it came from (`10.200.1.3: {"ts":...}`).
const NODE_PREFIX = /^([\w.:-]+): (?=\{)/;

function isoMs(text: string): number | null {
  // journalctl -o short-iso prints +0000 without a colon; Date wants +00:00.
  const t = Date.parse(text.replace(',', '.').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(t) ? null : t;
}

function fraction(f: string | undefined): number {
  return f ? Number(`0.${f.replace(/^\./, '')}`) * 1000 : 0;
}

function renderJson(obj: Record<string, unknown>): string {
  const parts: string[] = [typeof obj.msg === 'string' ? JSON.stringify(obj.msg) : ''];
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'ts' || k === 'msg' || k === 'v' || k === 'caller' || k === 'logger') continue;
    parts.push(`${k}=${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? ''}`);
  }
  return parts.join(' ');
}

/**
 * Parses one line. Years are missing from klog and journald's short format: `year` supplies it
 * (the caller passes the year of the log's context, by default the current one). Never throws.
 */
export function parseKubeletLogLine(raw: string, year: number = new Date().getUTCFullYear()): KubeletLogLine {
  let rest = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  // Pasted logs arrive indented (`docker logs` in a Markdown list) or quoted (`> ` in e-mail replies).
  if (rest.startsWith(' ') || rest.startsWith('\t') || rest.startsWith('>')) rest = rest.replace(/^(?:\s*>)*\s*/, '');
  let time: number | null = null;
  let host: string | null = null;
  let level: string | null = null;

  const cri = CRI_PREFIX.exec(rest);
  if (cri) {
    time = isoMs(cri[1]);
    rest = rest.slice(cri[0].length);
  }
  const np = NODE_PREFIX.exec(rest);
  if (np) {
    host = np[1];
    rest = rest.slice(np[0].length);
  }
  const js = JOURNAL_SHORT.exec(rest);
  if (js && MONTHS[js[1]] !== undefined) {
    time = Date.UTC(year, MONTHS[js[1]], Number(js[2]), Number(js[3]), Number(js[4]), Number(js[5])) + fraction(js[6]);
    host = js[7];
    rest = rest.slice(js[0].length);
  } else {
    const ji = JOURNAL_ISO.exec(rest);
    if (ji) {
      time = isoMs(ji[1]);
      host = ji[2];
      rest = rest.slice(ji[0].length);
    } else {
      const ja = JOURNAL_ANY.exec(rest) ?? UNIT_ONLY.exec(rest);
      if (ja) {
        host = ja[1] ?? host;
        rest = rest.slice(ja[0].length);
      }
    }
  }
  const k = KLOG.exec(rest);
  if (k) {
    level = k[1];
    // klog's own time has microseconds; the journald time (if any) only says when it was read.
    const kt = Date.UTC(year, Number(k[2]) - 1, Number(k[3]), Number(k[4]), Number(k[5]), Number(k[6])) + fraction(k[7]);
    if (time === null || Math.abs(kt - time) < 24 * 3600_000) time = kt;
    rest = rest.slice(k[0].length);
  } else if (rest.startsWith('{') && rest.includes('"msg"')) {
    try {
      const obj = JSON.parse(rest) as Record<string, unknown>;
      if (obj && typeof obj === 'object') {
        // klog JSON writes seconds; talosctl prints the kubelet's lines with milliseconds.
        if (typeof obj.ts === 'number') time = Math.round(obj.ts > 1e11 ? obj.ts : obj.ts * 1000);
        else if (typeof obj.ts === 'string') time = isoMs(obj.ts);
        level = typeof obj.err === 'string' ? 'E' : 'I';
        rest = renderJson(obj);
      }
    } catch {
      // Not JSON after all (truncated line): keep the text as it is.
    }
  }
  return { time, host, level, text: rest, kubelet: level !== null || host !== null || time !== null };
}

/** A log time for evidence lines, `11-19 10:02:03` (UTC; the year is not in most kubelet logs). */
export function formatLogTime(ms: number | null): string {
  if (ms === null) return '?';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(5, 10)} ${iso.slice(11, 19)}`;
}
