import { toArrayBuffer } from '@kyso/core';
import { children, contents, derNull, intNum, octets, oid, parseOne, raw, readOid, readSmallInt, seq } from '../asn1/der.js';
import { OID, type SignatureAlgorithm } from '../algorithms.js';
import { keyImportParams, type CertificateInfo } from '../certificate.js';
import { SignerError } from '../errors.js';

/** RSAPrivateKey (PKCS#1, "RSA PRIVATE KEY") → PrivateKeyInfo (PKCS#8, RFC 5208 §5). */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  return seq(intNum(0), seq(oid(OID.rsaEncryption), derNull()), octets(pkcs1));
}

/**
 * ECPrivateKey (SEC 1 §C.4, "EC PRIVATE KEY") → PrivateKeyInfo with the curve moved into the
 * AlgorithmIdentifier as RFC 5915 §3 describes.
 */
export function sec1ToPkcs8(sec1: Uint8Array): Uint8Array {
  const parts = children(parseOne(sec1));
  const params = parts.find((t) => t.tag === 0xa0);
  if (!params) throw new SignerError('KEY_UNREADABLE', 'The EC private key does not name its curve; export it as PKCS#8 ("openssl pkcs8 -topk8 -nocrypt").');
  const curve = children(params)[0]!;
  // Keep version, privateKey and publicKey; drop the [0] parameters now carried outside.
  const inner = seq(...parts.filter((t) => t.tag !== 0xa0).map(raw));
  return seq(intNum(0), seq(oid(OID.ecPublicKey), raw(curve)), octets(inner));
}

/** The key algorithm OID inside a PrivateKeyInfo. */
export function pkcs8KeyAlgorithm(pkcs8: Uint8Array): string {
  try {
    const [version, algId] = children(parseOne(pkcs8));
    readSmallInt(version!);
    return readOid(children(algId!)[0]!);
  } catch (cause) {
    throw new SignerError('KEY_UNREADABLE', 'The private key is not a readable PKCS#8 PrivateKeyInfo; check the file.', { cause });
  }
}

/** Imports a PKCS#8 key for signing with `alg` under the certificate's key parameters. */
export async function importPrivateKey(pkcs8: Uint8Array, cert: CertificateInfo, alg: SignatureAlgorithm, extractable = false): Promise<CryptoKey> {
  const keyAlg = pkcs8KeyAlgorithm(pkcs8);
  const wantEc = alg.name === 'ECDSA';
  if (wantEc !== (keyAlg === OID.ecPublicKey)) {
    throw new SignerError('KEY_CERT_MISMATCH', 'The private key is of another type than the certificate (RSA vs EC); use the key that belongs to the certificate.');
  }
  let der = pkcs8;
  if (keyAlg === OID.rsaPss) der = relabelPss(pkcs8);
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', toArrayBuffer(der), keyImportParams(cert, alg), extractable, ['sign']);
  } catch (cause) {
    throw new SignerError(
      wantEc ? 'KEY_CERT_MISMATCH' : 'KEY_UNREADABLE',
      wantEc ? 'The EC private key could not be used with the certificate\'s curve; use the key that belongs to the certificate.' : 'The private key could not be imported; check that it is an unencrypted RSA or EC key.',
      { cause },
    );
  }
}

function relabelPss(pkcs8: Uint8Array): Uint8Array {
  const [, , key] = children(parseOne(pkcs8));
  return seq(intNum(0), seq(oid(OID.rsaEncryption), derNull()), octets(contents(key!)));
}

