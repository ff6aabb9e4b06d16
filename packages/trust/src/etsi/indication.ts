import type { PathFailure, PathFailureCode, PathValidationResult } from '../path/result.js';

/** Main status indication of ETSI EN 319 102-1 §5.1.3. */
export type Indication = 'TOTAL-PASSED' | 'TOTAL-FAILED' | 'INDETERMINATE';

/** Sub-indications with TOTAL-FAILED (EN 319 102-1 §5.1.3, Table 5). */
export const TOTAL_FAILED_SUB_INDICATIONS = ['FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'REVOKED', 'NOT_YET_VALID'] as const;

/** Sub-indications with INDETERMINATE (EN 319 102-1 §5.1.3, Table 6). */
export const INDETERMINATE_SUB_INDICATIONS = [
  'SIG_CONSTRAINTS_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'EXPIRED',
  'NOT_YET_VALID',
  'POLICY_PROCESSING_ERROR',
  'SIGNATURE_POLICY_NOT_AVAILABLE',
  'TIMESTAMP_ORDER_FAILURE',
  'NO_SIGNING_CERTIFICATE_FOUND',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'OUT_OF_BOUNDS_NO_POE',
  'REVOCATION_OUT_OF_BOUNDS_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  'NO_POE',
  'TRY_LATER',
  'SIGNED_DATA_NOT_FOUND',
] as const;

/**
 * A sub-indication, spelled as in ETSI EN 319 102-1 §5.1.3. `NOT_YET_VALID` occurs with both
 * TOTAL-FAILED and INDETERMINATE, as in the standard.
 */
export type SubIndication = (typeof TOTAL_FAILED_SUB_INDICATIONS)[number] | (typeof INDETERMINATE_SUB_INDICATIONS)[number];

/** An indication and its sub-indication (null with TOTAL-PASSED). */
export interface ValidationConclusion {
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
}

/** The URI of an indication in ETSI TS 119 102-2 reports, e.g. `urn:etsi:019102:mainindication:total-passed`. */
export function indicationUri(indication: Indication): string {
  return `urn:etsi:019102:mainindication:${indication.toLowerCase()}`;
}

/** The URI of a sub-indication in ETSI TS 119 102-2 reports, e.g. `urn:etsi:019102:subindication:REVOKED`. */
export function subIndicationUri(subIndication: SubIndication): string {
  return `urn:etsi:019102:subindication:${subIndication}`;
}

/** Which failure codes of path validation mean what for the X.509 validation building block (§5.2.6). */
const BY_CODE: Record<Exclude<PathFailureCode, 'REVOKED' | 'CERT_EXPIRED'>, SubIndication> = {
  NO_PATH_FOUND: 'NO_CERTIFICATE_CHAIN_FOUND',
  SIGNATURE_INVALID: 'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  SIGNATURE_UNSUPPORTED: 'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  SIGNATURE_ALGORITHM_MISMATCH: 'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  NAME_CHAINING_FAILED: 'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  UNKNOWN_CRITICAL_EXTENSION: 'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  CERT_NOT_YET_VALID: 'NOT_YET_VALID',
  NOT_A_CA: 'CHAIN_CONSTRAINTS_FAILURE',
  PATH_LENGTH_EXCEEDED: 'CHAIN_CONSTRAINTS_FAILURE',
  KEY_CERT_SIGN_MISSING: 'CHAIN_CONSTRAINTS_FAILURE',
  NAME_CONSTRAINTS_VIOLATED: 'CHAIN_CONSTRAINTS_FAILURE',
  POLICY_MAPPING_ANY_POLICY: 'CHAIN_CONSTRAINTS_FAILURE',
  EXPLICIT_POLICY_REQUIRED: 'CHAIN_CONSTRAINTS_FAILURE',
  EKU_NOT_ALLOWED: 'CHAIN_CONSTRAINTS_FAILURE',
  KEY_USAGE_NOT_ALLOWED: 'CHAIN_CONSTRAINTS_FAILURE',
  REVOCATION_UNKNOWN: 'TRY_LATER',
};

/**
 * The sub-indication of one path-validation failure, as the X.509 certificate validation building
 * block (EN 319 102-1 §5.2.6) reports it, always with INDETERMINATE: a revoked end-entity
 * certificate is `REVOKED_NO_POE` and a revoked CA `REVOKED_CA_NO_POE` (the signature validation
 * turns them into TOTAL-FAILED/REVOKED when the revocation precedes a proven signing time); an
 * expired certificate is `OUT_OF_BOUNDS_NOT_REVOKED` when `notRevoked` says its status is known
 * good, else `OUT_OF_BOUNDS_NO_POE`.
 */
export function subIndicationFor(failure: Pick<PathFailure, 'code' | 'certIndex'>, notRevoked = false): SubIndication {
  if (failure.code === 'REVOKED') return failure.certIndex === 0 ? 'REVOKED_NO_POE' : 'REVOKED_CA_NO_POE';
  if (failure.code === 'CERT_EXPIRED') return notRevoked ? 'OUT_OF_BOUNDS_NOT_REVOKED' : 'OUT_OF_BOUNDS_NO_POE';
  return BY_CODE[failure.code];
}

/** Lower first: a hard failure of the chain outranks what proofs of existence might still fix. */
const PRIORITY: readonly SubIndication[] = [
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'OUT_OF_BOUNDS_NO_POE',
  'NOT_YET_VALID',
  'TRY_LATER',
  'NO_CERTIFICATE_CHAIN_FOUND',
];

/**
 * The §5.2.6 conclusion for a path validation: TOTAL-PASSED when valid, else INDETERMINATE with
 * the sub-indication of its most significant failure.
 */
export function conclusionForPath(result: PathValidationResult): ValidationConclusion {
  if (result.valid) return Object.freeze({ indication: 'TOTAL-PASSED', subIndication: null });
  let best: SubIndication | null = null;
  for (const f of result.failures) {
    const sub = subIndicationFor(f, result.revocation[f.certIndex]?.status === 'good');
    if (best === null || PRIORITY.indexOf(sub) < PRIORITY.indexOf(best)) best = sub;
  }
  return Object.freeze({ indication: 'INDETERMINATE', subIndication: best ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE' });
}

/** The indications a sub-indication may come with. */
export function indicationsOf(subIndication: SubIndication): Indication[] {
  const out: Indication[] = [];
  if ((TOTAL_FAILED_SUB_INDICATIONS as readonly string[]).includes(subIndication)) out.push('TOTAL-FAILED');
  if ((INDETERMINATE_SUB_INDICATIONS as readonly string[]).includes(subIndication)) out.push('INDETERMINATE');
  return out;
}
