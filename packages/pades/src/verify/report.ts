/**
 * The verification report: one frozen entry per signature, in the shape of `kyso verify
 * --format json` (DESIGN.md). Indications and sub-indications are spelled as in
 * ETSI EN 319 102-1 §5.1.3.
 */
import type { ChainCertificateReport, RevocationEvidenceReport } from '@kyso/cms';

/** ETSI EN 319 102-1 §5.1.3 indications and sub-indications: one definition, in @kyso/trust. */
export type { Indication, SubIndication } from '@kyso/trust';
import type { Indication, SubIndication } from '@kyso/trust';

/** What kind of signature (ISO 32000-2 §12.8: approval, certification with DocMDP, §12.8.5 document timestamp). */
export type SignatureKind = 'approval' | 'certification' | 'document-timestamp';

/** How much of the file the /ByteRange covers. */
export type { Coverage } from '../byterange/check.js';

/** Whether later revisions changed the document, and if so whether the signature allows it. */
export type ModificationsAfter = 'none' | 'allowed' | 'disallowed';

/**
 * How a change is judged: `allowed` after every signature (DSS/VRI, document timestamps, invisible
 * signature fields, metadata), `allowed-by-certification` because the DocMDP level permits it (or
 * there is no certification: signing, form filling, comment annotations), or `disallowed`.
 */
export type ChangeClassification = 'allowed' | 'allowed-by-certification' | 'disallowed';

/** What one later revision did to one object, and whether that is allowed for this signature. */
export interface Change {
  /** The revision (1 = the original file) that made the change. */
  readonly revision: number;
  /** The object, as `"num gen"`, or `null` for trailer-level changes. */
  readonly object: string | null;
  /** What the change is, e.g. `signature-added`, `signature-field-added`, `form-fill`, `dss`, `page-modified` (packages/pades/ATTACKS.md lists them). */
  readonly kind: string;
  /** Allowed after any signature, allowed by this document's permissions (DocMDP/FieldMDP, or their absence), or disallowed. */
  readonly classification: ChangeClassification;
  /** Whether the signature's permissions (DocMDP, FieldMDP) allow it (`classification !== 'disallowed'`). */
  readonly allowed: boolean;
  /** A human-readable description. */
  readonly detail: string;
}

/** The signing certificate's identity. */
export interface SignerIdentity {
  readonly commonName: string | null;
  /** The subject DN in RFC 4514 form. */
  readonly subject: string;
  /** The serial number in lower-case hex. */
  readonly serialNumber: string;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  readonly certificateSha256: string;
}

/** One certificate of the validated path (end entity first, trust anchor last): subject, serial, SHA-256, validity. */
export type ChainCertificate = ChainCertificateReport;

/**
 * The revocation evidence used for one certificate of the path (trust anchor excluded): `status`
 * (good, revoked, unknown, not-checked), `type` (ocsp, crl), `source` (embedded: the DSS or the
 * CMS; fetched; cache), `thisUpdate`, `revocationTime`, `note`.
 */
export type RevocationReport = RevocationEvidenceReport;

/** A time-stamp that bears on a signature: its signature time-stamps, or (for a document time-stamp) itself. */
export interface TimestampReport {
  /** `signature`: a signature-time-stamp over the signature value; `document`: a document time-stamp (ETSI.RFC3161). */
  readonly type: 'signature' | 'document';
  /** The field of a document time-stamp, or null for a signature time-stamp. */
  readonly field: string | null;
  readonly genTime: string | null;
  /** The TSA certificate's subject (RFC 4514). */
  readonly tsa: string | null;
  /** Token intact, imprint matching, and (with trust anchors) the TSA path valid. */
  readonly valid: boolean;
  /** Why it is not valid, when not. */
  readonly problems: readonly string[];
}

/** The report for one signature. */
export interface SignatureReport {
  /** The fully qualified field name. */
  readonly field: string;
  /** The revision (1 = the original file) whose incremental update holds the signature dictionary. */
  readonly revision: number;
  readonly kind: SignatureKind;
  /** The /SubFilter, e.g. `ETSI.CAdES.detached`, `adbe.pkcs7.detached`. */
  readonly subFilter: string | null;
  /** The PAdES baseline level (ETSI EN 319 142-1 §6), or `null` for a signature that is not PAdES. */
  readonly level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | null;
  readonly signer: SignerIdentity | null;
  /** The claimed signing time (/M, else the signing-time attribute) as ISO 8601, or null. */
  readonly claimedSigningTime: string | null;
  /** The time of a signature timestamp, as ISO 8601, or null. */
  readonly timestampTime: string | null;
  /** The digest over the /ByteRange matches and the CMS signature verifies. */
  readonly integrity: boolean;
  readonly coverage: import('../byterange/check.js').Coverage;
  readonly modificationsAfter: ModificationsAfter;
  readonly changes: readonly Change[];
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** The certification path validated (empty without trust anchors or when none was found). */
  readonly chain: readonly ChainCertificate[];
  /** Per certificate of `chain` (trust anchor excluded): the revocation evidence used. */
  readonly revocation: readonly RevocationReport[];
  /** The time-stamps of this signature: its signature time-stamps and the document time-stamps that cover it. */
  readonly timestamps: readonly TimestampReport[];
  /** The earliest proof of existence of the signature (a valid time-stamp's genTime), ISO 8601, or null. */
  readonly proofOfExistence: string | null;
  /** The time the certificate path was validated at (the validation time, or the proof of existence), or null. */
  readonly pathValidatedAt: string | null;
}

/** The report for a whole document. */
export interface PdfVerificationReport {
  /** Number of revisions, the original file counting as 1. */
  readonly revisions: number;
  readonly signatures: readonly SignatureReport[];
}
