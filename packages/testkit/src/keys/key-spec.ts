import { KysoError } from '@kyso/core';

/**
 * The key types the testkit makes. RSA keys sign with PKCS#1 v1.5 (`rsa-*`) or RSASSA-PSS
 * (`rsa-pss-*`, SHA-256, MGF1-SHA-256, 32-byte salt as RFC 4055 §3.1 recommends); ECDSA keys
 * sign with SHA-256 (P-256) or SHA-384 (P-384).
 */
export type KeySpec = 'rsa-2048' | 'rsa-3072' | 'rsa-pss-2048' | 'ecdsa-p256' | 'ecdsa-p384';

/** Every {@link KeySpec}, in a stable order (for loops in tests). */
export const KEY_SPECS: readonly KeySpec[] = Object.freeze([
  'rsa-2048',
  'rsa-3072',
  'rsa-pss-2048',
  'ecdsa-p256',
  'ecdsa-p384',
]);

/** What a key spec means to WebCrypto and to X.509. */
export interface KeySpecInfo {
  readonly kind: 'rsa' | 'rsa-pss' | 'ecdsa';
  /** RSA modulus bits or EC field bits. */
  readonly bits: number;
  /** The digest used with this key for certificates, CRLs and CMS. */
  readonly hash: 'SHA-256' | 'SHA-384';
  /** The WebCrypto import/generate algorithm. */
  readonly webCrypto: RsaHashedImportParams | EcKeyImportParams;
  /** EC named curve OID (RFC 5480 §2.1.1.1). */
  readonly curveOid?: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const PSS = { name: 'RSA-PSS', hash: 'SHA-256' } as const;

/** Details of `spec`; throws a `KysoError` with code `TESTKIT_UNKNOWN_KEY_SPEC` for an unknown spec. */
export function keySpecInfo(spec: KeySpec): KeySpecInfo {
  switch (spec) {
    case 'rsa-2048':
      return { kind: 'rsa', bits: 2048, hash: 'SHA-256', webCrypto: RSA };
    case 'rsa-3072':
      return { kind: 'rsa', bits: 3072, hash: 'SHA-256', webCrypto: RSA };
    case 'rsa-pss-2048':
      return { kind: 'rsa-pss', bits: 2048, hash: 'SHA-256', webCrypto: PSS };
    case 'ecdsa-p256':
      return { kind: 'ecdsa', bits: 256, hash: 'SHA-256', webCrypto: { name: 'ECDSA', namedCurve: 'P-256' }, curveOid: '1.2.840.10045.3.1.7' };
    case 'ecdsa-p384':
      return { kind: 'ecdsa', bits: 384, hash: 'SHA-384', webCrypto: { name: 'ECDSA', namedCurve: 'P-384' }, curveOid: '1.3.132.0.34' };
    default:
      throw new KysoError('TESTKIT_UNKNOWN_KEY_SPEC', `Unknown key spec "${String(spec)}"; use one of ${KEY_SPECS.join(', ')}.`);
  }
}
