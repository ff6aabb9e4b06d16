import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../source/byte-source.js';

/**
 * A {@link ByteSource} over a file, read with positional reads on one file descriptor: the file
 * is never loaded whole, so a 400 MB PDF is opened in a few small reads. Close it when done.
 */
export class FileByteSource implements ByteSource {
  readonly inMemory = false;
  readonly length: number;
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.length = fstatSync(fd).size;
  }

  /** Opens `path` for reading. */
  static open(path: string): FileByteSource {
    return new FileByteSource(path, openSync(path, 'r'));
  }

  read(start: number, end: number): Uint8Array {
    if (this.fd === undefined) throw new Error(`The file ${this.path} is closed.`);
    const s = Math.max(0, start);
    const e = Math.min(this.length, end);
    if (e <= s) return new Uint8Array(0);
    const out = new Uint8Array(e - s);
    let done = 0;
    while (done < out.length) {
      const n = readSync(this.fd, out, done, out.length - done, s + done);
      if (n === 0) break;
      done += n;
    }
    return done === out.length ? out : out.subarray(0, done);
  }

  readInto(target: Uint8Array, start: number): number {
    if (this.fd === undefined) throw new Error(`The file ${this.path} is closed.`);
    const s = Math.max(0, start);
    const want = Math.max(0, Math.min(target.length, this.length - s));
    let done = 0;
    while (done < want) {
      const n = readSync(this.fd, target, done, want - done, s + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }

  /** Closes the file descriptor (idempotent). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
