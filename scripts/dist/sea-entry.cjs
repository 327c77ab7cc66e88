// Entry of the single-file executable (Node SEA). Bundled by scripts/dist/build.mjs with esbuild,
// which inlines package.json, the cached help text and the command map (generated from dist/commands).
// A SEA has no package directory on disk, so oclif's file-based loads are answered from the
// bundle: the command map (explicit discovery strategy), the help class and the hooks.
// Keep in step with bin/run.js (verbs, EPIPE, kubectl naming, exit 70 only for bugs).
'use strict';
const path = require('node:path');
const pjson = require('../../package.json');
const HELP = require('../../dist/help.txt');

// A reader that stops early (`... --help | head -3`) closes stdout: end quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// The archive's binary is kubectl-podscope (krew): usage and examples then say `kubectl podscope`.
const asKubectlPlugin = /^kubectl-podscope/.test(path.basename(process.execPath));
const bin = asKubectlPlugin ? 'kubectl podscope' : 'podscope';

// kubectl's verbs: `help [COMMAND]` and `version`.
let args = process.argv.slice(2);
if (args[0] === 'help') args = [...args.slice(1), '--help'];
else if (args[0] === 'version') args = ['--version'];
const versionLine = () => `podscope/${pjson.version} ${process.platform}-${process.arch} node-${process.version}`;
// Same fast path as bin/run.js: exactly --version or the top-level help, without loading oclif.
if (args.length === 1 && !process.env.PODSCOPE_NO_FASTPATH) {
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`${versionLine()}\n`);
    process.exit(0);
  }
  if (args[0] === '--help' || args[0] === '-h') {
    let help = HELP.replace(/podscope\/\S+ \S+ node-v\S+/, versionLine());
    if (asKubectlPlugin) help = help.replaceAll('$ podscope', '$ kubectl podscope');
    process.stdout.write(help);
    process.exit(0);
  }
}

const core = require('@oclif/core');
// eslint-disable-next-line no-undef
const COMMANDS = __PODSCOPE_COMMANDS__;
const HELP_CLASS = require('../../dist/cli/help.js');
const NOT_FOUND_HOOK = require('../../dist/cli/not-found.js');
const COMMANDS_TARGET = './sea-commands.js';
const HELP_TARGET = './sea-help.js';
const NOT_FOUND_TARGET = './sea-not-found.js';

const fromBundle = (file) => {
  if (file.endsWith('sea-commands.js')) return { COMMANDS };
  if (file.endsWith('sea-help.js')) return HELP_CLASS;
  if (file.endsWith('sea-not-found.js')) return NOT_FOUND_HOOK;
  throw new Error(`podscope executable: no bundled module for ${file}`);
};
const loader = core.ModuleLoader;
loader.load = async (_config, file) => fromBundle(String(file));
loader.loadWithData = async (_config, file) => ({ filePath: String(file), isESM: false, module: fromBundle(String(file)) });

const seaPjson = {
  ...pjson,
  oclif: {
    ...pjson.oclif,
    bin,
    commands: { strategy: 'explicit', target: COMMANDS_TARGET, identifier: 'COMMANDS' },
    helpClass: HELP_TARGET,
    hooks: { ...pjson.oclif.hooks, command_not_found: NOT_FOUND_TARGET },
  },
};
const loadOptions = { root: path.dirname(process.execPath), pjson: seaPjson };
if (args[0] === '__complete') {
  // Shell completion (cobra's protocol; what kubectl_complete-podscope runs): not through oclif's
  // command parser, and silent on any error, as in bin/run.js.
  require('../../dist/cli/complete-main.js').main(args.slice(1), loadOptions).catch(() => process.stdout.write(':1\n'));
} else {
  core.execute({ args, loadOptions }).catch((err) => {
    process.stderr.write(`podscope: internal error (a podscope bug, please report it; PODSCOPE_DEBUG=1 shows the stack): ${err?.message ?? err}\n`);
    if (process.env.PODSCOPE_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    process.exit(70);
  });
}
