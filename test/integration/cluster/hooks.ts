/**
 * Mocha root hooks for the integration suite: start the cluster once before all tests and stop
 * it after all tests, on failure too, and on SIGINT/SIGTERM; a last-resort `exit` handler
 * SIGKILLs whatever is left. With PODSCOPE_REUSE_CLUSTER=1 the run uses the cluster that
 * `cluster:up` left running instead, and leaves it running.
 */
import { attachCluster, findRunningUpCluster, startCluster, stopCluster, type Cluster } from './harness.js';
import { killProcessesNow } from './processes.js';

let current: Cluster | undefined;

/** The cluster of this run; throws outside the root hooks' lifetime. */
export function cluster(): Cluster {
  if (!current) throw new Error('no cluster: the integration root hooks did not start one');
  return current;
}

async function onSignal(sig: NodeJS.Signals): Promise<void> {
  if (current?.owned) await stopCluster(current);
  process.exit(sig === 'SIGINT' ? 130 : 143);
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(45 * 60_000); // a cold build may run first
    // A run for another Kubernetes minor (PODSCOPE_CLUSTER_KUBERNETES) always starts its own.
    const reuse = process.env.PODSCOPE_REUSE_CLUSTER === '1' && !process.env.PODSCOPE_CLUSTER_KUBERNETES;
    const running = reuse ? findRunningUpCluster() : undefined;
    current = running ? attachCluster(running) : await startCluster({ owner: 'test' });
    if (running) process.stderr.write(`[cluster] using the cluster left by cluster:up: ${running.server}\n`);
    if (current.owned) {
      process.once('SIGINT', (s) => void onSignal(s));
      process.once('SIGTERM', (s) => void onSignal(s));
      process.once('exit', () => current?.owned && killProcessesNow(current.state.procs));
    }
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    if (current?.owned) await stopCluster(current);
    current = undefined;
  },
};
