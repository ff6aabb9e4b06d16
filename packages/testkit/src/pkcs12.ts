import * as asn1js from 'asn1js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, KysoError, toArrayBuffer, utf8 } from '@kyso/core';
import { bytesFor } from './internal/drbg.js';
import { der, explicit, implicitPrimitive, int, nul, octets, oid, raw, seq, set } from './internal/der.js';
import { OID } from './internal/oids.js';
import type { TestIdentity } from './pki.js';

/** Options of {@link toPkcs12}. */
export interface Pkcs12Options {
  /**
   * `true`: the encryption of old Windows/Java .pfx exports, which WebCrypto cannot read:
   * the key in pbeWithSHAAnd3-KeyTripleDES-CBC, the certificates in pbeWithSHAAnd40BitRC2-CBC,
   * an HMAC-SHA-1 MAC (RFC 7292 Appendix C). OpenSSL 3 reads it only with `-legacy`.
   * `false` (default): OpenSSL 3's default, PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC) for key
   * and certificates, and an HMAC-SHA-256 MAC.
   */
  readonly legacy?: boolean;
  /** PBKDF iteration count for encryption and MAC (default 2048, as OpenSSL). */
  readonly iterations?: number;
  /** Include the issuer chain (default true). */
  readonly includeChain?: boolean;
  /** friendlyName of the key and certificate (default: the certificate's CN or the identity name). */
  readonly friendlyName?: string;
  /** Derive salts and IVs from this seed so the file is byte-identical on every run. */
  readonly seed?: string;
}

type Hash = typeof sha1;

/**
 * Packs an identity's key, certificate and chain into a PKCS#12 (RFC 7292) file protected by
 * `password`, as `.pfx`/`.p12` files that users import into signing tools.
 *
 * @example
 * ```ts
 * const p12 = await toPkcs12(pki.cadres.leader, 'kyso', { legacy: true });
 * // openssl pkcs12 -legacy -in leader.p12 -passin pass:kyso -nodes
 * ```
 */
export async function toPkcs12(identity: TestIdentity, password: string, options: Pkcs12Options = {}): Promise<Uint8Array> {
  const legacy = options.legacy ?? false;
  const iterations = options.iterations ?? 2048;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new KysoError('TESTKIT_BAD_OPTION', 'toPkcs12: `iterations` must be a positive integer.');
  }
  let n = 0;
  const random = (len: number) => bytesFor(len, options.seed, `p12:${identity.name}:${legacy}:${password}:${n++}`);
  const friendlyName = options.friendlyName ?? identity.subject.CN ?? identity.name;
  const localKeyId = sha1(identity.certificate);
  const attributes = () =>
    set(
      seq(oid(OID.friendlyName), set(new asn1js.BmpString({ value: friendlyName }))),
      seq(oid(OID.localKeyId), set(octets(localKeyId))),
    );

  // CertBag (RFC 7292 §4.2.3) for the leaf (with attributes) and each chain certificate.
  const certBag = (cert: Uint8Array, attrs: boolean) => {
    const bag = [oid(OID.certBag), explicit(0, seq(oid(OID.x509Certificate), explicit(0, octets(cert))))];
    return seq(...bag, ...(attrs ? [attributes()] : []));
  };
  const chain = options.includeChain === false ? [] : identity.chain;
  const certContents = der(seq(certBag(identity.certificate, true), ...chain.map((c) => certBag(c, false))));

  // PKCS8ShroudedKeyBag (RFC 7292 §4.2.2): EncryptedPrivateKeyInfo (RFC 5208 §6).
  const keyEnc = legacy
    ? await pbeLegacy('3des', identity.privateKeyPkcs8, password, random(8), iterations)
    : await pbes2(identity.privateKeyPkcs8, password, random(16), random(16), iterations);
  const keyBag = seq(oid(OID.pkcs8ShroudedKeyBag), explicit(0, seq(raw(keyEnc.algorithm), octets(keyEnc.ciphertext))), attributes());
  const keyContents = der(seq(keyBag));

  // The certificates go in an EncryptedData content (RFC 5652 §8), the key in a Data content.
  const certEnc = legacy
    ? await pbeLegacy('rc2-40', certContents, password, random(8), iterations)
    : await pbes2(certContents, password, random(16), random(16), iterations);
  const encryptedData = seq(int(0), seq(oid(OID.data), raw(certEnc.algorithm), implicitPrimitive(0, certEnc.ciphertext)));
  const authSafe = der(
    seq(seq(oid(OID.encryptedData), explicit(0, encryptedData)), seq(oid(OID.data), explicit(0, octets(keyContents)))),
  );

  // MacData (RFC 7292 §4 and Appendix B): HMAC keyed with the PKCS#12 KDF, ID 3.
  const macHash: Hash = legacy ? sha1 : sha256;
  const macSalt = random(legacy ? 8 : 16);
  const macKey = pkcs12Kdf(macHash, password, macSalt, 3, iterations, macHash.outputLen);
  const mac = hmac(macHash, macKey, authSafe);
  const macData = seq(seq(seq(oid(legacy ? OID.sha1 : OID.sha256), nul()), octets(mac)), octets(macSalt), int(iterations));

  return der(seq(int(3), seq(oid(OID.data), explicit(0, octets(authSafe))), macData));
}

