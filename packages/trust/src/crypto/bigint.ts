/** Modular exponentiation by square-and-multiply (public-key operations only). @internal */
export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  if (mod === 1n) return 0n;
  let result = 1n;
  let b = ((base % mod) + mod) % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    e >>= 1n;
    b = (b * b) % mod;
  }
  return result;
}

/** Inverse of `a` modulo `m` (extended Euclid); undefined when none exists. @internal */
export function modInverse(a: bigint, m: bigint): bigint | undefined {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) return undefined;
  return ((oldS % m) + m) % m;
}

/** Big-endian unsigned encoding of `v` in exactly `len` bytes (RFC 8017 I2OSP); undefined if too large. @internal */
export function i2osp(v: bigint, len: number): Uint8Array | undefined {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return v === 0n ? out : undefined;
}

/** Bit length of a non-negative bigint. @internal */
export function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}
