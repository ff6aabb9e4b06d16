/**
 * Just enough of X.509 (RFC 5280 §4.1) for CMS: the exact bytes of the fields a SignedData
 * refers to, the public key, validity and the key identifiers. Full path validation is
 * `@kyso/trust`'s job.
 */
import { bytesEqual, nodeBuiltin, toArrayBuffer } from '@kyso/core';
import { children, contents, derNull, expectTag, oid, parseOne, raw, readOid, readTime, seq, type Tlv } from './asn1/der.js';
import { CURVES, OID, pssSaltLength, webCryptoSignParams, type SignatureAlgorithm } from './algorithms.js';
import { nodeHashName } from './digest/digest-engine.js';
import { CmsError } from './errors.js';
import { CURVE_SIZE, ecdsaDerToRaw } from './signer/ecdsa.js';

/** The parts of a certificate that CMS signing and verification use, as exact DER slices. */
export interface CertificateInfo {
  /** The whole certificate. */
  readonly der: Uint8Array;
  /** TBSCertificate, the bytes the issuer signed. */
  readonly tbs: Uint8Array;
  /** The issuer's signature AlgorithmIdentifier element. */
  readonly signatureAlgorithm: Tlv;
  /** The issuer's signature value (BIT STRING contents without the unused-bits octet). */
  readonly signatureValue: Uint8Array;
  /** The serialNumber INTEGER element (tag, length and value). */
  readonly serialNumber: Uint8Array;
  /** The issuer Name element. */
  readonly issuer: Uint8Array;
  /** The subject Name element. */
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo element. */
  readonly spki: Uint8Array;
  /** OID of the public key algorithm. */
  readonly keyAlgorithm: string;
  /** Named curve for EC keys. */
  readonly namedCurve?: 'P-256' | 'P-384' | 'P-521';
  /** subjectKeyIdentifier extension value, if present. */
  readonly subjectKeyIdentifier?: Uint8Array;
  /** authorityKeyIdentifier keyIdentifier, if present. */
  readonly authorityKeyIdentifier?: Uint8Array;
  /** basicConstraints cA flag. */
  readonly isCa: boolean;
  /** extKeyUsage purposes (OIDs) and whether the extension is critical, if present. */
  readonly extendedKeyUsage?: { readonly critical: boolean; readonly purposes: readonly string[] };
}

/** Parses a DER certificate; throws `CmsError('CERT_UNREADABLE')` when it is not one. */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  try {
    const cert = expectTag(parseOne(der), 0x30, 'Certificate');
    const [tbsT, sigAlgT, sigT] = children(cert);
    const tbs = expectTag(tbsT, 0x30, 'TBSCertificate');
    const sig = expectTag(sigT, 0x03, 'signatureValue');
    const f = children(tbs);
    let i = 0;
    if (f[0]?.tag === 0xa0) i++; // [0] EXPLICIT version
    const serial = expectTag(f[i++], 0x02, 'serialNumber');
    i++; // signature AlgorithmIdentifier (inner copy)
    const issuer = expectTag(f[i++], 0x30, 'issuer');
    const validity = children(expectTag(f[i++], 0x30, 'validity'));
    const subject = expectTag(f[i++], 0x30, 'subject');
    const spki = expectTag(f[i++], 0x30, 'subjectPublicKeyInfo');
    const keyAlgId = children(children(spki)[0]!);
    const keyAlgorithm = readOid(keyAlgId[0]!);
    let namedCurve: CertificateInfo['namedCurve'];
    if (keyAlgorithm === OID.ecPublicKey && keyAlgId[1]?.tag === 0x06) namedCurve = CURVES[readOid(keyAlgId[1])];
    let ski: Uint8Array | undefined;
    let aki: Uint8Array | undefined;
    let isCa = false;
    let eku: { critical: boolean; purposes: string[] } | undefined;
    const extsT = f.slice(i).find((t) => t.tag === 0xa3);
    if (extsT) {
      for (const ext of children(children(extsT)[0]!)) {
        const parts = children(ext);
        const id = readOid(parts[0]!);
        const value = contents(parts[parts.length - 1]!);
        const inner = parseOne(value);
        if (id === '2.5.29.14') ski = contents(inner);
        else if (id === '2.5.29.35') {
          const k = children(inner).find((t) => t.tag === 0x80);
          if (k) aki = contents(k);
        } else if (id === '2.5.29.37') {
          const critical = parts.length === 3 && parts[1]!.tag === 0x01 && contents(parts[1]!)[0] !== 0;
          eku = { critical, purposes: children(inner).map(readOid) };
        } else if (id === '2.5.29.19') {
          const b = children(inner)[0];
          isCa = b?.tag === 0x01 && contents(b)[0] !== 0;
        }
      }
    }
    const sigBits = contents(sig);
    return {
      der,
      tbs: raw(tbs),
      signatureAlgorithm: sigAlgT!,
      signatureValue: sigBits.subarray(1),
      serialNumber: raw(serial),
      issuer: raw(issuer),
      subject: raw(subject),
      notBefore: readTime(validity[0]!),
      notAfter: readTime(validity[1]!),
      spki: raw(spki),
      keyAlgorithm,
      ...(namedCurve ? { namedCurve } : {}),
      ...(ski ? { subjectKeyIdentifier: ski } : {}),
      ...(aki ? { authorityKeyIdentifier: aki } : {}),
      isCa,
      ...(eku ? { extendedKeyUsage: eku } : {}),
    };
  } catch (cause) {
    throw new CmsError('CERT_UNREADABLE', 'A certificate could not be parsed as DER X.509; check that it is a certificate (PEM "CERTIFICATE" or DER).', { cause });
  }
}

