// Writes a realistic kubelet journal (journald prefix + klog, several eras mixed) of a given size:
// mostly routine sync-loop, probe and volume lines, with PLEG, CRI-timeout, CNI and disk symptoms
// sprinkled in at the rates a sick node shows. Reused when present (bench/.data is gitignored).
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

const MON = ['Nov'];
const pad = (n, w = 2) => String(n).padStart(w, '0');

function* lines(host) {
  let i = 0;
  for (;;) {
    const s = i % 86400;
    const hh = pad(Math.floor(s / 3600));
    const mm = pad(Math.floor((s % 3600) / 60));
    const ss = pad(s % 60);
    const us = pad((i * 7919) % 1000000, 6);
    const pre = `${MON[0]} 19 ${hh}:${mm}:${ss} ${host} kubelet[3921]: `;
    const kl = (lvl, file) => `${lvl}1119 ${hh}:${mm}:${ss}.${us}    3921 ${file}] `;
    const id = ((i * 2654435761) >>> 0).toString(16).padStart(8, '0');
    const pod = `ns-${i % 40}/web-${id.slice(0, 5)}-${i % 97}`;
    const r = i % 1000;
    let line;
    if (r < 300) line = `${kl('I', 'kubelet.go:2442')}"SyncLoop (PLEG): event for pod" pod="${pod}" event={"ID":"${id}-5e3b-4f0b-9d57-1c1f0e1b9d11","Type":"ContainerStarted","Data":"${id}a1"}`;
    else if (r < 550) line = `${kl('I', 'prober.go:107')}"Probe succeeded" probeType="Readiness" pod="${pod}" containerName="web"`;
    else if (r < 700) line = `${kl('I', 'reconciler_common.go:231')}"operationExecutor.MountVolume started for volume \\"kube-api-access-${id.slice(0, 5)}\\" (UniqueName: \\"kubernetes.io/projected/${id}-kube-api-access\\") pod \\"web\\"" pod="${pod}"`;
    else if (r < 850) line = `${kl('I', 'status_manager.go:853')}"Status for pod updated successfully" pod="${pod}" statusVersion=3 status={"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}`;
    else if (r < 940) line = `${kl('E', 'pod_workers.go:1300')}"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"web\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container\\"" pod="${pod}"`;
    else if (r < 975) line = `${kl('I', 'prober.go:107')}"Probe failed" probeType="Liveness" pod="${pod}" output="Get \\"http://10.244.${i % 250}.${i % 200}:8080/healthz\\": dial tcp: connect: connection refused"`;
    else if (r < 985) line = `${kl('E', 'kubelet.go:2359')}"Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active ${3 + (i % 5)}m${i % 60}.${us}s ago; threshold is 3m0s"`;
    else if (r < 992) line = `${kl('E', 'remote_runtime.go:294')}"ListPodSandbox with filter from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" filter="nil"`;
    else if (r < 995) line = `${kl('E', 'generic.go:238')}"GenericPLEG: Unable to retrieve pods" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded"`;
    else if (r < 998) line = `${kl('E', 'fsHandler.go:114')}"failed to collect filesystem stats" rootDiskErr="du command failed on /var/lib/containerd/${id}" err="signal: killed"`;
    else line = `${kl('W', 'docker_sandbox.go:372')}failed to read pod IP from plugin/docker: NetworkPlugin cni failed on the status hook for pod "${pod}": Unexpected command output nsenter: cannot open : No such file or directory`;
    yield pre + line;
    i++;
  }
}

/** Makes `file` of about `bytes` bytes unless it exists with that size; returns MiB and whether reused. */
export async function generateKubeletLog(file, bytes) {
  if (existsSync(file) && statSync(file).size >= bytes) return { mb: statSync(file).size / 2 ** 20, reused: true };
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let written = 0;
  const it = lines('ip-10-0-12-7');
  while (written < bytes) {
    const batch = [];
    for (let k = 0; k < 20000; k++) batch.push(it.next().value);
    const chunk = `${batch.join('\n')}\n`;
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
  return { mb: written / 2 ** 20, reused: false };
}

/**
 * Writes about `bytes` bytes of the same log to a stream (standard output for a pipe): one block of
 * `block` bytes is built once and written again and again, so the writer costs next to nothing
 * beside the reader it feeds. The log's clock wraps every 86,400 lines anyway.
 */
export async function streamKubeletLog(out, bytes, block = 2 ** 26) {
  const it = lines('ip-10-0-12-7');
  const parts = [];
  let size = 0;
  while (size < block) {
    const l = `${it.next().value}\n`;
    parts.push(l);
    size += Buffer.byteLength(l);
  }
  const buf = Buffer.from(parts.join(''));
  let written = 0;
  while (written < bytes) {
    const chunk = written + buf.length <= bytes ? buf : buf.subarray(0, buf.lastIndexOf(10, bytes - written - 1) + 1);
    if (chunk.length === 0) break;
    written += chunk.length;
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  return written;
}

// `node bench/gen-kubelet-log.js --stdout BYTES` streams the log into a pipe, never to disk.
if (process.argv[2] === '--stdout') {
  // A reader that stops early (head, a failing podscope) is not the writer's error.
  process.stdout.on('error', () => process.exit(0));
  await streamKubeletLog(process.stdout, Number(process.argv[3] ?? 2 ** 30));
}
