import { bytesEqual, concatBytes, toArrayBuffer } from '@kyso/core';
import { Tag, bytesToBigInt, parseDer, readBigInt, readOid } from '../asn1/der.js';
import { derNull, derOctetString, derOid, derSequence } from '../asn1/der-writer.js';
import { Oid } from '../asn1/oids.js';
import { TrustError } from '../errors.js';
import { type AlgorithmIdentifier, type PublicKeyInfo, type SignatureScheme, signatureScheme } from './algorithm.js';
import { bitLength, i2osp, modInverse, modPow } from './bigint.js';
import { type HashName, digest, hashLength, hashOid } from './digest.js';
import { NODE_HASH, nodeCrypto } from './node-crypto.js';

/** The outcome of checking one signature. */
export interface SignatureCheck {
  /** True when the signature is mathematically valid for the data and key. */
  readonly valid: boolean;
  /** Why it is not valid: a bad signature, or one kyso cannot check. */
  readonly error?: 'BAD_SIGNATURE' | 'UNSUPPORTED_ALGORITHM' | 'KEY_MISMATCH';
  /** A sentence for reports. */
  readonly message?: string;
}

const OK: SignatureCheck = Object.freeze({ valid: true });
const bad = (message: string): SignatureCheck => Object.freeze({ valid: false, error: 'BAD_SIGNATURE', message });
const unsupported = (message: string): SignatureCheck => Object.freeze({ valid: false, error: 'UNSUPPORTED_ALGORITHM', message });
const mismatch = (message: string): SignatureCheck => Object.freeze({ valid: false, error: 'KEY_MISMATCH', message });

const CURVES: Record<string, { name: string; size: number }> = {
  [Oid.secp256r1]: { name: 'P-256', size: 32 },
  [Oid.secp384r1]: { name: 'P-384', size: 48 },
  [Oid.secp521r1]: { name: 'P-521', size: 66 },
};

/**
 * Verifies `signature` over `data` with `publicKey` under the signature AlgorithmIdentifier
 * `algorithm` (RFC 5280 §4.1.1.2): RSASSA-PKCS1-v1_5 with SHA-1/224/256/384/512 (RFC 8017 §8.2),
 * RSASSA-PSS with the parameters of the AlgorithmIdentifier (RFC 4055), ECDSA on P-256/384/521
 * (RFC 5758), DSA (FIPS 186-4 §4.7; keys may inherit parameters, RFC 5280 §6.1.4(f)) and Ed25519.
 * Never throws for a bad signature; returns `{ valid: false, error }`.
 */
