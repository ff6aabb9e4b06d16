import type { Certificate } from '../x509/certificate.js';
import type { PublicKeyInfo } from '../crypto/algorithm.js';
import type { RevocationStatus } from '../revocation/checker.js';

/**
 * Why a certification path failed. Stable strings, one per check of RFC 5280 §6.1 and of
 * revocation; {@link subIndicationFor} maps them to ETSI EN 319 102-1 sub-indications.
 */
export type PathFailureCode =
  /** No chain from the certificate to a trust anchor could be built (names, AKI/SKI). */
  | 'NO_PATH_FOUND'
  /** §6.1.3(a)(1): the signature does not verify with the working public key. */
  | 'SIGNATURE_INVALID'
  /** §6.1.3(a)(1): the signature algorithm or key type is not supported. */
  | 'SIGNATURE_UNSUPPORTED'
  /** RFC 5280 §4.1.1.2: signatureAlgorithm differs from tbsCertificate.signature. */
  | 'SIGNATURE_ALGORITHM_MISMATCH'
  /** §6.1.3(a)(2): the validation time is after notAfter. */
  | 'CERT_EXPIRED'
  /** §6.1.3(a)(2): the validation time is before notBefore. */
  | 'CERT_NOT_YET_VALID'
  /** §6.1.3(a)(4): the issuer name is not the previous certificate's subject. */
  | 'NAME_CHAINING_FAILED'
  /** §6.1.4(k): an intermediate certificate is not a CA certificate. */
  | 'NOT_A_CA'
  /** §6.1.4(l): max_path_length exhausted (pathLenConstraint). */
  | 'PATH_LENGTH_EXCEEDED'
  /** §6.1.4(n): an intermediate's keyUsage lacks keyCertSign. */
  | 'KEY_CERT_SIGN_MISSING'
  /** §6.1.3(b)–(c): a name is outside the permitted or inside the excluded subtrees. */
  | 'NAME_CONSTRAINTS_VIOLATED'
  /** §6.1.4(a): a policy mapping maps from or to anyPolicy. */
  | 'POLICY_MAPPING_ANY_POLICY'
  /** §6.1.3(f), §6.1.5(g): an explicit policy is required but the valid_policy_tree is NULL. */
  | 'EXPLICIT_POLICY_REQUIRED'
  /** §6.1.4(o), §6.1.5(f): a critical extension kyso does not process. */
  | 'UNKNOWN_CRITICAL_EXTENSION'
  /** §6.1.3(a)(3): the certificate was revoked at the validation time. */
  | 'REVOKED'
  /** §6.1.3(a)(3): no usable revocation information (hard-fail mode). */
  | 'REVOCATION_UNKNOWN'
  /** The end-entity's extendedKeyUsage does not allow the requested purpose. */
  | 'EKU_NOT_ALLOWED'
  /** The end-entity's keyUsage does not allow the requested purpose. */
  | 'KEY_USAGE_NOT_ALLOWED';

/** One failed check. */
export interface PathFailure {
  /** Index in `path` (0 = the end-entity certificate); `path.length` means the trust anchor. */
  readonly certIndex: number;
  readonly code: PathFailureCode;
  readonly message: string;
}

/** One candidate path that was tried, with its failures (empty when it was valid). */
export interface PathAttempt {
  readonly path: readonly Certificate[];
  readonly trustAnchor: Certificate;
  readonly failures: readonly PathFailure[];
}

/** What {@link validatePath} returns; frozen. */
export interface PathValidationResult {
  /** True when a path to a trust anchor passed every check. */
  readonly valid: boolean;
  /** The path reported (the valid one, else the most telling failed one): end-entity first, anchor excluded. */
  readonly path: readonly Certificate[];
  /** The trust anchor of `path`, or null when no path was found. */
  readonly trustAnchor: Certificate | null;
  /** Why `path` failed; empty when valid. */
  readonly failures: readonly PathFailure[];
  /** RFC 5280 §6.1.6 / PKITS: the policies (OIDs) the path is valid for, after intersection with the initial set. */
  readonly userConstrainedPolicySet: readonly string[];
  /** The end-entity's public key with any inherited DSA parameters (RFC 5280 §6.1.6). */
  readonly workingPublicKey: PublicKeyInfo | null;
  /** Revocation status of each certificate of `path` (same indexes), or null when not checked. */
  readonly revocation: readonly (RevocationStatus | null)[];
  /** Every candidate path tried, in order. */
  readonly attempts: readonly PathAttempt[];
  /** The validation time used. */
  readonly time: Date;
}
