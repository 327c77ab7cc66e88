/**
 * The kubelets of the kwok nodes, as the API server reaches them.
 *
 * Two things stand between the API server's node proxy and kwok:
 * - The API server refuses to proxy to a node whose address is not global unicast (so not
 *   127.0.0.1; kubernetes pkg/registry/core/node/strategy.go isProxyableHostname). Nodes get
 *   addresses from 198.18.0.0/15 (RFC 2544, benchmarking), and the API server's egress
 *   selector sends all its "cluster" traffic as HTTP CONNECT over a unix socket to this
 *   process. No packet ever goes to those addresses: a CONNECT is served here, in process.
 * - kwok serves all nodes on one port and tells them apart by path, while the API server asks
 *   a node's kubelet for plain `/metrics`. So, per CONNECT target (node IP):
 *     /metrics[/sub]  ->  kwok https://127.0.0.1:PORT/metrics/nodes/NODE/metrics[/sub]
 *     /logs/?query=Q  ->  the file LOGS_DIR/NODE/Q.log if a test wrote one (tailLines and
 *                         pattern applied, as the kubelet's node log query does), else 404
 *                         like a kubelet without the system log handler; with
 *                         `nodeLogQuery: false` (a 1.32 kubelet, NodeLogQuery off by default)
 *                         the listing of /var/log, as that kubelet serves it (see below)
 *     anything else   ->  kwok, unchanged (containerLogs, exec, ... as kwok serves them)
 * Run as: node --import tsx kubelet-front.ts CONFIG.json. CONFIG.json is re-read when a
 * CONNECT names an unknown address (new nodes). Prints "kubelet-front ready" when listening.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file kubelet-front.ts reads. */
export interface FrontConfig {
  /** Unix socket the API server's egress selector connects to. */
  socket: string;
  kwokPort: number;
  cert: string;
  key: string;
  ca: string;
  /** The kubelet port every node advertises. */
  kubeletPort: number;
  /** node InternalIP -> node name */
  nodes: Record<string, string>;
  /** Node log query files: LOGS_DIR/NODE/QUERY.log (kwok has no node log query). */
  logsDir: string;
  /** false: answer /logs/ as a kubelet whose NodeLogQuery gate is off (1.32's default). Default true. */
  nodeLogQuery?: boolean;
}

/** The /var/log of a kubeadm node, as the listing below shows it. */
const VAR_LOG = ['apt/', 'btmp', 'containers/', 'dpkg.log', 'journal/', 'lastlog', 'pods/', 'wtmp'];

/**
 * /logs/ of a kubelet without NodeLogQuery (v1.32.13 pkg/kubelet/kubelet.go, Run:
 * `http.StripPrefix("/logs/", http.FileServer(http.Dir("/var/log")))`): the query string is ignored
 * and the answer is 200 with Go's directory listing of /var/log (net/http fs.go dirList).
 */
function varLogListing(res: ServerResponse): void {
  const body = ['<!doctype html>', '<meta name="viewport" content="width=device-width">', '<pre>',
    ...VAR_LOG.map((n) => `<a href="${n}">${n}</a>`), '</pre>', ''].join('\n');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'last-modified': new Date().toUTCString() }).end(body);
}

/** Map a kubelet path to kwok's path for `node`. */
export function kwokPath(node: string, path: string): string {
  const m = /^\/metrics(\/[^?]*)?(\?.*)?$/.exec(path);
  if (!m) return path;
  const sub = m[1] === '/' ? '' : (m[1] ?? '');
  return `/metrics/nodes/${encodeURIComponent(node)}/metrics${sub}${m[2] ?? ''}`;
}

/**
 * kwok v0.8.0 writes every histogram's `le="+Inf"` bucket as 0; client_golang (so a kubelet)
 * writes it equal to `_count`. Repair that so the text is what a kubelet serves.
 */
