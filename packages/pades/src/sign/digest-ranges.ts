import { toArrayBuffer } from '@kyso/core';
import type { DigestEngine, DigestAlgorithm } from '@kyso/cms';
import type { ByteRange } from '../byterange/placeholder.js';

/**
 * Digest of the bytes a /ByteRange covers (ISO 32000-2 §12.8.1): the first range, then the second.
 *
 * - With `engine`, the two ranges are fed to an incremental hash (no copy).
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
  if (options.engine) {
    const h = options.engine.create(algorithm);
    h.update(first);
    h.update(second);
    return await h.digest();
  }
  if (options.scratch && a === 0) {
    const gap = bytes.slice(b, c);
    const saved = second.slice();
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

/**
 * Digest of the bytes a /ByteRange covers in a file read on demand (a @kyso/pdf `ByteSource`),
 * chunk by chunk through an incremental `engine`: memory stays bounded whatever the file size.
 */
export async function digestSourceRange(
  source: { read(start: number, end: number): Uint8Array },
  range: ByteRange,
  algorithm: DigestAlgorithm,
  engine: DigestEngine,
): Promise<Uint8Array> {
  const h = engine.create(algorithm);
  for (const [start, len] of [[range[0], range[1]], [range[2], range[3]]] as const) {
    for (let at = start; at < start + len; at += CHUNK) h.update(source.read(at, Math.min(start + len, at + CHUNK)));
  }
  return await h.digest();
}
