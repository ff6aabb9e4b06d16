import { closeSync, fstatSync, openSync, promises as fs, read, readSync } from 'node:fs';
import type { ByteSource } from '../source/byte-source.js';

/**
 * A {@link ByteSource} over a file, read with positional reads on one file descriptor: the file
 * is never loaded whole, so a 400 MB PDF is opened in a few small reads. Close it when done.
 *
 * A path that is not a regular file (a pipe such as `/dev/stdin` or `<(curl …)`, a device)
 * cannot be read at positions: it is read whole, once, when opened, and served from memory.
 */
export class FileByteSource implements ByteSource {
  readonly inMemory: boolean;
  readonly length: number;
  private fd: number | undefined;
  /** The whole content of a path that is not a regular file. */
  private readonly whole: Uint8Array | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    fd: number,
    /** False for a descriptor opened elsewhere (standard input), which `close` leaves open. */
    private readonly owned: boolean,
  ) {
    // A BigInt stat: Node 20's plain stat calls share one array that fs.realpathSync also reads
    // (see the CLI's io.ts), and a pipe's entry left there breaks later module resolution.
    const stat = fstatSync(fd, { bigint: true });
    if (stat.isFile()) {
      this.fd = fd;
      this.length = Number(stat.size);
    } else {
      try {
        this.whole = readToEnd(fd);
      } finally {
        if (owned) closeSync(fd);
      }
      this.length = this.whole.length;
    }
    this.inMemory = this.whole !== undefined;
  }

  /** Opens `path` for reading. */
  static open(path: string): FileByteSource {
    return new FileByteSource(path, openSync(path, 'r'), true);
  }

  /**
   * Reads from a descriptor opened elsewhere, such as standard input (0), named `name` in
   * messages; closing the source leaves the descriptor open.
   */
  static fromDescriptor(fd: number, name: string): FileByteSource {
    return new FileByteSource(name, fd, false);
  }

  read(start: number, end: number): Uint8Array {
    this.checkOpen();
    const s = Math.max(0, start);
    const e = Math.min(this.length, end);
    if (e <= s) return new Uint8Array(0);
    if (this.whole) return this.whole.subarray(s, e);
    const out = new Uint8Array(e - s);
    const done = readAt(this.fd!, out, s);
    return done === out.length ? out : out.subarray(0, done);
  }

  readInto(target: Uint8Array, start: number): number {
    this.checkOpen();
    const s = Math.max(0, start);
    const want = Math.max(0, Math.min(target.length, this.length - s));
    if (this.whole) {
      target.set(this.whole.subarray(s, s + want));
      return want;
    }
    return readAt(this.fd!, target.subarray(0, want), s);
  }

  /**
   * Copies the file to `dest`: by the operating system, from memory when it was read whole, or
   * (a descriptor opened elsewhere, such as standard input redirected from a file: no path to
   * copy from) in 1 MiB chunks. Throws once the source is closed, like a read.
   */
  async copyTo(dest: string): Promise<void> {
    this.checkOpen();
    if (this.whole) await fs.writeFile(dest, this.whole);
    else if (this.owned) await fs.copyFile(this.path, dest);
    else await copyDescriptor(this.fd!, this.length, dest);
  }

  /** Closes the file descriptor (idempotent). */
  close(): void {
    if (this.fd !== undefined && this.owned) closeSync(this.fd);
    this.fd = undefined;
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`The file ${this.path} is closed.`);
  }
}

/** Fills `target` from byte `position` of the file; returns how many bytes there were. */
function readAt(fd: number, target: Uint8Array, position: number): number {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Copies the first `length` bytes of `fd` to a new file `dest`, a chunk at a time, reading on libuv's pool like fs.copyFile. */
async function copyDescriptor(fd: number, length: number, dest: string): Promise<void> {
  const out = await fs.open(dest, 'w');
  try {
    const chunk = new Uint8Array(Math.min(length, 1 << 20));
    for (let at = 0; at < length; ) {
      const n = await new Promise<number>((resolve, reject) => read(fd, chunk, 0, Math.min(chunk.length, length - at), at, (e, got) => (e ? reject(e) : resolve(got))));
      if (n === 0) break; // the file shrank meanwhile
      await out.write(chunk, 0, n); // a regular file takes the whole write
      at += n;
    }
  } finally {
    await out.close();
  }
}

/** Everything a pipe or device gives until its end, in one array. */
function readToEnd(fd: number): Uint8Array {
  let out = new Uint8Array(1 << 20);
  let total = 0;
  for (;;) {
    if (total === out.length) {
      const bigger = new Uint8Array(out.length * 2);
      bigger.set(out);
      out = bigger;
    }
    const n = readPipe(fd, out.subarray(total));
    if (n === 0) return out.subarray(0, total);
    total += n;
  }
}

/** One read from a pipe; 0 at its end, which Windows reports as an EOF error. */
function readPipe(fd: number, into: Uint8Array): number {
  try {
    return readSync(fd, into, 0, into.length, null);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EOF') return 0;
    throw e;
  }
}
