import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

/** One `kyso` sub-command: its options, help text and what it does. */
export interface Command {
  /** As typed: `sign`, `cades verify`. */
  readonly name: string;
  readonly summary: string;
  /** Help text: usage line(s) and real examples. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Runs with parsed values and positionals; resolves to the exit code. */
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number>;
}

/** Parses `argv` for `cmd`, turning parseArgs' errors into one-line usage errors. */
export function parseFor(cmd: Command, argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' }, debug: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\.$/, '')}. See "kyso ${cmd.name} --help".`);
  }
}

/** The one value of a string option, or a usage error naming it. */
export function requireString(values: Record<string, unknown>, name: string, cmd: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`Missing --${name}. See "kyso ${cmd} --help".`);
  return v;
}

/** `--format text|json` (and any other formats a command accepts). */
export function formatOf(values: Record<string, unknown>, allowed: readonly string[] = ['text', 'json']): string {
  const f = (values['format'] as string | undefined) ?? 'text';
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, not "${f}".`);
  return f;
}
