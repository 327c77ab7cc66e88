/**
 * cluster:up / cluster:down / cluster:status.
 *   up      start a cluster and leave it running (reuses a running one); prints the kubeconfig path
 *   down    stop clusters left by `up` and clusters whose test run died; --all: every recorded one
 *   status  list recorded clusters
 * Processes are stopped by the PIDs recorded at start, never by name.
 */
import { findRunningUpCluster, startCluster, stopCluster } from './harness.js';
import { clusterAlive, registeredClusters, type ClusterState } from './processes.js';

function ownerAlive(s: ClusterState): boolean {
  try {
    process.kill(s.ownerPid, 0);
    return true;
  } catch {
    return false;
  }
}

async function up(): Promise<void> {
  const running = findRunningUpCluster();
  if (running) {
    console.log(`already running: ${running.server}`);
    console.log(`export KUBECONFIG=${running.kubeconfig}`);
    return;
  }
  const cluster = await startCluster({ owner: 'up' });
  console.log(`export KUBECONFIG=${cluster.kubeconfig}`);
}

async function down(all: boolean): Promise<void> {
  const targets = registeredClusters().filter((s) => all || s.owner === 'up' || !ownerAlive(s));
  for (const state of targets) {
    await stopCluster({ state });
    console.log(`stopped ${state.id} (${state.procs.map((x) => `${x.name}:${x.pid}`).join(' ')})`);
  }
  if (targets.length === 0) console.log('no cluster to stop');
}

function status(): void {
  const all = registeredClusters();
  for (const s of all) {
    console.log(`${s.id} owner=${s.owner} ${clusterAlive(s) ? 'running' : 'partly stopped'} ${s.server} ${s.kubeconfig}`);
  }
  if (all.length === 0) console.log('no cluster recorded');
}

const [cmd, ...rest] = process.argv.slice(2);
const run = cmd === 'up' ? up() : cmd === 'down' ? down(rest.includes('--all')) : cmd === 'status' ? Promise.resolve(status()) : undefined;
if (!run) {
  console.error('usage: cli.ts up | down [--all] | status');
  process.exit(2);
}
run.then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
