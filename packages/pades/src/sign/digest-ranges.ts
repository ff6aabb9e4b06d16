import { toArrayBuffer } from '@kyso/core';
import { defaultDigestEngine, nobleDigestEngine, type DigestEngine, type DigestAlgorithm, type IncrementalDigest } from '@kyso/cms';
import type { ByteRange } from '../byterange/placeholder.js';

/** @kyso/cms's default engine when it is native (Node's OpenSSL); undefined where it would be pure JS. @internal */
export function nativeDigestEngine(): DigestEngine | undefined {
  const engine = defaultDigestEngine();
  return engine === nobleDigestEngine ? undefined : engine;
}

/**
 * Digest of the bytes a /ByteRange covers (ISO 32000-2 §12.8.1): the first range, then the second.
 *
 * - With `engine`, or in Node (native hashes), the two ranges are fed to an incremental hash (no copy).
 * - With `scratch: true` the caller owns `bytes` and lets it be used as scratch space: the second
 *   range is moved down over the gap, hashed in one native WebCrypto call, and moved back —
 *   no copy of the file, and native speed (the signing path: the second range is small).
 * - Otherwise the two ranges are copied into one buffer for WebCrypto.
 */
export async function digestByteRange(
  bytes: Uint8Array,
  range: ByteRange,
  algorithm: DigestAlgorithm,
  options: { engine?: DigestEngine | undefined; scratch?: boolean } = {},
): Promise<Uint8Array> {
  const [a, b, c, d] = range;
  const first = bytes.subarray(a, a + b);
  const second = bytes.subarray(c, c + d);
  // Node's native hash (found at run time, so browsers bundle no Node module) needs no copy.
  const engine = options.engine ?? nativeDigestEngine();
  if (engine) {
    const h = engine.create(algorithm);
    h.update(first);
    h.update(second);
    return await h.digest();
  }
  if (options.scratch && a === 0) {
    // Copies (not views, as Buffer.slice() would give): the bytes are restored from them.
    const gap = new Uint8Array(bytes.subarray(b, c));
    const saved = new Uint8Array(second);
    bytes.copyWithin(b, c, c + d);
    try {
      return new Uint8Array(await globalThis.crypto.subtle.digest(algorithm, bytes.subarray(0, b + d) as Uint8Array<ArrayBuffer>));
    } finally {
      bytes.set(saved, c);
      bytes.set(gap, b);
    }
  }
  const joined = new Uint8Array(b + d);
  joined.set(first, 0);
  joined.set(second, b);
  return new Uint8Array(await globalThis.crypto.subtle.digest(algorithm, toArrayBuffer(joined)));
}

/** Chunk size for hashing a file read on demand. */
const CHUNK = 1 << 20;

/** What the file-hashing helpers need of a @kyso/pdf `ByteSource`. */
export interface RangeSource {
  read(start: number, end: number): Uint8Array;
  readInto?(target: Uint8Array, start: number): number;
}

/**
 * Feeds bytes `[start, end)` of `source` to `hash` in chunks: through one reused buffer when the
 * source can `readInto` it (no allocation per chunk), else chunk by chunk with `read`. Returns
 * how many bytes were hashed (fewer than asked when the source ends first). `observe` sees each
 * chunk too, with its offset in the file, before the buffer is reused.
 */
export function hashSourceRange(source: RangeSource, start: number, end: number, hash: IncrementalDigest, scratch?: Uint8Array, observe?: (chunk: Uint8Array, start: number) => void): number {
  if (source.readInto) {
    const buf = scratch ?? new Uint8Array(Math.min(CHUNK, Math.max(end - start, 1)));
    for (let at = start; at < end; ) {
      const n = source.readInto(buf.subarray(0, Math.min(buf.length, end - at)), at);
      if (n <= 0) return at - start; // the file ends first: hash what there is, as `read` does
      hash.update(buf.subarray(0, n));
      observe?.(buf.subarray(0, n), at);
      at += n;
    }
    return end - start;
  }
  let done = 0;
  for (let at = start; at < end; at += CHUNK) {
    const chunk = source.read(at, Math.min(end, at + CHUNK));
    hash.update(chunk);
    observe?.(chunk, at);
    done += chunk.length;
  }
  return done;
}

/** A chunk buffer for {@link hashSourceRange} when `source` can fill one. */
export function scratchFor(source: RangeSource): Uint8Array | undefined {
  return source.readInto ? new Uint8Array(CHUNK) : undefined;
}
