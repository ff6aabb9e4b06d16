import { describe, expect, it } from 'vitest';
import { HmacDrbg } from '../src/internal/drbg.js';
import { generateRsaNumbers, modPow } from '../src/keys/rsa.js';

describe('seeded RSA', () => {
  it('finds the same primes with Node’s native check and with BigInt Miller–Rabin', () => {
    const a = generateRsaNumbers(2048, new HmacDrbg('rsa-test', 'k'), true);
    const b = generateRsaNumbers(2048, new HmacDrbg('rsa-test', 'k'), false);
    expect(b.p).toBe(a.p);
    expect(b.q).toBe(a.q);
    expect(a.n.toString(2)).toHaveLength(2048);
    // e·d ≡ 1 and a round trip through the key works.
    const m = 0x1234567890abcdefn;
    expect(modPow(modPow(m, a.e, a.n), a.d, a.n)).toBe(m);
  });

  it('gives another key for another label', () => {
    const a = generateRsaNumbers(2048, new HmacDrbg('rsa-test', 'k'));
    const c = generateRsaNumbers(2048, new HmacDrbg('rsa-test', 'other'));
    expect(c.n).not.toBe(a.n);
  });
});
