import type { FilterPlugin } from './types.js';
import { fail } from './types.js';

/**
 * NodeName: with `spec.nodeName` set only that node passes
 * (pkg/scheduler/framework/plugins/nodename/node_name.go). Such a pod normally never reaches
 * the scheduler at all: the kubelet of that node admits it directly.
 */
export const nodeName: FilterPlugin = {
  name: 'NodeName',
  setup({ pod }) {
    const want = pod.spec?.nodeName;
    return (n) => (want && want !== n.name ? fail("node(s) didn't match the requested node name", `pod asks for node ${want}`) : null);
  },
};