export async function verifySignature(
  publicKey: PublicKeyInfo,
  algorithm: AlgorithmIdentifier,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<SignatureCheck> {
  const scheme = signatureScheme(algorithm);
  if (typeof scheme === 'string') return unsupported(scheme);
  try {
    switch (scheme.kind) {
      case 'rsa-pkcs1':
      case 'rsa-pss':
        if (publicKey.keyType !== 'rsa') return mismatch(`an ${scheme.kind} signature cannot be checked with a ${publicKey.keyType} key`);
        return await verifyRsa(publicKey, scheme, signature, data);
      case 'ecdsa':
        if (publicKey.keyType !== 'ec') return mismatch(`an ECDSA signature cannot be checked with a ${publicKey.keyType} key`);
        return await verifyEcdsa(publicKey, scheme.hash, signature, data);
      case 'dsa':
        if (publicKey.keyType !== 'dsa') return mismatch(`a DSA signature cannot be checked with a ${publicKey.keyType} key`);
        return await verifyDsa(publicKey, scheme.hash, signature, data);
      case 'ed25519':
        if (publicKey.keyType !== 'ed25519') return mismatch(`an Ed25519 signature cannot be checked with a ${publicKey.keyType} key`);
        return await verifyWithPlatform(publicKey, { kind: 'ed25519' }, signature, data);
    }
  } catch (e) {
    if (e instanceof TrustError) return bad(`the key or signature is malformed: ${e.message}`);
    throw e;
  }
}

/** A signature scheme that the platform checks: node:crypto in Node, WebCrypto elsewhere. */
type PlatformScheme =
  | { readonly kind: 'pkcs1'; readonly hash: HashName }
  | { readonly kind: 'pss'; readonly hash: HashName; readonly saltLength: number }
  | { readonly kind: 'ecdsa'; readonly hash: HashName; readonly curve: string }
  | { readonly kind: 'ed25519' };

/** Checks `signature` (r‖s for ECDSA) with the platform's native code: node:crypto in Node, else WebCrypto. */
async function verifyWithPlatform(key: PublicKeyInfo, scheme: PlatformScheme, signature: Uint8Array, data: Uint8Array): Promise<SignatureCheck> {
  const node = nodeCrypto();
  if (node) {
    const k = key.nodeKey(node);
    if (!k) return unsupported(`node:crypto cannot read this ${key.keyType} key`);
    const options =
      scheme.kind === 'pss'
        ? { key: k, padding: node.constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength }
        : scheme.kind === 'ecdsa'
          ? { key: k, dsaEncoding: 'ieee-p1363' }
          : { key: k };
    let ok = false;
    try {
      ok = node.verify(scheme.kind === 'ed25519' ? null : NODE_HASH[scheme.hash], data, options, signature);
    } catch {
      ok = false; // a signature OpenSSL cannot even parse
    }
    return ok ? OK : bad('the signature does not match the data and key');
  }
  const [cacheName, importAlg, verifyAlg] = webCryptoParams(scheme);
  const ck = await key.cryptoKey(cacheName, importAlg);
  if (!ck) return unsupported(`WebCrypto cannot import this ${key.keyType} key for ${cacheName}`);
  const ok = await globalThis.crypto.subtle.verify(verifyAlg, ck, toArrayBuffer(signature), toArrayBuffer(data));
  return ok ? OK : bad('the signature does not match the data and key');
}

function webCryptoParams(s: PlatformScheme): [string, RsaHashedImportParams | EcKeyImportParams | Algorithm, Algorithm | RsaPssParams | EcdsaParams] {
  switch (s.kind) {
    case 'pkcs1':
      return [`pkcs1-${s.hash}`, { name: 'RSASSA-PKCS1-v1_5', hash: s.hash }, { name: 'RSASSA-PKCS1-v1_5' }];
    case 'pss':
      return [`pss-${s.hash}`, { name: 'RSA-PSS', hash: s.hash }, { name: 'RSA-PSS', saltLength: s.saltLength } as RsaPssParams];
    case 'ecdsa':
      return [`ecdsa-${s.curve}`, { name: 'ECDSA', namedCurve: s.curve }, { name: 'ECDSA', hash: s.hash } as EcdsaParams];
    case 'ed25519':
      return ['Ed25519', { name: 'Ed25519' }, { name: 'Ed25519' }];
  }
}

// --- RSA (RFC 8017) ---------------------------------------------------------------------------

function rsaKey(key: PublicKeyInfo): { n: bigint; e: bigint } {
  const seq = parseDer(key.keyBytes).expect(Tag.sequence, 'RSAPublicKey');
  return { n: readBigInt(seq.child(0)), e: readBigInt(seq.child(1)) };
}

const WEBCRYPTO_HASHES = new Set<HashName>(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

async function verifyRsa(
  key: PublicKeyInfo,
  scheme: Extract<SignatureScheme, { kind: 'rsa-pkcs1' | 'rsa-pss' }>,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<SignatureCheck> {
  // WebCrypto covers the common cases; SHA-224 and PSS with a different MGF1 hash or an
  // id-RSASSA-PSS key fall back to the arithmetic below (public operations only).
  const plainKey = key.algorithm.oid === Oid.rsaEncryption;
  if (plainKey && WEBCRYPTO_HASHES.has(scheme.hash)) {
    if (scheme.kind === 'rsa-pkcs1') return verifyWithPlatform(key, { kind: 'pkcs1', hash: scheme.hash }, signature, data);
    if (scheme.mgfHash === scheme.hash) return verifyWithPlatform(key, { kind: 'pss', hash: scheme.hash, saltLength: scheme.saltLength }, signature, data);
  }
  const { n, e } = rsaKey(key);
  const k = Math.ceil(bitLength(n) / 8);
  if (signature.length > k) return bad('the RSA signature is longer than the modulus');
  const s = bytesToBigInt(signature);
  if (s >= n) return bad('the RSA signature is not smaller than the modulus');
  const m = modPow(s, e, n);
  const mHash = await digest(scheme.hash, data);
  if (scheme.kind === 'rsa-pkcs1') {
    const em = i2osp(m, k);
    if (!em) return bad('the RSA signature is malformed');
    // RFC 8017 §9.2 EMSA-PKCS1-v1_5: compare with the encoding we expect (params NULL or absent).
    for (const withNull of [true, false]) {
      const algId = withNull ? derSequence(derOid(hashOid[scheme.hash]), derNull()) : derSequence(derOid(hashOid[scheme.hash]));
      const t = derSequence(algId, derOctetString(mHash));
      if (k < t.length + 11) return bad('the RSA modulus is too short for this hash');
      const expected = new Uint8Array(k);
      expected[1] = 0x01;
      expected.fill(0xff, 2, k - t.length - 1);
      expected.set(t, k - t.length);
      if (bytesEqual(em, expected)) return OK;
    }
    return bad('the signature does not match the data and key');
  }
  return emsaPssVerify(m, bitLength(n) - 1, mHash, scheme);
}

async function mgf1(hash: HashName, seed: Uint8Array, len: number): Promise<Uint8Array> {
  const out = new Uint8Array(len);
  let pos = 0;
  for (let counter = 0; pos < len; counter++) {
    const c = Uint8Array.of(counter >>> 24, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff);
    const block = await digest(hash, concatBytes(seed, c));
    out.set(block.subarray(0, Math.min(block.length, len - pos)), pos);
    pos += block.length;
  }
  return out;
}

/** RFC 8017 §9.1.2 EMSA-PSS-VERIFY. */
async function emsaPssVerify(
  m: bigint,
  emBits: number,
  mHash: Uint8Array,
  scheme: Extract<SignatureScheme, { kind: 'rsa-pss' }>,
): Promise<SignatureCheck> {
  const emLen = Math.ceil(emBits / 8);
  const hLen = hashLength[scheme.hash];
  const sLen = scheme.saltLength;
  const em = i2osp(m, emLen);
  const fail = bad('the signature does not match the data and key');
  if (!em || emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return fail;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 8 * emLen - emBits;
  const topMask = topBits === 0 ? 0 : (0xff << (8 - topBits)) & 0xff;
  if ((maskedDb[0]! & topMask) !== 0) return fail;
  const dbMask = await mgf1(scheme.mgfHash, h, maskedDb.length);
  const db = maskedDb.map((b, i) => b ^ dbMask[i]!);
  db[0] = db[0]! & ~topMask;
  const psLen = emLen - hLen - sLen - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return fail;
  if (db[psLen] !== 0x01) return fail;
  const salt = db.subarray(db.length - sLen);
  const h2 = await digest(scheme.hash, concatBytes(new Uint8Array(8), mHash, salt));
  return bytesEqual(h, h2) ? OK : fail;
}

// --- ECDSA (RFC 5758, RFC 3279 §2.2.3) ----------------------------------------------------------

async function verifyEcdsa(key: PublicKeyInfo, hash: HashName, signature: Uint8Array, data: Uint8Array): Promise<SignatureCheck> {
  if (!key.algorithm.parameters) return unsupported('the EC key has no curve parameters');
  const paramsNode = parseDer(key.algorithm.parameters);
  if (!paramsNode.is(Tag.oid)) return unsupported('EC keys with explicit curve parameters are not supported');
  const curve = CURVES[readOid(paramsNode)];
  if (!curve) return unsupported(`the EC curve ${readOid(paramsNode)} is not supported (P-256, P-384, P-521 are)`);
  if (!WEBCRYPTO_HASHES.has(hash)) return unsupported(`ECDSA with ${hash} is not supported`);
  // ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } → r || s for WebCrypto.
  const seq = parseDer(signature).expect(Tag.sequence, 'ECDSA-Sig-Value');
  const r = readBigInt(seq.child(0));
  const s = readBigInt(seq.child(1));
  if (r <= 0n || s <= 0n) return bad('the ECDSA signature values are out of range');
  const rb = i2osp(r, curve.size);
  const sb = i2osp(s, curve.size);
  if (!rb || !sb) return bad('the ECDSA signature values are too large for the curve');
  return verifyWithPlatform(key, { kind: 'ecdsa', hash, curve: curve.name }, concatBytes(rb, sb), data);
}

// --- DSA (FIPS 186-4 §4.7) ------------------------------------------------------------------

async function verifyDsa(key: PublicKeyInfo, hash: HashName, signature: Uint8Array, data: Uint8Array): Promise<SignatureCheck> {
  if (!key.hasParameters) return bad('the DSA key has no parameters and none were inherited (RFC 5280 §6.1.4(f))');
  const params = parseDer(key.algorithm.parameters!).expect(Tag.sequence, 'Dss-Parms');
  const p = readBigInt(params.child(0));
  const q = readBigInt(params.child(1));
  const g = readBigInt(params.child(2));
  const y = readBigInt(parseDer(key.keyBytes));
  const sig = parseDer(signature).expect(Tag.sequence, 'Dss-Sig-Value');
  const r = readBigInt(sig.child(0));
  const s = readBigInt(sig.child(1));
  if (r <= 0n || r >= q || s <= 0n || s >= q) return bad('the DSA signature values are out of range');
  const w = modInverse(s, q);
  if (w === undefined) return bad('the DSA signature is malformed');
  // z = the leftmost min(N, outlen) bits of Hash(M).
  const hBytes = await digest(hash, data);
  const n = bitLength(q);
  let z = bytesToBigInt(hBytes);
  const outLen = hBytes.length * 8;
  if (outLen > n) z >>= BigInt(outLen - n);
  const u1 = (z * w) % q;
  const u2 = (r * w) % q;
  const v = ((modPow(g, u1, p) * modPow(y, u2, p)) % p) % q;
  return v === r ? OK : bad('the signature does not match the data and key');
}

