import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  Certificate,
  Crl,
  CrlRevocationChecker,
  INDETERMINATE_SUB_INDICATIONS,
  TOTAL_FAILED_SUB_INDICATIONS,
  conclusionForPath,
  indicationUri,
  indicationsOf,
  subIndicationFor,
  subIndicationUri,
  validatePath,
  type PathFailureCode,
} from '@kyso/trust';

const DIR = new URL('../../../../shared/conformance/pkits/', import.meta.url);
const cert = (s: string) => Certificate.fromDer(new Uint8Array(readFileSync(new URL(`certs/${s}.crt`, DIR))));
const crl = (s: string) => Crl.fromDer(new Uint8Array(readFileSync(new URL(`crls/${s}.crl`, DIR))));

async function pkits(certs: string[], crls: string[]) {
  const [anchor, ...rest] = certs.map(cert);
  const leaf = rest.pop()!;
  return validatePath({
    certificates: { leaf, candidates: rest },
    trustAnchors: [anchor!],
    time: new Date('2025-06-01T00:00:00Z'),
    revocation: new CrlRevocationChecker({ crls: crls.map(crl) }),
  });
}

describe('ETSI EN 319 102-1 indications', () => {
  it('spells the sub-indications as the standard does and knows their indications', () => {
    expect(TOTAL_FAILED_SUB_INDICATIONS).toEqual(['FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'REVOKED', 'NOT_YET_VALID']);
    for (const s of ['SIG_CONSTRAINTS_FAILURE', 'OUT_OF_BOUNDS_NO_POE', 'OUT_OF_BOUNDS_NOT_REVOKED', 'REVOKED_NO_POE', 'REVOKED_CA_NO_POE', 'TRY_LATER',
      'CRYPTO_CONSTRAINTS_FAILURE', 'POLICY_PROCESSING_ERROR', 'SIGNED_DATA_NOT_FOUND', 'NO_SIGNING_CERTIFICATE_FOUND', 'NO_CERTIFICATE_CHAIN_FOUND',
      'CERTIFICATE_CHAIN_GENERAL_FAILURE', 'CHAIN_CONSTRAINTS_FAILURE'] as const) {
      expect(INDETERMINATE_SUB_INDICATIONS).toContain(s);
    }
    expect(indicationsOf('REVOKED')).toEqual(['TOTAL-FAILED']);
    expect(indicationsOf('NOT_YET_VALID')).toEqual(['TOTAL-FAILED', 'INDETERMINATE']);
    expect(indicationsOf('TRY_LATER')).toEqual(['INDETERMINATE']);
    expect(indicationUri('TOTAL-PASSED')).toBe('urn:etsi:019102:mainindication:total-passed');
    expect(subIndicationUri('HASH_FAILURE')).toBe('urn:etsi:019102:subindication:HASH_FAILURE');
  });

  it('maps every path failure code to an INDETERMINATE sub-indication', () => {
    const codes: PathFailureCode[] = [
      'NO_PATH_FOUND', 'SIGNATURE_INVALID', 'SIGNATURE_UNSUPPORTED', 'SIGNATURE_ALGORITHM_MISMATCH', 'CERT_EXPIRED', 'CERT_NOT_YET_VALID',
      'NAME_CHAINING_FAILED', 'NOT_A_CA', 'PATH_LENGTH_EXCEEDED', 'KEY_CERT_SIGN_MISSING', 'NAME_CONSTRAINTS_VIOLATED', 'POLICY_MAPPING_ANY_POLICY',
      'EXPLICIT_POLICY_REQUIRED', 'UNKNOWN_CRITICAL_EXTENSION', 'REVOKED', 'REVOCATION_UNKNOWN', 'EKU_NOT_ALLOWED', 'KEY_USAGE_NOT_ALLOWED',
    ];
    for (const code of codes) {
      for (const certIndex of [0, 1]) expect(indicationsOf(subIndicationFor({ code, certIndex }))).toContain('INDETERMINATE');
    }
    expect(subIndicationFor({ code: 'REVOKED', certIndex: 0 })).toBe('REVOKED_NO_POE');
    expect(subIndicationFor({ code: 'REVOKED', certIndex: 2 })).toBe('REVOKED_CA_NO_POE');
    expect(subIndicationFor({ code: 'CERT_EXPIRED', certIndex: 0 })).toBe('OUT_OF_BOUNDS_NO_POE');
    expect(subIndicationFor({ code: 'CERT_EXPIRED', certIndex: 0 }, true)).toBe('OUT_OF_BOUNDS_NOT_REVOKED');
  });

  it('concludes on real paths (PKITS)', async () => {
    const T = 'TrustAnchorRootCertificate';
    const R = 'TrustAnchorRootCRL';
    const cases: [string[], string[], string, string | null][] = [
      [[T, 'GoodCACert', 'ValidCertificatePathTest1EE'], [R, 'GoodCACRL'], 'TOTAL-PASSED', null],
      [[T, 'GoodCACert', 'InvalidRevokedEETest3EE'], [R, 'GoodCACRL'], 'INDETERMINATE', 'REVOKED_NO_POE'],
      [[T, 'GoodCACert', 'RevokedsubCACert', 'InvalidRevokedCATest2EE'], [R, 'GoodCACRL', 'RevokedsubCACRL'], 'INDETERMINATE', 'REVOKED_CA_NO_POE'],
      [[T, 'GoodCACert', 'InvalidEEnotAfterDateTest6EE'], [R, 'GoodCACRL'], 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE'],
      [[T, 'BadSignedCACert', 'InvalidCASignatureTest2EE'], [R, 'BadSignedCACRL'], 'INDETERMINATE', 'CERTIFICATE_CHAIN_GENERAL_FAILURE'],
      [[T, 'MissingbasicConstraintsCACert', 'InvalidMissingbasicConstraintsTest1EE'], [R, 'MissingbasicConstraintsCACRL'], 'INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE'],
      [[T, 'NoCRLCACert', 'InvalidMissingCRLTest1EE'], [R], 'INDETERMINATE', 'TRY_LATER'],
      [[T, 'GoodCACert', 'InvalidNameChainingTest1EE'], [R, 'GoodCACRL'], 'INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'],
    ];
    for (const [certs, crls, indication, sub] of cases) {
      expect(conclusionForPath(await pkits(certs, crls)), certs.at(-1)).toEqual({ indication, subIndication: sub });
    }
  });
});
