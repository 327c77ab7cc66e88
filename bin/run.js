#!/usr/bin/env node
// podscope entry point (also installed as kubectl-podscope). Checks the Node version before
// loading anything that needs a newer runtime, so an old Node gets one clear line, not a trace.
import { readFileSync } from 'node:fs';
import module from 'node:module';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  // As a kubectl plugin, kubectl ran this file with whichever `node` comes first on PATH.
  const plugin = /kubectl-podscope$/.test(process.argv[1] ?? '');
  console.error(plugin
    ? `kubectl podscope: needs Node.js >= 22.19, but the first "node" on PATH is ${process.versions.node} (${process.execPath}); put Node 22.19+ or 24 LTS first on PATH (e.g. nvm use 24), then run kubectl podscope again`
    : `podscope: needs Node.js >= 22.19 (found ${process.versions.node}); install Node 22.19+ or 24 LTS`);
  process.exit(2);
}

// Fast path (DESIGN.md §5: start-up within 2x of `node -e 0`): importing @oclif/core alone costs
// ~4x that, so exactly `--version` and the top-level help are answered without it. The help text
// is oclif's own, rendered once by `npm run build` (PODSCOPE_NO_FASTPATH=1) into dist/help.txt.
const args = process.argv.slice(2);
if (!process.env.PODSCOPE_NO_FASTPATH && args.length === 1) {
  const pkgUrl = new URL('../package.json', import.meta.url);
  const versionLine = () => `podscope/${JSON.parse(readFileSync(pkgUrl, 'utf8')).version} ${process.platform}-${process.arch} node-${process.version}`;
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`${versionLine()}\n`);
    process.exit(0);
  }
  if (args[0] === '--help' || args[0] === '-h') {
    try {
      const help = readFileSync(new URL('../dist/help.txt', import.meta.url), 'utf8');
      process.stdout.write(help.replace(/podscope\/\S+ \S+ node-v\S+/, versionLine()));
      process.exit(0);
    } catch {
      // no cached help (development tree): fall through to oclif
    }
  }
}

module.enableCompileCache?.();
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
