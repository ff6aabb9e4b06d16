/**
 * Password-based decryption for PKCS#8 and PKCS#12: PBES2 (RFC 8018 §6.2, PBKDF2 + AES-CBC via
 * WebCrypto) and the legacy PKCS#12 PBE schemes (RFC 7292 Appendix B/C: 3DES, RC2-40, RC2-128)
 * that older Windows and OpenSSL `-legacy` exports still use. WebCrypto has neither 3DES nor RC2,
 * so those ciphers come from node-forge, loaded with `import()` only when such a file appears.
 */
import { fromLatin1, latin1, toArrayBuffer, utf8 } from '@kyso/core';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512, sha224 } from '@noble/hashes/sha2.js';
import { children, contents, parseOne, readOctetString, readOid, readSmallInt, type Tlv } from '../asn1/der.js';
import { SignerError } from '../errors.js';

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'SHA-1',
  '1.2.840.113549.2.9': 'SHA-256',
  '1.2.840.113549.2.10': 'SHA-384',
  '1.2.840.113549.2.11': 'SHA-512',
};
const AES: Record<string, number> = { '2.16.840.1.101.3.4.1.2': 16, '2.16.840.1.101.3.4.1.22': 24, '2.16.840.1.101.3.4.1.42': 32 };
const DES_EDE3_CBC = '1.2.840.113549.3.7';
/** PKCS#12 PBE schemes (RFC 7292 Appendix C): cipher and key length in bytes. */
const P12_PBE: Record<string, { cipher: '3des' | 'rc2'; keyLength: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: '3des', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: '3des', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2', keyLength: 16 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2', keyLength: 5 },
};

/** Hash functions for the PKCS#12 KDF: output length u and block length v (RFC 7292 B.2). */
const KDF_HASH = {
  'SHA-1': { fn: sha1, u: 20, v: 64 },
  'SHA-224': { fn: sha224, u: 28, v: 64 },
  'SHA-256': { fn: sha256, u: 32, v: 64 },
  'SHA-384': { fn: sha384, u: 48, v: 128 },
  'SHA-512': { fn: sha512, u: 64, v: 128 },
} as const;
export type KdfHash = keyof typeof KDF_HASH;

/** The password as the PKCS#12 KDF takes it: BMPString (UTF-16BE) with a terminating NUL (RFC 7292 B.1). */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[i * 2] = c >> 8;
    out[i * 2 + 1] = c & 0xff;
  }
  return out;
}

