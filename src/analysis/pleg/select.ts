import type { CoreV1Event, V1Node } from '@kubernetes/client-node';
import { CRI_TIMEOUT, RUNTIME_GONE, eventsForNode, notReadyCount, plegSymptomText, readiness } from './node-facts.js';

/** A node chosen for diagnosis by default, and why. */
export interface SelectedNode {
  name: string;
  why: string;
}

/**
 * The default selection of `podscope pleg`: nodes that are not Ready, flap (NodeNotReady twice or
 * more), or show PLEG or runtime symptoms in their Ready message or events.
 */
export function selectSuspectNodes(nodes: V1Node[], events: CoreV1Event[]): SelectedNode[] {
  const out: SelectedNode[] = [];
  for (const node of nodes) {
    const name = node.metadata?.name;
    if (!name) continue;
    const r = readiness(node);
    const ev = eventsForNode(events, name);
    let why: string | null = null;
    if (r.status !== 'True') why = `Ready=${r.status ?? 'missing'}`;
    else if (plegSymptomText(r.message)) why = 'PLEG symptoms in the Ready condition';
    else if (notReadyCount(ev) >= 2) why = `flapping (NodeNotReady ×${notReadyCount(ev)})`;
    else if (ev.some((e) => plegSymptomText(e.message))) why = 'PLEG symptoms in events';
    else if (ev.some((e) => /GCFailed$/.test(e.reason ?? '') && (CRI_TIMEOUT.test(e.message ?? '') || RUNTIME_GONE.test(e.message ?? '')))) {
      why = 'runtime timeouts in events';
    }
    if (why) out.push({ name, why });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
