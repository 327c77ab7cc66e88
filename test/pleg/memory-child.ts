// Child process for the flat-memory test: scans N MB of generated kubelet log (never held in
// memory) and prints the largest heap seen after GC while scanning. Run with --expose-gc.
import { scanKubeletLog } from '../../src/analysis/pleg/logscan.js';

const mb = Number(process.argv[2] ?? '5');
const gc = (globalThis as { gc?: () => void }).gc;

function* chunks(): Generator<Buffer> {
  let made = 0;
  let i = 0;
  while (made < mb * 1024 * 1024) {
    const lines: string[] = [];
    for (let k = 0; k < 400; k++, i++) {
      const id = (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8);
      lines.push(
        i % 7 === 0
          ? `E1119 10:02:03.${String(i % 1e6).padStart(6, '0')}    1 remote_runtime.go:479] "ContainerStatus from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" containerID="${id}"`
          : i % 11 === 0
            ? `E1119 10:02:04.000000    1 kubelet.go:2359] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active ${i % 900}m${i % 60}.5s ago; threshold is 3m0s"`
            : `I1119 10:02:05.000000    1 kubelet.go:2442] "SyncLoop (probe)" probe="readiness" status="ready" pod="ns-${i % 50}/web-${id.slice(0, 10)}"`,
      );
    }
    const b = Buffer.from(`${lines.join('\n')}\n`);
    made += b.length;
    yield b;
  }
}

let peak = 0;
let n = 0;
async function* sampled(): AsyncGenerator<Buffer> {
  for (const c of chunks()) {
    if (++n % 50 === 0 && gc) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    yield c;
  }
}
const r = await scanKubeletLog(sampled(), { year: 2026 });
gc?.();
peak = Math.max(peak, process.memoryUsage().heapUsed);
process.stdout.write(JSON.stringify({ mb, bytes: r.bytes, peak, hits: r.hits['cri-deadline']?.count ?? 0 }));
