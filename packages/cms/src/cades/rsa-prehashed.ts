/**
 * RSASSA-PKCS1-v1_5 verification over a digest (RFC 8017 §8.2.2), for SignerInfos without signed
 * attributes whose content is only available as a digest: WebCrypto verifies messages, not
 * digests. Public-key operation only, so plain BigInt arithmetic is safe here.
 */
import { bytesEqual } from '@kyso/core';
import { children, contents, parseOne, readOid } from '../asn1/der.js';
import { hashFromOid, type DigestAlgorithm } from '../algorithms.js';

const toBig = (b: Uint8Array): bigint => {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
};

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** True when `signature` is a PKCS#1 v1.5 signature of `digest` (hash `hash`) by the RSA key in `spki`. */
export function verifyRsaPkcs1Digest(spki: Uint8Array, hash: DigestAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    const [, bits] = children(parseOne(spki));
    const [nT, eT] = children(parseOne(contents(bits!).subarray(1)));
    const nBytes = contents(nT!);
    const n = toBig(nBytes);
    const k = nBytes[0] === 0 ? nBytes.length - 1 : nBytes.length;
    if (signature.length !== k) return false;
    const m = modPow(toBig(signature), toBig(contents(eT!)), n);
    const em = new Uint8Array(k);
    let v = m;
    for (let i = k - 1; i >= 0; i--) {
      em[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    // EM = 0x00 || 0x01 || PS (0xff…, at least 8) || 0x00 || DigestInfo
    if (em[0] !== 0 || em[1] !== 1) return false;
    let p = 2;
    while (p < k && em[p] === 0xff) p++;
    if (p - 2 < 8 || em[p] !== 0) return false;
    const di = children(parseOne(em.subarray(p + 1)));
    const alg = hashFromOid(readOid(children(di[0]!)[0]!));
    return alg === hash && bytesEqual(contents(di[1]!), digest);
  } catch {
    return false;
  }
}
