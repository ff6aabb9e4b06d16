import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KysoError } from '@kyso/core';

function unreadable(path: string, what: string, cause: unknown): KysoError {
  const code = (cause as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? cause);
  return new KysoError('INPUT_UNREADABLE', `Cannot read the ${what} ${path}: ${why}.`, { cause });
}

/** Reads a file the user named, turning "no such file" into a one-line error. */
export async function readInput(path: string, what = 'file'): Promise<Uint8Array> {
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength); // a plain view, not a second copy
  } catch (cause) {
    throw unreadable(path, what, cause);
  }
}

/** Checks that a file the user named can be read, without reading it (for files that are streamed). */
export async function checkReadable(path: string, what = 'file'): Promise<void> {
  try {
    const fh = await open(path, 'r');
    try {
      if ((await fh.stat()).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    } finally {
      await fh.close();
    }
  } catch (cause) {
    throw unreadable(path, what, cause);
  }
}

/**
 * Writes `bytes` to `path` atomically: a temporary file beside it, then a rename, so a
 * failed command never leaves a partial output file behind.
 */
export async function writeOutput(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (cause) {
    await rm(tmp, { force: true });
    throw new KysoError('OUTPUT_UNWRITABLE', `Cannot write ${path}: ${(cause as Error).message}.`, { cause });
  }
}

/** Prints a line to stdout. */
export function out(line = ''): void {
  process.stdout.write(line + '\n');
}