/** The PKCS#12 key derivation function (RFC 7292 Appendix B.2). `id`: 1 key, 2 IV, 3 MAC key. */
export function pkcs12Kdf(hash: KdfHash, password: Uint8Array, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, n: number): Uint8Array {
  const { fn, u, v } = KDF_HASH[hash];
  const fill = (src: Uint8Array): Uint8Array => {
    const len = src.length === 0 ? 0 : v * Math.ceil(src.length / v);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const D = new Uint8Array(v).fill(id);
  const I = new Uint8Array([...fill(salt), ...fill(password)]);
  const out = new Uint8Array(Math.ceil(n / u) * u);
  for (let i = 0; i * u < n; i++) {
    let A = fn.create().update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = fn(A);
    out.set(A, i * u);
    // I_j = (I_j + B + 1) mod 2^(8v), with B = A repeated to v bytes.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + A[k % u]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return out.subarray(0, n);
}

/** Signals a decryption that failed the padding check, i.e. most likely a wrong password. */
export class WrongPassword extends Error {}

/**
 * Decrypts `data` encrypted under the AlgorithmIdentifier `algId` with `password`.
 * Throws {@link WrongPassword} when the result does not unpad (the usual sign of a wrong password).
 */
export async function pbeDecrypt(algId: Tlv, data: Uint8Array, password: string): Promise<Uint8Array> {
  const [oidT, params] = children(algId);
  const scheme = readOid(oidT!);
  if (scheme === PBES2) return pbes2Decrypt(params!, data, password);
  const legacy = P12_PBE[scheme];
  if (legacy) {
    const [saltT, iterT] = children(params!);
    const salt = contents(saltT!);
    const iterations = readSmallInt(iterT!);
    const pw = bmpPassword(password);
    const key = pkcs12Kdf('SHA-1', pw, salt, 1, iterations, legacy.keyLength);
    const iv = pkcs12Kdf('SHA-1', pw, salt, 2, iterations, 8);
    if (legacy.cipher === '3des') {
      // Two-key 3DES (K1, K2, K1) is expressed as a 24-byte key.
      const k = key.length === 16 ? new Uint8Array([...key, ...key.subarray(0, 8)]) : key;
      return forgeDecrypt('3des', k, iv, data);
    }
    return forgeDecrypt('rc2', key, iv, data);
  }
  throw new SignerError('P12_UNSUPPORTED', `The key is encrypted with an unsupported scheme (${scheme}); re-export it with AES-256 (openssl pkcs12 -export without -legacy).`);
}

async function pbes2Decrypt(params: Tlv, data: Uint8Array, password: string): Promise<Uint8Array> {
  const [kdfT, encT] = children(params);
  const [kdfOid, kdfParams] = children(kdfT!);
  if (readOid(kdfOid!) !== PBKDF2) throw new SignerError('P12_UNSUPPORTED', 'Only PBKDF2 is supported as the PBES2 key derivation (RFC 8018 §6.2); re-export the file with OpenSSL defaults.');
  const kp = children(kdfParams!);
  const salt = contents(kp[0]!);
  const iterations = readSmallInt(kp[1]!);
  let i = 2;
  let keyLength: number | undefined;
  if (kp[i]?.tag === 0x02) keyLength = readSmallInt(kp[i++]!);
  const prf = kp[i] ? PRF[readOid(children(kp[i]!)[0]!)] : 'SHA-1';
  if (!prf) throw new SignerError('P12_UNSUPPORTED', 'The PBKDF2 pseudo-random function is not supported (use HMAC-SHA-1/256/384/512).');
  const [encOid, ivT] = children(encT!);
  const enc = readOid(encOid!);
  const iv = contents(ivT!);
  const aesLength = AES[enc];
  const len = keyLength ?? aesLength ?? (enc === DES_EDE3_CBC ? 24 : 0);
  if (!len) throw new SignerError('P12_UNSUPPORTED', `The PBES2 cipher ${enc} is not supported; use AES-CBC.`);
  const base = await globalThis.crypto.subtle.importKey('raw', toArrayBuffer(utf8(password)), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(
    await globalThis.crypto.subtle.deriveBits({ name: 'PBKDF2', salt: toArrayBuffer(salt), iterations, hash: prf }, base, len * 8),
  );
  if (enc === DES_EDE3_CBC) return forgeDecrypt('3des', bits, iv, data);
  if (!aesLength) throw new SignerError('P12_UNSUPPORTED', `The PBES2 cipher ${enc} is not supported; use AES-CBC.`);
  const key = await globalThis.crypto.subtle.importKey('raw', toArrayBuffer(bits), 'AES-CBC', false, ['decrypt']);
  try {
    return new Uint8Array(await globalThis.crypto.subtle.decrypt({ name: 'AES-CBC', iv: toArrayBuffer(iv) }, key, toArrayBuffer(data)));
  } catch {
    throw new WrongPassword();
  }
}

async function forgeDecrypt(cipher: '3des' | 'rc2', key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const forge = (await import('node-forge')).default;
  const c = cipher === '3des' ? forge.des.createDecryptionCipher(fromLatin1(key)) : forge.rc2.createDecryptionCipher(fromLatin1(key), key.length * 8);
  c.start(fromLatin1(iv));
  c.update(forge.util.createBuffer(fromLatin1(data)));
  if (!c.finish()) throw new WrongPassword();
  return latin1(c.output.getBytes());
}

/** Decrypts an EncryptedPrivateKeyInfo (RFC 5208 §6) into PKCS#8 PrivateKeyInfo DER. */
export async function decryptEncryptedPrivateKeyInfo(der: Uint8Array, password: string): Promise<Uint8Array> {
  let algId: Tlv;
  let data: Uint8Array;
  try {
    const [a, d] = children(parseOne(der));
    algId = a!;
    data = readOctetString(d!);
  } catch (cause) {
    throw new SignerError('KEY_UNREADABLE', 'The encrypted private key is not a readable EncryptedPrivateKeyInfo.', { cause });
  }
  try {
    const out = await pbeDecrypt(algId, data, password);
    parseOne(out); // a wrong password that happens to unpad still yields garbage
    return out;
  } catch (e) {
    if (e instanceof SignerError) throw e;
    throw new SignerError('KEY_BAD_PASSWORD', 'The private key password is wrong; check the password.', { cause: e });
  }
}
