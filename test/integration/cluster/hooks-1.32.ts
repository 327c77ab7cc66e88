/**
 * Mocha root hooks of the Kubernetes 1.32 subset (.mocharc.integration-1.32.json): the same hooks
 * as hooks.ts, with a cluster of the older minor pinned in versions-1.32.env.
 */
process.env.PODSCOPE_CLUSTER_KUBERNETES ||= '1.32';
export { mochaHooks } from './hooks.js';
