import * as asn1js from 'asn1js';
import { p256, p384 } from '@noble/curves/nist.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, toArrayBuffer, utf8 } from '@kyso/core';
import { HmacDrbg } from '../internal/drbg.js';
import { bigInt, bigintToBytes, bits, bytesToBigint, der, explicit, int, nul, octets, oid, parseDer, seq, uint } from '../internal/der.js';
import { OID } from '../internal/oids.js';
import { keySpecInfo, type KeySpec } from './key-spec.js';
import { generateRsaNumbers, modulusBytes, rsaPrivate, type RsaKeyNumbers } from './rsa.js';

/**
 * A key pair made by the testkit, with what is needed to sign X.509 structures with it.
 */
export interface TestKeyPair {
  readonly keySpec: KeySpec;
  /** Non-extractable WebCrypto private key (the PKCS#8 bytes are in {@link pkcs8}). */
  readonly privateKey: CryptoKey;
  /** Extractable WebCrypto public key. */
  readonly publicKey: CryptoKey;
  /** DER PrivateKeyInfo (RFC 5208). */
  readonly pkcs8: Uint8Array;
  /** DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). */
  readonly spki: Uint8Array;
  /** DER AlgorithmIdentifier of the signatures {@link sign} makes (RFC 4055, RFC 5758). */
  readonly signatureAlgorithm: Uint8Array;
  /** The digest used with this key ('SHA-256', or 'SHA-384' for P-384). */
  readonly hash: 'SHA-256' | 'SHA-384';
  /**
   * Signs `data` (hashing it with {@link hash}) and returns the signature as X.509 and CMS
   * carry it: the RSA signature bytes, or an ECDSA `Ecdsa-Sig-Value` DER SEQUENCE (RFC 5480 §2.2.3).
   * Deterministic for seeded keys (RSA PKCS#1 v1.5; PSS with a salt derived from the seed;
   * ECDSA per RFC 6979).
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Options of {@link generateTestKeyPair}. */
export interface GenerateKeyOptions {
  /** With a seed the key is derived from (seed, label, spec) and identical on every run. */
  readonly seed?: string | undefined;
  /** Distinguishes keys made from one seed (e.g. the identity name). */
  readonly label?: string | undefined;
}

const cache = new Map<string, Promise<TestKeyPair>>();

/**
 * Makes a key pair of type `spec`. Without a seed WebCrypto generates it (fast); with a seed
 * it is derived deterministically and cached in memory per (seed, label, spec).
 *
 * @example
 * ```ts
 * const k = await generateTestKeyPair('ecdsa-p256', { seed: 'demo', label: 'alice' });
 * ```
 */
export async function generateTestKeyPair(spec: KeySpec, options: GenerateKeyOptions = {}): Promise<TestKeyPair> {
  keySpecInfo(spec);
  if (options.seed === undefined) return randomKeyPair(spec);
  const key = `${options.seed}\u0000${options.label ?? ''}\u0000${spec}`;
  let p = cache.get(key);
  if (!p) {
    p = seededKeyPair(spec, options.seed, options.label ?? '');
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// AlgorithmIdentifiers

const sha256Id = () => seq(oid(OID.sha256));

/** DER AlgorithmIdentifier for signatures with a key of `spec`. */
export function signatureAlgorithmFor(spec: KeySpec): Uint8Array {
  const info = keySpecInfo(spec);
  if (info.kind === 'rsa') return der(seq(oid(OID.sha256WithRSAEncryption), nul()));
  if (info.kind === 'rsa-pss') {
    // RSASSA-PSS-params (RFC 4055 §3.1): SHA-256, MGF1 with SHA-256, salt 32, trailer default.
    return der(
      seq(
        oid(OID.rsassaPss),
        seq(explicit(0, sha256Id()), explicit(1, seq(oid(OID.mgf1), sha256Id())), explicit(2, int(32))),
      ),
    );
  }
  return der(seq(oid(info.hash === 'SHA-384' ? OID.ecdsaWithSha384 : OID.ecdsaWithSha256)));
}

// ---------------------------------------------------------------------------------------------
// Random keys (WebCrypto)

async function randomKeyPair(spec: KeySpec): Promise<TestKeyPair> {
  const info = keySpecInfo(spec);
  const subtle = globalThis.crypto.subtle;
  const params =
    info.kind === 'ecdsa'
      ? info.webCrypto
      : { ...info.webCrypto, modulusLength: info.bits, publicExponent: new Uint8Array([1, 0, 1]) };
  const pair = (await subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  return finish(spec, pkcs8, spki, undefined);
}

// ---------------------------------------------------------------------------------------------
// Seeded keys

async function seededKeyPair(spec: KeySpec, seed: string, label: string): Promise<TestKeyPair> {
  const info = keySpecInfo(spec);
  const rnd = new HmacDrbg(seed, `key:${spec}:${label}`);
  const saltKey = sha256(concatBytes(utf8(seed), new Uint8Array([0]), utf8(`salt:${spec}:${label}`)));
  if (info.kind === 'ecdsa') {
    const curve = info.bits === 256 ? p256 : p384;
    const len = info.bits / 8;
    // d = 1 + (DRBG output mod (n-1)), from 8 extra bytes so the bias is negligible.
    const n = curve.Point.CURVE().n;
    const d = 1n + (bytesToBigint(rnd.bytes(len + 8)) % (n - 1n));
    const dBytes = bigintToBytes(d, len);
    const pub = curve.getPublicKey(dBytes, false);
    const algId = seq(oid(OID.ecPublicKey), oid(info.curveOid!));
    // ECPrivateKey (RFC 5915 §3) inside PrivateKeyInfo (RFC 5208).
    const ecPrivateKey = seq(int(1), octets(dBytes), explicit(1, bits(pub)));
    const pkcs8 = der(seq(int(0), algId, octets(der(ecPrivateKey))));
    const spki = der(seq(seq(oid(OID.ecPublicKey), oid(info.curveOid!)), bits(pub)));
    const signer = async (data: Uint8Array) => curve.sign(data, dBytes, { prehash: true, format: 'der' });
    return finish(spec, pkcs8, spki, signer);
  }
  const k = generateRsaNumbers(info.bits, rnd);
  const rsaPrivateKey = seq(int(0), bigInt(k.n), bigInt(k.e), bigInt(k.d), bigInt(k.p), bigInt(k.q), bigInt(k.dp), bigInt(k.dq), bigInt(k.qi));
  const rsaAlg = seq(oid(OID.rsaEncryption), nul());
  const pkcs8 = der(seq(int(0), rsaAlg, octets(der(rsaPrivateKey))));
  const spki = der(seq(seq(oid(OID.rsaEncryption), nul()), bits(der(seq(bigInt(k.n), bigInt(k.e))))));
  // PKCS#1 v1.5 is deterministic in WebCrypto; PSS needs a salt, so seeded PSS keys sign here.
  const signer = info.kind === 'rsa-pss' ? async (data: Uint8Array) => pssSign(k, data, hmac(sha256, saltKey, data)) : undefined;
  return finish(spec, pkcs8, spki, signer);
}

/** RSASSA-PSS-SIGN (RFC 8017 §8.1.1) with SHA-256, MGF1-SHA-256 and the given 32-byte salt. */
function pssSign(k: RsaKeyNumbers, message: Uint8Array, salt: Uint8Array): Uint8Array {
  const modBits = k.n.toString(2).length;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = 32;
  const mHash = sha256(message);
  // EMSA-PSS-ENCODE (RFC 8017 §9.1.1).
  const h = sha256(concatBytes(new Uint8Array(8), mHash, salt));
  const db = new Uint8Array(emLen - hLen - 1);
  db[emLen - salt.length - hLen - 2] = 0x01;
  db.set(salt, emLen - salt.length - hLen - 1);
  const mask = mgf1(h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >>> (8 * emLen - emBits);
  const em = concatBytes(db, h, new Uint8Array([0xbc]));
  return bigintToBytes(rsaPrivate(k, bytesToBigint(em)), modulusBytes(k));
}

function mgf1(seed: Uint8Array, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let c = 0, off = 0; off < len; c++, off += 32) {
    const block = sha256(concatBytes(seed, new Uint8Array([c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255])));
    out.set(block.subarray(0, Math.min(32, len - off)), off);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function finish(
  spec: KeySpec,
  pkcs8: Uint8Array,
  spki: Uint8Array,
  customSign: ((data: Uint8Array) => Promise<Uint8Array>) | undefined,
): Promise<TestKeyPair> {
  const info = keySpecInfo(spec);
  const subtle = globalThis.crypto.subtle;
  const privateKey = await subtle.importKey('pkcs8', toArrayBuffer(pkcs8), info.webCrypto, false, ['sign']);
  const publicKey = await subtle.importKey('spki', toArrayBuffer(spki), info.webCrypto, true, ['verify']);
  const sign =
    customSign ??
    (async (data: Uint8Array): Promise<Uint8Array> => {
      const alg =
        info.kind === 'rsa'
          ? { name: 'RSASSA-PKCS1-v1_5' }
          : info.kind === 'rsa-pss'
            ? { name: 'RSA-PSS', saltLength: 32 }
            : { name: 'ECDSA', hash: info.hash };
      const sig = new Uint8Array(await subtle.sign(alg, privateKey, toArrayBuffer(data)));
      return info.kind === 'ecdsa' ? p1363ToDer(sig) : sig;
    });
  return Object.freeze({
    keySpec: spec,
    privateKey,
    publicKey,
    pkcs8,
    spki,
    signatureAlgorithm: signatureAlgorithmFor(spec),
    hash: info.hash,
    sign,
  });
}

/** WebCrypto's r||s ECDSA signature as a DER Ecdsa-Sig-Value (RFC 5480 §2.2.3). */
export function p1363ToDer(sig: Uint8Array): Uint8Array {
  const half = sig.length / 2;
  return der(seq(uint(sig.subarray(0, half)), uint(sig.subarray(half))));
}

/** The subjectPublicKey BIT STRING contents of a DER SubjectPublicKeyInfo. */
export function spkiPublicKeyBits(spki: Uint8Array): Uint8Array {
  const s = parseDer(spki, 'SubjectPublicKeyInfo') as asn1js.Sequence;
  const bitString = s.valueBlock.value[1] as asn1js.BitString;
  return new Uint8Array(bitString.valueBlock.valueHexView);
}
