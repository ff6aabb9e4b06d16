/**
 * Algorithm names, their object identifiers and their WebCrypto parameters.
 * OIDs: RFC 5754 (SHA-2), RFC 8017 / RFC 4055 (RSA, RSASSA-PSS), RFC 5758 / RFC 5480 (ECDSA).
 */
import { ctx, derNull, intNum, oid, seq, children, readOid, readSmallInt, type Tlv } from './asn1/der.js';
import { CmsError } from './errors.js';

/** A hash that kyso signs with. SHA-1 is accepted only when verifying old signatures. */
export type HashAlgorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Every hash kyso can compute; `SHA-1` only for verifying legacy signatures (flagged weak). */
export type DigestAlgorithm = 'SHA-1' | HashAlgorithm;

/**
 * How a {@link Signer}'s key signs: the scheme, the hash it signs with, and for RSA-PSS the
 * salt length (default: the hash length, as RFC 8017 §9.1 recommends and ETSI TS 119 312 expects).
 */
export interface SignatureAlgorithm {
  readonly name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';
  readonly hash: DigestAlgorithm;
  readonly saltLength?: number;
}

/** Object identifiers used across the package. */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  // attributes (RFC 5652 §11, RFC 5035, ETSI EN 319 122-1)
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  commitmentType: '1.2.840.113549.1.9.16.2.16',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  cmsAlgorithmProtection: '1.2.840.113549.1.9.52',
  // hashes
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  // signature schemes
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRsa: '1.2.840.113549.1.1.5',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  rsaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha1: '1.2.840.10045.4.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  p521: '1.3.132.0.35',
} as const;

const HASH_OIDS: Record<DigestAlgorithm, string> = {
  'SHA-1': OID.sha1,
  'SHA-256': OID.sha256,
  'SHA-384': OID.sha384,
  'SHA-512': OID.sha512,
};

/** Output length in bytes of each hash. */
export const HASH_LENGTH: Record<DigestAlgorithm, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

/** The named curve of each EC curve OID. */
export const CURVES: Record<string, 'P-256' | 'P-384' | 'P-521'> = { [OID.p256]: 'P-256', [OID.p384]: 'P-384', [OID.p521]: 'P-521' };

/** OID of a hash. */
export const hashOid = (h: DigestAlgorithm): string => HASH_OIDS[h];

/** The hash an OID names, or `undefined`. */
export function hashFromOid(o: string): DigestAlgorithm | undefined {
  return (Object.keys(HASH_OIDS) as DigestAlgorithm[]).find((h) => HASH_OIDS[h] === o);
}

/** DigestAlgorithmIdentifier with absent parameters (RFC 5754 §2). */
export const digestAlgorithmIdentifier = (h: DigestAlgorithm): Uint8Array => seq(oid(hashOid(h)));

/** AlgorithmIdentifier for a signature (RFC 4055 §3.1 for PSS, RFC 5758 §3.2 for ECDSA). */
export function signatureAlgorithmIdentifier(alg: SignatureAlgorithm): Uint8Array {
  switch (alg.name) {
    case 'RSASSA-PKCS1-v1_5': {
      const o = { 'SHA-1': OID.sha1WithRsa, 'SHA-256': OID.sha256WithRsa, 'SHA-384': OID.sha384WithRsa, 'SHA-512': OID.sha512WithRsa }[alg.hash];
      return seq(oid(o), derNull());
    }
    case 'ECDSA': {
      const o = { 'SHA-1': OID.ecdsaWithSha1, 'SHA-256': OID.ecdsaWithSha256, 'SHA-384': OID.ecdsaWithSha384, 'SHA-512': OID.ecdsaWithSha512 }[alg.hash];
      return seq(oid(o));
    }
    case 'RSA-PSS': {
      const h = seq(oid(hashOid(alg.hash)), derNull());
      return seq(oid(OID.rsaPss), seq(ctx(0, h), ctx(1, seq(oid(OID.mgf1), h)), ctx(2, intNum(pssSaltLength(alg)))));
    }
  }
}

/** The salt length a PSS algorithm uses: explicit, or the hash length. */
export const pssSaltLength = (alg: SignatureAlgorithm): number => alg.saltLength ?? HASH_LENGTH[alg.hash];

