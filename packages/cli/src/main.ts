import { isKysoError } from '@kyso/core';
import { parseFor, type Command } from './command.js';
import { UsageError } from './errors.js';
import { out, redirectStdout } from './io.js';

/** Commands by name; each is loaded only when called, so `kyso verify` never pays for what `kyso demo` needs. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  sign: { summary: 'Sign a PDF (PAdES), keeping earlier signatures valid', load: async () => (await import('./commands/sign.js')).signCommand },
  verify: { summary: 'Verify every signature of a PDF', load: async () => (await import('./commands/verify.js')).verifyCommand },
  inspect: { summary: 'Show revisions, fields and signatures of a PDF', load: async () => (await import('./commands/inspect.js')).inspectCommand },
  extend: { summary: 'Raise a signed PDF to B-LT or B-LTA (validation data, archive time-stamp)', load: async () => (await import('./commands/extend.js')).extendCommand },
  'cades sign': { summary: 'Sign any file with a detached CAdES signature (.p7s)', load: async () => (await import('./commands/cades-sign.js')).cadesSignCommand },
  'cades verify': { summary: 'Verify a detached CAdES signature against its file', load: async () => (await import('./commands/cades-verify.js')).cadesVerifyCommand },
  'cert verify': { summary: 'Validate a certificate chain (RFC 5280)', load: async () => (await import('./commands/cert-verify.js')).certVerifyCommand },
  workflow: { summary: 'Multi-step approval: drafter → head → leader → clerk', load: async () => (await import('./commands/workflow.js')).workflowCommand },
  demo: { summary: 'Run the end-to-end demo (throwaway PKI, signatures, verification)', load: async () => (await import('./commands/demo.js')).demoCommand },
};

function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return [
    'kyso — sign and verify PDF and CAdES signatures (ký số)',
    '',
    'Usage: kyso <command> [options]      kyso <command> --help',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 success / every signature TOTAL-PASSED; 1 a verification that did not pass;',
    '2 bad usage or input that cannot be processed. Add --debug for a stack trace.',
  ].join('\n');
}

/** Options of {@link main}. */
export interface MainOptions {
  /** Receives what the command prints, instead of stdout (errors still go to stderr). */
  readonly stdout?: (text: string) => void;
}

/** Runs the kyso command with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const debug = argv.includes('--debug');
  const restore = options.stdout ? redirectStdout(options.stdout) : undefined;
  try {
    const [first, second] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      out(topHelp());
      return first === undefined ? 2 : 0;
    }
    // Two-word commands (`cades sign`, `cert verify`) take precedence over one-word ones.
    const twoWord = second !== undefined ? `${first} ${second}` : '';
    const name = twoWord in COMMANDS ? twoWord : first;
    const entry = COMMANDS[name];
    if (!entry) throw new UsageError(`Unknown command "${first}". Run "kyso --help" for the list.`);
    const cmd = await entry.load();
    const { values, positionals } = parseFor(cmd, argv.slice(name.split(' ').length));
    if (values['help']) {
      out(cmd.help.trimEnd());
      return 0;
    }
    return await cmd.run(values as Record<string, string | boolean | string[] | undefined>, positionals);
  } catch (e) {
    if (debug) process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    const message = isKysoError(e) ? e.message : `Unexpected error: ${(e as Error)?.message ?? String(e)} (run with --debug for details)`;
    process.stderr.write(`kyso: ${message.split('\n')[0]}\n`);
    return 2;
  } finally {
    restore?.();
  }
}
