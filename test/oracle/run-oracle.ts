/**
 * Runs the schedule oracle outside mocha against the cluster of KUBECONFIG (a scratch control
 * plane whose nodes kwok manages; never a real cluster: it creates and deletes nodes).
 *   KUBECONFIG=... npx tsx test/oracle/run-oracle.ts [seed] [worlds] [perWorld]
 * Prints the agreement rate and the disagreement classes; writes every outcome to ORACLE_OUT if set.
 */
import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { runOracle, summarise } from './oracle.js';

const [seed = '1', worlds = '20', perWorld = '25'] = process.argv.slice(2);
const kc = new KubeConfig();
kc.loadFromDefault();
const outcomes = await runOracle(kc, { seed: Number(seed), worlds: Number(worlds), perWorld: Number(perWorld), log: (s) => console.error(s) });
const s = summarise(outcomes);
console.log(JSON.stringify(s, null, 2));
if (process.env.ORACLE_OUT) writeFileSync(process.env.ORACLE_OUT, JSON.stringify(outcomes, null, 2));