export function repairInfBuckets(text: string): string {
  const counts = new Map<string, string>();
  for (const m of text.matchAll(/^(\w+)_count(\{[^}]*\})? (\S+)$/gm)) counts.set(m[1]! + (m[2] ?? ''), m[3]!);
  return text.replace(/^(\w+)_bucket\{(.*?),?le="\+Inf"\} 0$/gm, (line, name: string, labels: string) => {
    const count = counts.get(name + (labels ? `{${labels}}` : ''));
    return count === undefined ? line : line.replace(/ 0$/, ` ${count}`);
  });
}

/** Answer a node log query (KEP-2258) from a file; sinceTime/untilTime/boot are not supported. */
function nodeLogQuery(conf: FrontConfig, node: string, url: URL, res: ServerResponse): void {
  const query = url.searchParams.get('query') ?? '';
  const file = join(conf.logsDir, node, `${query}.log`);
  if (!/^[\w.-]+$/.test(query) || !existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    return;
  }
  let lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const pattern = url.searchParams.get('pattern');
  if (pattern) lines = lines.filter((l) => new RegExp(pattern).test(l));
  const tail = Number(url.searchParams.get('tailLines') ?? '');
  if (Number.isInteger(tail) && tail > 0) lines = lines.slice(-tail);
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(lines.map((l) => l + '\n').join(''));
}

function forward(conf: FrontConfig, ca: Buffer, node: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'https://kubelet');
  if (url.pathname === '/logs/' && conf.nodeLogQuery === false) return varLogListing(res);
  if (url.pathname === '/logs/' || url.pathname === '/logs') return nodeLogQuery(conf, node, url, res);
  const path = kwokPath(node, req.url ?? '/');
  const upstream = httpsRequest(
    {
      host: '127.0.0.1',
      port: conf.kwokPort,
      method: req.method,
      path,
      headers: { ...req.headers, host: `127.0.0.1:${conf.kwokPort}`, 'accept-encoding': 'identity' },
      ca,
      servername: 'localhost',
    },
    (up) => {
      if (!path.startsWith('/metrics/nodes/')) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      let body = '';
      up.setEncoding('utf8');
      up.on('data', (c: string) => (body += c));
      up.on('end', () => {
        const headers = { ...up.headers };
        delete headers['content-length'];
        res.writeHead(up.statusCode ?? 502, headers);
        res.end(repairInfBuckets(body));
      });
    },
  );
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`kubelet-front: kwok unreachable: ${err.message}\n`);
  });
  req.pipe(upstream);
}

function main(configPath: string): void {
  let conf = JSON.parse(readFileSync(configPath, 'utf8')) as FrontConfig;
  const tls = { cert: readFileSync(conf.cert), key: readFileSync(conf.key) };
  const ca = readFileSync(conf.ca);
  const kubelets = new Map<string, Server>();
  const kubeletFor = (node: string): Server => {
    let s = kubelets.get(node);
    if (!s) {
      s = createHttpsServer(tls, (req, res) => forward(conf, ca, node, req, res));
      kubelets.set(node, s);
    }
    return s;
  };
  const nodeAt = (target: string): string | undefined => {
    const m = /^([\d.]+):(\d+)$/.exec(target);
    if (!m || Number(m[2]) !== conf.kubeletPort) return undefined;
    if (!conf.nodes[m[1]!]) conf = JSON.parse(readFileSync(configPath, 'utf8')) as FrontConfig;
    return conf.nodes[m[1]!];
  };
  const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const node = nodeAt(req.url ?? '');
    if (!node) {
      // Not a kwok kubelet: refuse rather than dial anything.
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      process.stderr.write(`kubelet-front: refused CONNECT ${req.url}\n`);
      return;
    }
    socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
    kubeletFor(node).emit('connection', socket);
  });
  rmSync(conf.socket, { force: true });
  proxy.listen(conf.socket, () => process.stdout.write('kubelet-front ready\n'));
  process.on('SIGTERM', () => process.exit(0));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const configPath = process.argv[2];
  if (!configPath) {
    process.stderr.write('usage: kubelet-front.ts CONFIG.json\n');
    process.exit(2);
  }
  main(configPath);
}
