#!/usr/bin/env node
// podscope entry point (also installed as kubectl-podscope). Checks the Node version before
// loading anything that needs a newer runtime, so an old Node gets one clear line, not a trace.
import { readFileSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  // As a kubectl plugin, kubectl ran this file with whichever `node` comes first on PATH.
  const plugin = /kubectl-podscope$/.test(process.argv[1] ?? '');
  console.error(plugin
    ? `kubectl podscope: needs Node.js >= 22.19, but the first "node" on PATH is ${process.versions.node} (${process.execPath}); put Node 22.19+ or 24 LTS first on PATH (e.g. nvm use 24), then run kubectl podscope again`
    : `podscope: needs Node.js >= 22.19 (found ${process.versions.node}); install Node 22.19+ or 24 LTS`);
  process.exit(2);
}

// A reader that stops early (`podscope check --help | head -3`) closes stdout: end quietly with
// the code the command has set so far, never a trace or an "unsettled top-level await" (exit 13).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// Run as a kubectl plugin (kubectl execs kubectl-podscope), usage and examples say `kubectl podscope`.
const asKubectlPlugin = /^kubectl-podscope/.test(path.basename(process.argv[1] ?? ''));
const bin = asKubectlPlugin ? 'kubectl podscope' : 'podscope';

// kubectl's verbs: `help [COMMAND]` and `version` (oclif also takes -h anywhere, see package.json).
let args = process.argv.slice(2);
if (args[0] === 'help') args = [...args.slice(1), '--help'];
else if (args[0] === 'version') args = ['--version'];

// Fast path (DESIGN.md §5: start-up within 2x of `node -e 0`): importing @oclif/core alone costs
// ~4x that, so exactly `--version` and the top-level help are answered without it. The help text
// is oclif's own, rendered once by `npm run build` (PODSCOPE_NO_FASTPATH=1) into dist/help.txt.
const pkgUrl = new URL('../package.json', import.meta.url);
if (!process.env.PODSCOPE_NO_FASTPATH && args.length === 1) {
  const versionLine = () => `podscope/${JSON.parse(readFileSync(pkgUrl, 'utf8')).version} ${process.platform}-${process.arch} node-${process.version}`;
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`${versionLine()}\n`);
    process.exit(0);
  }
  if (args[0] === '--help' || args[0] === '-h') {
    let help;
    try {
      help = readFileSync(new URL('../dist/help.txt', import.meta.url), 'utf8');
    } catch {
      // no cached help (development tree): fall through to oclif
    }
    if (help !== undefined) {
      help = help.replace(/podscope\/\S+ \S+ node-v\S+/, versionLine());
      if (asKubectlPlugin) help = help.replaceAll('$ podscope', '$ kubectl podscope');
      process.stdout.write(help);
      process.exit(0);
    }
  }
}

module.enableCompileCache?.();
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// Shell completion (cobra's protocol, also what kubectl_complete-podscope runs): never through oclif's
// command parser, and silent on any error.
if (args[0] === '__complete') {
  import('../dist/cli/complete-main.js')
    .then(({ main }) => main(args.slice(1), root))
    .catch(() => process.stdout.write(':1\n'));
} else {
  const loadOptions = { root };
  if (asKubectlPlugin) {
    const pjson = JSON.parse(readFileSync(pkgUrl, 'utf8'));
    loadOptions.pjson = { ...pjson, oclif: { ...pjson.oclif, bin } };
  }
  // No top-level await: if the event loop ever empties early, Node must not report it as exit 13.
  import('@oclif/core')
    .then(({ execute }) => execute({ args, loadOptions }))
    .catch((err) => {
      process.stderr.write(`podscope: internal error (a podscope bug, please report it; PODSCOPE_DEBUG=1 shows the stack): ${err?.message ?? err}\n`);
      if (process.env.PODSCOPE_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
      process.exit(70);
    });
}
