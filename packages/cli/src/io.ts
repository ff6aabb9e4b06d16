import { randomBytes } from 'node:crypto';
import { accessSync, constants, fstatSync, renameSync, rmSync, statSync, writeFileSync, writeSync, type BigIntStats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KysoError } from '@kyso/core';
import type { FileByteSource } from '@kyso/pdf/node';
import { requireString } from './command.js';
import { UsageError } from './errors.js';

function unreadable(path: string, what: string, cause: unknown): KysoError {
  const code = (cause as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? cause);
  return new KysoError('INPUT_UNREADABLE', `Cannot read the ${what} ${path}: ${why}.`, { cause });
}

// The files a command names are read and written synchronously: a command has nothing else to
// do meanwhile, and each asynchronous call is a round trip through libuv's thread pool (reading
// a --trust file that way cost ~2.5 ms of every `kyso verify`).

/** The file name that stands for standard input or output: `curl … | kyso sign - -o - <key> | curl -T - …`. */
export const STDIO = '-';

/**
 * Reads a file the user named, turning "no such file" into a one-line error. A pipe
 * (`-`, `/dev/stdin`, `<(curl …)`) is read to its end. Not `readFileSync`: its plain stat of a pipe
 * would be left where Node 20's realpath looks (see {@link stdoutIsDirect}).
 */
export async function readInput(path: string, what = 'file'): Promise<Uint8Array> {
  // Loaded here: a command that reads no file (--help, workflow status) does not load the PDF package.
  const { FileByteSource } = await import('@kyso/pdf/node');
  let source: FileByteSource | undefined;
  try {
    source = path === STDIO ? FileByteSource.fromDescriptor(0, 'standard input') : FileByteSource.open(path);
    return source.read(0, source.length);
  } catch (cause) {
    throw unreadable(path, what, cause);
  } finally {
    source?.close();
  }
}

/**
 * Checks that a file the user named can be read, without opening it (for files that are read
 * later): opening and closing a named pipe here would cut off the program writing into it.
 * The stat is a BigInt one, as in {@link stdoutIsDirect}.
 */
export async function checkReadable(path: string, what = 'file'): Promise<void> {
  try {
    if (statSync(path, { bigint: true }).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    accessSync(path, constants.R_OK);
  } catch (cause) {
    throw unreadable(path, what, cause);
  }
}

/**
 * The `-o` file of a command that writes one document; `-` (standard output) only when that is
 * not a terminal. Checked before any key is opened or PIN asked for.
 */
export function outputPath(values: Record<string, unknown>, cmd: string): string {
  const output = requireString(values, 'output', cmd);
  if (output === STDIO && stdoutIsTerminal()) throw new UsageError(`-o - writes the result to standard output, which is a terminal: redirect it (> out.pdf) or pipe it on.`);
  return output;
}

/**
 * Writes `bytes` to `path` atomically: a temporary file beside it, then a rename, so a
 * failed command never leaves a partial output file behind. `-` writes them to stdout.
 */
export async function writeOutput(path: string, bytes: Uint8Array | string): Promise<void> {
  if (path === STDIO) {
    if (sink) throw new KysoError('OUTPUT_UNWRITABLE', 'Standard output is taken as text here (main\'s stdout option): give -o a file.');
    if (!stdoutIsDirect()) return await new Promise((resolve, reject) => process.stdout.write(bytes, (e) => (e ? reject(e) : resolve())));
    writeDirect(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    return;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new KysoError('OUTPUT_UNWRITABLE', `Cannot write ${path}: ${(cause as Error).message}.`, { cause });
  }
}

/** Prints a line to stdout. */
export function out(line = ''): void {
  print(line + '\n');
}

/** Prints the line that ends a command which wrote `output`: to stderr when that was stdout (`-o -`). */
export function outAfter(output: string, line: string): void {
  if (output === STDIO) process.stderr.write(line + '\n');
  else out(line);
}

/**
 * Writes `text` to stdout. When stdout is a pipe, a file, a socket or /dev/null (a script
 * reading kyso's output), it is written with `writeSync` on file descriptor 1: `process.stdout`
 * would first load Node's stream and net modules, ~3 ms of every call (bench/README.md). On a
 * terminal, and on Windows, `process.stdout` as usual. A reader that went away (EPIPE,
 * `kyso verify f.pdf | head -1`) ends the output quietly.
 */
export function print(text: string): void {
  if (sink) {
    sink(text);
    return;
  }
  if (!stdoutIsDirect()) {
    process.stdout.write(text);
    return;
  }
  writeDirect(Buffer.from(text, 'utf8'));
}

/** Writes `bytes` to file descriptor 1 (stdout is a pipe, a file, a socket or /dev/null). */
function writeDirect(bytes: Uint8Array): void {
  if (stdoutGone) return;
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(1, bytes, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        stdoutGone = true;
        return;
      }
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1); // a non-blocking pipe that is full: wait for its reader
    }
  }
}

/** `s` in the ANSI colour `code` (31 red, 32 green, 33 yellow) on a terminal, unless NO_COLOR is set. */
export function paint(code: number, s: string): string {
  return stdoutIsTerminal() && !process.env['NO_COLOR'] ? `\x1b[${code}m${s}\x1b[0m` : s;
}

function stdoutIsTerminal(): boolean {
  return !stdoutIsDirect() && Boolean(process.stdout.isTTY);
}

/**
 * Sends what the commands print to `write` instead of stdout until the returned function is
 * called (`main`'s `stdout` option: a program or a test that runs kyso in its own process).
 */
export function redirectStdout(write: (text: string) => void): () => void {
  const previous = sink;
  sink = write;
  return () => {
    sink = previous;
  };
}

let sink: ((text: string) => void) | undefined;
let direct: boolean | undefined;
let stdoutGone = false;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** /dev/null, which Node would also write to synchronously (through a stream it has to load first). */
function isNullDevice(s: BigIntStats): boolean {
  if (!s.isCharacterDevice()) return false;
  try {
    const n = statSync('/dev/null', { bigint: true });
    return n.rdev === s.rdev && n.ino === s.ino;
  } catch {
    return false;
  }
}

function stdoutIsDirect(): boolean {
  if (direct === undefined) {
    try {
      // BigInt stats: Node 20's fs.realpathSync reads the last plain stat for path parts it has
      // cached, and stops resolving at a FIFO or socket, so a plain fstat of a piped stdout made
      // every later module resolution keep pnpm's symlinked paths (their dependencies then fail).
      const s = fstatSync(1, { bigint: true });
      direct = process.platform !== 'win32' && (s.isFIFO() || s.isFile() || s.isSocket() || isNullDevice(s));
    } catch {
      direct = false;
    }
  }
  return direct;
}
