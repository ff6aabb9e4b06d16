import type { PublicKeyInfo } from '../crypto/algorithm.js';
import type { PathValidationResult } from '../path/result.js';
import type { Certificate } from '../x509/certificate.js';

/** CRLReason (RFC 5280 §5.3.1), by name. */
export type CrlReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

/** The CRLReason enumeration values in order (value 7 is unused). @internal */
export const CRL_REASON_CODES: readonly (CrlReason | null)[] = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  null,
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

/** Where a piece of revocation data came from. */
export type EvidenceOrigin = 'provided' | 'fetched' | 'cache';

/** A CRL or OCSP response a checker relied on (to embed for long-term validation, or report). */
export interface RevocationEvidence {
  readonly type: 'crl' | 'ocsp';
  /** DER of the CRL or of the OCSPResponse. */
  readonly der: Uint8Array;
  readonly origin: EvidenceOrigin;
}

/** The revocation status of one certificate, as a checker determined it. */
export interface RevocationStatus {
  /** `good`: not revoked at the time; `revoked`; `unknown`: no usable information. */
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revocationTime?: Date;
  readonly reason?: CrlReason;
  /** Where the answer came from, e.g. `crl`, `ocsp`. */
  readonly source?: string;
  /** A sentence for reports (why unknown, which CRL, ...). */
  readonly message?: string;
  /** The CRLs or OCSP responses the answer rests on. */
  readonly evidence?: readonly RevocationEvidence[];
}

/** What {@link RevocationChecker.check} is asked about. */
export interface RevocationRequest {
  /** The certificate to check. */
  readonly certificate: Certificate;
  /** The certificate that issued it (the previous one in the path, or the trust anchor). */
  readonly issuer: Certificate;
  /** The issuer's public key, with inherited DSA parameters (RFC 5280 §6.1.4(f)). */
  readonly issuerPublicKey: PublicKeyInfo;
  /** The path being validated, end-entity first (anchor excluded). */
  readonly path: readonly Certificate[];
  /** Index of `certificate` in `path`. */
  readonly index: number;
  readonly trustAnchor: Certificate;
  /** The validation time. */
  readonly time: Date;
  /** Other certificates known to the validation (to find CRL or OCSP signers). */
  readonly candidates: readonly Certificate[];
  /**
   * Validates another certificate (a CRL issuer, an OCSP responder) to the same trust anchor at
   * the same time with the same revocation checker (RFC 5280 §6.3.3(f)). Loops are cut.
   */
  validateSigner(certificate: Certificate): Promise<PathValidationResult>;
}

/**
 * Decides whether a certificate was revoked at a time. `validatePath` calls it for every
 * certificate of a path that passed the other checks. Implementations: {@link CrlRevocationChecker},
 * OCSP-based ones, or a combination.
 */
export interface RevocationChecker {
  check(request: RevocationRequest): Promise<RevocationStatus>;
}