/**
 * Reads a signature AlgorithmIdentifier. `digestHint` supplies the hash when the identifier
 * names only the key type (rsaEncryption or ecPublicKey), which RFC 3370 §3.2 and many
 * producers use in SignerInfo.
 */
export function parseSignatureAlgorithm(algId: Tlv, digestHint: DigestAlgorithm | undefined): SignatureAlgorithm {
  const [o, params] = children(algId);
  const name = readOid(o!);
  const need = (): DigestAlgorithm => {
    if (!digestHint) throw unsupported(name);
    return digestHint;
  };
  switch (name) {
    case OID.rsaEncryption:
      return { name: 'RSASSA-PKCS1-v1_5', hash: need() };
    case OID.sha1WithRsa:
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' };
    case OID.sha256WithRsa:
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case OID.sha384WithRsa:
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' };
    case OID.sha512WithRsa:
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' };
    case OID.ecPublicKey:
      return { name: 'ECDSA', hash: need() };
    case OID.ecdsaWithSha1:
      return { name: 'ECDSA', hash: 'SHA-1' };
    case OID.ecdsaWithSha256:
      return { name: 'ECDSA', hash: 'SHA-256' };
    case OID.ecdsaWithSha384:
      return { name: 'ECDSA', hash: 'SHA-384' };
    case OID.ecdsaWithSha512:
      return { name: 'ECDSA', hash: 'SHA-512' };
    case OID.rsaPss:
      return parsePssParams(params);
    default:
      throw unsupported(name);
  }
}

/** RSASSA-PSS-params (RFC 4055 §3.1): defaults SHA-1, MGF1-SHA-1, salt 20. */
function parsePssParams(params: Tlv | undefined): SignatureAlgorithm {
  let hash: DigestAlgorithm = 'SHA-1';
  let mgfHash: DigestAlgorithm = 'SHA-1';
  let saltLength = 20;
  if (params && params.tag === 0x30) {
    for (const f of children(params)) {
      const inner = children(f)[0]!;
      if (f.tag === 0xa0) hash = hashFromOid(readOid(children(inner)[0]!)) ?? unsupportedHash();
      else if (f.tag === 0xa1) {
        const mgfParams = children(inner)[1];
        if (mgfParams) mgfHash = hashFromOid(readOid(children(mgfParams)[0]!)) ?? unsupportedHash();
      } else if (f.tag === 0xa2) saltLength = readSmallInt(inner);
    }
  }
  if (mgfHash !== hash) throw new CmsError('CMS_UNSUPPORTED_ALGORITHM', 'RSASSA-PSS with an MGF1 hash different from the message hash is not supported by WebCrypto.');
  return { name: 'RSA-PSS', hash, saltLength };
}

function unsupportedHash(): never {
  throw new CmsError('CMS_UNSUPPORTED_ALGORITHM', 'The signature uses a hash algorithm kyso does not support (use SHA-256, SHA-384 or SHA-512).');
}

function unsupported(o: string): CmsError {
  return new CmsError('CMS_UNSUPPORTED_ALGORITHM', `The signature algorithm ${o} is not supported; kyso handles RSA PKCS#1 v1.5, RSA-PSS and ECDSA with SHA-1/SHA-2.`);
}

/** WebCrypto parameters for `sign`/`verify` with `alg`. */
export function webCryptoSignParams(alg: SignatureAlgorithm): AlgorithmIdentifier | RsaPssParams | EcdsaParams {
  switch (alg.name) {
    case 'RSASSA-PKCS1-v1_5':
      return { name: alg.name };
    case 'RSA-PSS':
      return { name: alg.name, saltLength: pssSaltLength(alg) } as RsaPssParams;
    case 'ECDSA':
      return { name: alg.name, hash: alg.hash } as EcdsaParams;
  }
}

/** Checks that an algorithm chosen for signing is one kyso signs with. */
export function assertSigningAlgorithm(alg: SignatureAlgorithm): void {
  if (!['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA'].includes(alg.name)) {
    throw new CmsError('CMS_BAD_OPTIONS', `Unknown signature algorithm "${String(alg.name)}"; use RSASSA-PKCS1-v1_5, RSA-PSS or ECDSA.`);
  }
  if (!['SHA-256', 'SHA-384', 'SHA-512'].includes(alg.hash)) {
    throw new CmsError('CMS_BAD_OPTIONS', `kyso does not sign with ${String(alg.hash)}; use SHA-256, SHA-384 or SHA-512.`);
  }
}