/** The signature algorithm a key of this certificate signs with by default. */
export function defaultSignatureAlgorithm(cert: CertificateInfo): SignatureAlgorithm {
  if (cert.keyAlgorithm === OID.rsaEncryption) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (cert.keyAlgorithm === OID.rsaPss) return { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 };
  if (cert.keyAlgorithm === OID.ecPublicKey) {
    const hash = cert.namedCurve === 'P-384' ? 'SHA-384' : cert.namedCurve === 'P-521' ? 'SHA-512' : 'SHA-256';
    return { name: 'ECDSA', hash };
  }
  throw new CmsError('CMS_UNSUPPORTED_ALGORITHM', `The certificate's key type (${cert.keyAlgorithm}) is not supported; use an RSA or ECDSA (P-256/P-384/P-521) certificate.`);
}

/** Checks that `alg` fits the certificate's key type. */
export function algorithmFitsKey(cert: CertificateInfo, alg: SignatureAlgorithm): boolean {
  if (alg.name === 'ECDSA') return cert.keyAlgorithm === OID.ecPublicKey;
  if (alg.name === 'RSA-PSS') return cert.keyAlgorithm === OID.rsaEncryption || cert.keyAlgorithm === OID.rsaPss;
  return cert.keyAlgorithm === OID.rsaEncryption;
}

/** WebCrypto import parameters for a key used with `alg`. */
export function keyImportParams(cert: CertificateInfo, alg: SignatureAlgorithm): RsaHashedImportParams | EcKeyImportParams {
  if (alg.name === 'ECDSA') {
    if (!cert.namedCurve) throw new CmsError('CMS_UNSUPPORTED_ALGORITHM', 'The EC key uses a curve other than P-256, P-384 or P-521.');
    return { name: 'ECDSA', namedCurve: cert.namedCurve };
  }
  return { name: alg.name, hash: alg.hash };
}

/**
 * True when `signature` (as it appears in CMS and X.509: DER for ECDSA) is `cert`'s signature
 * over `data` with `alg`; false for a bad signature, or a key or signature that cannot be read.
 *
 * In Node it is checked with node:crypto's one-shot `verify`, found at run time; elsewhere with
 * WebCrypto. WebCrypto in Node loads its own modules on first use and runs each call on the
 * thread pool: ~2 ms of a cold `kyso verify` for what takes microseconds.
 * RSA-PSS keys in SPKI form (OID id-RSASSA-PSS) are re-labelled rsaEncryption, which WebCrypto
 * implementations accept; the PSS parameters come from the signature's AlgorithmIdentifier.
 */
export async function verifyWithCertificate(cert: CertificateInfo, alg: SignatureAlgorithm, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  try {
    const spki = cert.keyAlgorithm === OID.rsaPss ? relabelRsaSpki(cert.spki) : cert.spki;
    const value = alg.name === 'ECDSA' ? ecdsaDerToRaw(signature, CURVE_SIZE[cert.namedCurve ?? 'P-256']) : signature;
    const node = nodeBuiltin<NodeVerify>('node:crypto');
    if (node) {
      const key = node.createPublicKey({ key: spki, format: 'der', type: 'spki' });
      const options =
        alg.name === 'RSA-PSS'
          ? { key, padding: node.constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength(alg) }
          : alg.name === 'ECDSA'
            ? { key, dsaEncoding: 'ieee-p1363' }
            : { key };
      return node.verify(nodeHashName(alg.hash), data, options, value);
    }
    const key = await globalThis.crypto.subtle.importKey('spki', toArrayBuffer(spki), keyImportParams(cert, alg), false, ['verify']);
    return await globalThis.crypto.subtle.verify(webCryptoSignParams(alg), key, toArrayBuffer(value), toArrayBuffer(data));
  } catch {
    return false;
  }
}

/** What {@link verifyWithCertificate} uses of node:crypto. */
interface NodeVerify {
  createPublicKey(options: { key: Uint8Array; format: 'der'; type: 'spki' }): unknown;
  verify(hash: string, data: Uint8Array, key: object, signature: Uint8Array): boolean;
  constants: { RSA_PKCS1_PSS_PADDING: number };
}

function relabelRsaSpki(spki: Uint8Array): Uint8Array {
  const [, bits] = children(parseOne(spki));
  return seq(seq(oid(OID.rsaEncryption), derNull()), raw(bits!));
}

/** True when `issuer` issued `cert` by name (and by key identifier when both carry one). */
export function isIssuedBy(cert: CertificateInfo, issuer: CertificateInfo): boolean {
  if (!bytesEqual(cert.issuer, issuer.subject)) return false;
  if (cert.authorityKeyIdentifier && issuer.subjectKeyIdentifier) return bytesEqual(cert.authorityKeyIdentifier, issuer.subjectKeyIdentifier);
  return true;
}

/** Orders `certs` from the one issued by `leaf` upwards, dropping duplicates and the leaf itself. */
export function orderChain(leaf: Uint8Array, certs: readonly Uint8Array[]): Uint8Array[] {
  const pool = certs.filter((c, i) => !bytesEqual(c, leaf) && certs.findIndex((d) => bytesEqual(c, d)) === i).map(parseCertificate);
  const out: Uint8Array[] = [];
  let cur = parseCertificate(leaf);
  while (pool.length) {
    const idx = pool.findIndex((p) => isIssuedBy(cur, p));
    if (idx < 0 || bytesEqual(cur.subject, cur.issuer)) break;
    cur = pool.splice(idx, 1)[0]!;
    out.push(cur.der);
  }
  return [...out, ...pool.map((p) => p.der)];
}
