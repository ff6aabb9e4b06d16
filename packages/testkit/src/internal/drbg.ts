import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from '@kyso/core';

/**
 * HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1 §10.1.2), without reseeding or prediction
 * resistance: the deterministic byte stream that seeded keys, serial numbers and salts come from.
 * It is a test tool: the seed is a public string, so nothing it makes is secret.
 */
export class HmacDrbg {
  #k = new Uint8Array(32);
  #v = new Uint8Array(32).fill(1);

  /** `seed` and `label` together are the entropy input (SP 800-90A §10.1.2.3). */
  constructor(seed: string, label: string) {
    this.#update(concatBytes(utf8(seed), new Uint8Array([0]), utf8(label)));
  }

  // SP 800-90A §10.1.2.2 HMAC_DRBG_Update.
  #update(data?: Uint8Array): void {
    this.#k = hmac(sha256, this.#k, concatBytes(this.#v, new Uint8Array([0]), data ?? new Uint8Array(0)));
    this.#v = hmac(sha256, this.#k, this.#v);
    if (data === undefined || data.length === 0) return;
    this.#k = hmac(sha256, this.#k, concatBytes(this.#v, new Uint8Array([1]), data));
    this.#v = hmac(sha256, this.#k, this.#v);
  }

  /** The next `n` bytes of the stream (SP 800-90A §10.1.2.5). */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      this.#v = hmac(sha256, this.#k, this.#v);
      out.set(this.#v.subarray(0, Math.min(32, n - off)), off);
      off += 32;
    }
    this.#update();
    return out;
  }
}

/** `n` bytes: from a DRBG seeded with (`seed`, `label`) when a seed is given, else random. */
export function bytesFor(n: number, seed: string | undefined, label: string): Uint8Array {
  if (seed !== undefined) return new HmacDrbg(seed, label).bytes(n);
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
