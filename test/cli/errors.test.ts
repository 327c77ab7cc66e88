import { strict as assert } from 'node:assert';
import { Config, Errors } from '@oclif/core';
import { PodscopeCommand } from '../../src/cli/base.js';
import { parseErrorLine, systemErrorLine, usageLine } from '../../src/cli/error-text.js';
import { asRun, cliName } from '../../src/cli/name.js';
import { suggestCommand } from '../../src/cli/not-found.js';
import { ROOT } from '../helpers/cli.js';

const COMMANDS = ['check', 'checks', 'inspect', 'pleg', 'schedule', 'snapshot', 'stop'];

describe('CLI error text (issue 13)', () => {
  it('oclif parse errors become one line that says which argument or flag', () => {
    const missing = Object.assign(new Error('Missing 1 required arg:\npod  Name of the pod.\nSee more help with --help'), { args: [{ name: 'pod', description: 'Name of the pod.' }] });
    assert.equal(parseErrorLine(missing), 'missing argument POD (Name of the pod)');
    assert.equal(parseErrorLine(new Error('The following error occurred:\n  \u001b[2m--delete=true cannot also be provided when using --watch\u001b[22m\nSee more help with --help')), '--watch and --delete cannot be used together');
    assert.equal(parseErrorLine(new Error('Nonexistent flags: --a, -x\nSee more help with --help')), 'unknown flags --a, -x');
    assert.equal(parseErrorLine(new Error('Something:\nfirst\nsecond')), 'Something: first; second');
    assert.equal(usageLine('podscope', 'stop', { pod: { required: true } }), 'podscope stop POD [flags]');
    assert.equal(usageLine('kubectl podscope', 'pleg', { node: {} }, true), 'kubectl podscope pleg [NODE...] [flags]');
  });

  it('file-system errors from input are one line (exit 3 material), anything else is not', () => {
    const e = Object.assign(new Error("ENOTDIR: not a directory, scandir 'README.md'"), { code: 'ENOTDIR', syscall: 'scandir', path: 'README.md' });
    assert.equal(systemErrorLine(e), 'cannot read directory README.md: not a directory');
    assert.equal(systemErrorLine(new TypeError('x is undefined')), null);
  });

  it('suggests the nearest command only when it is close', () => {
    assert.equal(suggestCommand('chekc', COMMANDS), 'check');
    assert.equal(suggestCommand('inspekt', COMMANDS), 'inspect');
    assert.equal(suggestCommand('snap', COMMANDS), 'snapshot');
    assert.equal(suggestCommand('sched', COMMANDS), 'schedule');
    assert.equal(suggestCommand('xyzzy', COMMANDS), undefined);
  });

  it('kubectl-podscope: the name and the hints say kubectl podscope', () => {
    assert.equal(cliName('/usr/local/bin/kubectl-podscope'), 'kubectl podscope');
    assert.equal(cliName('/usr/local/bin/podscope'), 'podscope');
    assert.equal(asRun('see podscope checks; (podscope check --help)', 'kubectl podscope'), 'see kubectl podscope checks; (kubectl podscope check --help)');
    assert.equal(asRun('podscope-reader role', 'kubectl podscope'), 'podscope-reader role');
  });

  it('a real bug exits 70, in one line that names PODSCOPE_DEBUG=1', async () => {
    class Buggy extends PodscopeCommand {
      async run(): Promise<void> {}
    }
    const cmd = new Buggy([], await Config.load(ROOT));
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => written.push(s) > 0) as typeof process.stderr.write;
    let exit: number | undefined;
    try {
      await (cmd as unknown as { catch(e: Error): Promise<void> }).catch(new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line"));
    } catch (err) {
      if (err instanceof Errors.ExitError) exit = err.oclif.exit;
      else throw err;
    } finally {
      process.stderr.write = write;
    }
    assert.equal(exit, 70);
    assert.equal(written.join(''), "podscope: internal error (a podscope bug, please report it; PODSCOPE_DEBUG=1 shows the stack): Cannot read properties of undefined (reading 'x'); second line\n");
  });
});
