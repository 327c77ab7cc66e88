#!/usr/bin/env node
// podscope entry point (also installed as kubectl-podscope). Checks the Node version before
// loading anything that needs a newer runtime, so an old Node gets one clear line, not a trace.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(`podscope: needs Node.js >= 22.19 (found ${process.versions.node}); install Node 22.19+ or 24 LTS`);
  process.exit(2);
}
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
