/**
 * Random access to the bytes of a PDF. The reader works over this so that the same code reads a
 * `Uint8Array` in a browser and a file handle in Node (`@kyso/pdf/node`) without loading it all.
 */
export interface ByteSource {
  /** Total length in bytes. */
  readonly length: number;
  /** True when `read` is free (a view on memory): the parser then reads whole windows at once. */
  readonly inMemory: boolean;
  /** Bytes `[start, end)`, clamped to the source. The result must not be modified. */
  read(start: number, end: number): Uint8Array;
  /**
   * Optional: copies the bytes from `start` into `target` (as many as fit, clamped to the source)
   * and returns how many were copied. Hashing a whole file through one reused buffer this way
   * allocates nothing per chunk (fresh 1 MiB arrays cost page faults and garbage collection).
   */
  readInto?(target: Uint8Array, start: number): number;
}

/** A {@link ByteSource} over bytes in memory; `read` returns views (no copies). */
export class MemoryByteSource implements ByteSource {
  readonly inMemory = true;
  constructor(readonly bytes: Uint8Array) {}
  get length(): number {
    return this.bytes.length;
  }
  read(start: number, end: number): Uint8Array {
    return this.bytes.subarray(Math.max(0, start), Math.min(this.bytes.length, end));
  }
  readInto(target: Uint8Array, start: number): number {
    const part = this.read(start, start + target.length);
    target.set(part);
    return part.length;
  }
}

/** First offset ≥ `from` (and < `to`) where `pattern` occurs in `source`, or -1; reads in chunks. */
export function findForward(source: ByteSource, pattern: Uint8Array, from: number, to = source.length): number {
  const chunk = source.inMemory ? Math.max(to - from, 0) : 1 << 16;
  for (let start = from; start < to; start += chunk) {
    const buf = source.read(start, Math.min(to, start + chunk + pattern.length - 1));
    const i = indexOf(buf, pattern, 0);
    if (i >= 0) return start + i;
  }
  return -1;
}

/** Last offset < `before` (and ≥ `from`) where `pattern` starts, or -1. */
export function findBackward(source: ByteSource, pattern: Uint8Array, before: number, from = 0): number {
  const buf = source.read(from, before);
  return lastIndexOf(buf, pattern) < 0 ? -1 : from + lastIndexOf(buf, pattern);
}

/** Index of `pattern` in `buf` from `from`, or -1. */
export function indexOf(buf: Uint8Array, pattern: Uint8Array, from: number): number {
  const first = pattern[0]!;
  const last = buf.length - pattern.length;
  for (let i = buf.indexOf(first, from); i >= 0 && i <= last; i = buf.indexOf(first, i + 1)) {
    let k = 1;
    while (k < pattern.length && buf[i + k] === pattern[k]) k++;
    if (k === pattern.length) return i;
  }
  return -1;
}

/** Last index of `pattern` in `buf`, or -1. */
export function lastIndexOf(buf: Uint8Array, pattern: Uint8Array): number {
  for (let i = buf.length - pattern.length; i >= 0; i--) {
    let k = 0;
    while (k < pattern.length && buf[i + k] === pattern[k]) k++;
    if (k === pattern.length) return i;
  }
  return -1;
}

/**
 * Yields the bytes of a signature's /ByteRange (pairs of offset and length, ISO 32000-2
 * §12.8.1) in chunks of at most `chunkSize`, so a digest over a 400 MB file needs little memory.
 * Throws a `RangeError` when a range lies outside the source.
 */
export function* readByteRanges(source: ByteSource, byteRange: readonly number[], chunkSize = 1 << 20): Generator<Uint8Array> {
  if (byteRange.length % 2 !== 0) throw new RangeError('A ByteRange has pairs of offset and length.');
  for (let i = 0; i < byteRange.length; i += 2) {
    const start = byteRange[i]!;
    const len = byteRange[i + 1]!;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(len) || start < 0 || len < 0 || start + len > source.length) {
      throw new RangeError(`The byte range [${start}, ${start + len}) lies outside the file (${source.length} bytes).`);
    }
    for (let p = start; p < start + len; p += chunkSize) yield source.read(p, Math.min(start + len, p + chunkSize));
  }
}
