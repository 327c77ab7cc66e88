import { Command, Errors } from '@oclif/core';
import { ExitCode, PodscopeError, messageOf } from '../errors.js';
import { parseErrorLine, systemErrorLine, usageLine } from './error-text.js';
import { refuseTerminalStdin } from './flags.js';
import { asRun, cliName } from './name.js';
import { gateExitCode } from '../report/gate.js';
import type { Finding, Severity } from '../report/types.js';
import { renderJsonChunks, renderYaml } from '../render/data.js';
import { escapeError } from '../render/escape.js';
import { wantColor } from '../render/options.js';
import type { RenderOptions } from '../render/options.js';
import { openSource } from '../source/open.js';
import type { SourceFlags } from '../source/open.js';
import type { ClusterSource, Scope } from '../source/types.js';

/** Exit code for an unexpected error: a podscope bug (EX_SOFTWARE). */
export const BUG_EXIT = 70;

/** Flags as oclif parses the shared ones. */
export interface CommonParsed {
  kubeconfig?: string;
  context?: string;
  'request-timeout'?: string;
  'gather-timeout'?: string;
  'node-timeout'?: string;
  'node-concurrency'?: number;
  from?: string;
  file?: string;
  namespace?: string;
  'all-namespaces'?: boolean;
  selector?: string;
}

/**
 * podscope's base command: opens sources, resolves scope, prints in the chosen format, and maps
 * errors to one line and the documented exit code (DESIGN.md §2). Commands return their result.
 */
export abstract class PodscopeCommand extends Command {
  static override enableJsonFlag = true;

  private openSources: ClusterSource[] = [];

  /** Opens the source named by the flags and closes it when the command ends. */
  protected async source(flags: CommonParsed): Promise<ClusterSource> {
    refuseTerminalStdin('-f', flags.file, `kubectl get pods -n shop -o yaml | ${cliName()} ${this.id ?? 'check'} -f -`);
    const sf: SourceFlags = {
      from: flags.from,
      file: flags.file,
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      requestTimeout: flags['request-timeout'],
      gatherTimeout: flags['gather-timeout'],
      nodeTimeout: flags['node-timeout'],
      nodeConcurrency: flags['node-concurrency'],
    };
    const s = await openSource(sf);
    this.openSources.push(s);
    for (const n of s.notes ?? []) process.stderr.write(`podscope: note: ${n}\n`);
    return s;
  }

  /** The scope: -A, -n, or the context's namespace live; every namespace offline unless -n. */
  protected scope(flags: CommonParsed, source: ClusterSource): Scope {
    const ns = flags.namespace ?? source.defaultNamespace;
    return {
      allNamespaces: Boolean(flags['all-namespaces']) || ns === undefined,
      namespace: flags['all-namespaces'] ? undefined : ns,
      labelSelector: flags.selector,
    };
  }

  /** Render options for stdout. */
  protected renderOptions(): RenderOptions {
    return { color: wantColor(process.stdout), width: process.stdout.columns };
  }

  /** Prints text to stdout unless --json is on (oclif then prints the returned result). */
  protected emit(text: string): void {
    if (this.jsonEnabled()) return;
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Prints text that comes in pieces (each written as it is made) unless --json is on. */
  protected emitChunks(chunks: Iterable<string>): void {
    if (this.jsonEnabled()) return;
    for (const chunk of chunks) {
      if (process.stdout.destroyed) return; // the reader went away (EPIPE): bin/run.js ends the process
      process.stdout.write(chunk);
    }
  }

  /** Prints a result in a data format, or returns false when the format is for people. */
  protected emitData(format: string, result: unknown): boolean {
    if (format === 'json') this.emitChunks(renderJsonChunks(result));
    else if (format === 'yaml') this.emit(renderYaml(result));
    else return false;
    return true;
  }

  /** Sets the exit code from findings and --fail-on/--strict (DESIGN.md §2), for every analysing command. */
  protected gate(findings: readonly Pick<Finding, 'severity'>[], incomplete: boolean, flags: { 'fail-on': Severity; strict: boolean }): void {
    process.exitCode = gateExitCode(findings, incomplete, { failOn: flags['fail-on'], strict: flags.strict });
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    await Promise.all(this.openSources.map((s) => s.close().catch(() => undefined)));
    return super.finally(err);
  }

  protected override async catch(err: Error & { oclif?: { exit?: number }; code?: string }): Promise<void> {
    if (err instanceof Errors.ExitError) throw err;
    escapeError(err); // messages quote data: control characters are shown escaped, never sent raw
    const name = cliName();
    if (err instanceof PodscopeError) {
      const hint = err.hint ? `  hint: ${asRun(oneLine(err.hint), name)}\n` : '';
      process.stderr.write(`podscope: ${oneLine(err.message)}\n${hint}`);
      this.exit(err.exitCode);
    }
    if (err instanceof Errors.CLIError && err.oclif?.exit === 2) {
      const ctor = this.constructor as typeof PodscopeCommand;
      const usage = usageLine(name, this.id, ctor.args as Record<string, { required?: boolean }>, ctor.strict === false);
      process.stderr.write(`podscope: ${parseErrorLine(err)}\n  usage: ${usage}; see ${name} ${this.id ?? ''} --help\n`);
      this.exit(ExitCode.USAGE);
    }
    const sys = systemErrorLine(err);
    if (sys) {
      process.stderr.write(`podscope: ${sys}\n`);
      this.exit(ExitCode.DATA);
    }
    process.stderr.write(`podscope: internal error (a podscope bug, please report it; PODSCOPE_DEBUG=1 shows the stack): ${oneLine(messageOf(err))}\n`);
    if (process.env.PODSCOPE_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
    this.exit(BUG_EXIT);
  }
}

/** A message on one line: later lines (a parser's context, a server's body) joined with "; ". */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
}