/** The password as a NUL-terminated big-endian BMPString (RFC 7292 Appendix B.1). */
function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

/** The PKCS#12 key derivation function (RFC 7292 Appendix B.2). */
export function pkcs12Kdf(hash: Hash, password: string, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, n: number): Uint8Array {
  const u = hash.outputLen;
  const v = hash.blockLen;
  const fill = (src: Uint8Array) => {
    const len = v * Math.ceil(src.length / v);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const d = new Uint8Array(v).fill(id);
  const pw = bmpPassword(password);
  const i = concatBytes(salt.length ? fill(salt) : salt, pw.length ? fill(pw) : pw);
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += u) {
    let a = hash(concatBytes(d, i));
    for (let r = 1; r < iterations; r++) a = hash(a);
    out.set(a.subarray(0, Math.min(u, n - off)), off);
    if (off + u >= n) break;
    // I_j = (I_j + B + 1) mod 2^(8v), with B = A repeated to v bytes.
    const b = fill(a).subarray(0, v);
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const s = i[j + k]! + b[k]! + carry;
        i[j + k] = s & 0xff;
        carry = s >> 8;
      }
    }
  }
  return out;
}

interface Encrypted {
  readonly algorithm: Uint8Array;
  readonly ciphertext: Uint8Array;
}

const toBinary = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
};
const fromBinary = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** pbeWithSHAAnd3-KeyTripleDES-CBC / pbeWithSHAAnd40BitRC2-CBC (RFC 7292 Appendix C), via node-forge. */
async function pbeLegacy(kind: '3des' | 'rc2-40', data: Uint8Array, password: string, salt: Uint8Array, iterations: number): Promise<Encrypted> {
  const { default: forge } = await import('node-forge');
  const key = pkcs12Kdf(sha1, password, salt, 1, iterations, kind === '3des' ? 24 : 5);
  const iv = pkcs12Kdf(sha1, password, salt, 2, iterations, 8);
  const input = forge.util.createBuffer(toBinary(data));
  let output: string;
  if (kind === '3des') {
    const c = forge.cipher.createCipher('3DES-CBC', forge.util.createBuffer(toBinary(key)));
    c.start({ iv: toBinary(iv) });
    c.update(input);
    c.finish();
    output = c.output.getBytes();
  } else {
    const c = forge.rc2.createEncryptionCipher(toBinary(key), 40);
    c.start(toBinary(iv));
    c.update(input);
    c.finish();
    output = c.output.getBytes();
  }
  const algOid = kind === '3des' ? OID.pbeWithSha1And3KeyTripleDesCbc : OID.pbeWithSha1And40BitRc2Cbc;
  return { algorithm: der(seq(oid(algOid), seq(octets(salt), int(iterations)))), ciphertext: fromBinary(output) };
}

/** PBES2 with PBKDF2-HMAC-SHA-256 and AES-256-CBC (RFC 8018 §6.2, §A.2, §B.2.5). */
async function pbes2(data: Uint8Array, password: string, salt: Uint8Array, iv: Uint8Array, iterations: number): Promise<Encrypted> {
  const subtle = globalThis.crypto.subtle;
  // OpenSSL feeds the password's bytes to PBKDF2 as they are (not as a BMPString).
  const base = await subtle.importKey('raw', toArrayBuffer(utf8(password)), 'PBKDF2', false, ['deriveKey']);
  const key = await subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: toArrayBuffer(salt), iterations },
    base,
    { name: 'AES-CBC', length: 256 },
    false,
    ['encrypt'],
  );
  const ciphertext = new Uint8Array(await subtle.encrypt({ name: 'AES-CBC', iv: toArrayBuffer(iv) }, key, toArrayBuffer(data)));
  const algorithm = der(
    seq(
      oid(OID.pbes2),
      seq(
        seq(oid(OID.pbkdf2), seq(octets(salt), int(iterations), seq(oid(OID.hmacWithSha256), nul()))),
        seq(oid(OID.aes256Cbc), octets(iv)),
      ),
    ),
  );
  return { algorithm, ciphertext };
}
