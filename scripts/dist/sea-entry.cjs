// Entry of the single-file executable (Node SEA). Bundled by scripts/dist/build.mjs with esbuild,
// which inlines package.json, the cached help text and the command map (generated from dist/commands).
// A SEA has no package directory on disk, so oclif's file-based loads are answered from the
// bundle: the command map (explicit discovery strategy), the help class and the command_not_found hook.
'use strict';
const pjson = require('../../package.json');
const HELP = require('../../dist/help.txt');

const args = process.argv.slice(2);
const versionLine = () => `podscope/${pjson.version} ${process.platform}-${process.arch} node-${process.version}`;
// Same fast path as bin/run.js: exactly --version or the top-level help, without loading oclif.
if (args.length === 1 && !process.env.PODSCOPE_NO_FASTPATH) {
  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`${versionLine()}\n`);
    process.exit(0);
  }
  if (args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(HELP.replace(/podscope\/\S+ \S+ node-v\S+/, versionLine()));
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

const fromBundle = (file) => {
  if (file.endsWith('sea-commands.js')) return { COMMANDS };
  if (file.endsWith('sea-help.js')) return HELP_CLASS;
  if (file.endsWith('/dist/cli/not-found.js')) return NOT_FOUND_HOOK;
  throw new Error(`podscope executable: no bundled module for ${file}`);
};
const loader = core.ModuleLoader;
loader.load = async (_config, file) => fromBundle(String(file));
loader.loadWithData = async (_config, file) => ({ filePath: String(file), isESM: false, module: fromBundle(String(file)) });

const path = require('node:path');
const seaPjson = {
  ...pjson,
  oclif: {
    ...pjson.oclif,
    commands: { strategy: 'explicit', target: COMMANDS_TARGET, identifier: 'COMMANDS' },
    helpClass: HELP_TARGET,
  },
};
core.execute({ loadOptions: { root: path.dirname(process.execPath), pjson: seaPjson } });
