import type { DocumentNumber } from '../numbering/document-number.js';
import type { Route, RouteStep } from '../route/route.js';

/** What the workflow asks the signing port to prepare: one signature of one step. */
export interface PrepareSignatureRequest {
  /** The case's current PDF. */
  readonly pdf: Uint8Array;
  /** The signer's certificate (DER) and intermediates, issuer first. */
  readonly signerCertificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  /** How the signer's key signs (a `@kyso/cms` `SignatureAlgorithm`); default from the key type. */
  readonly signatureAlgorithm?: { readonly name: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA'; readonly hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'; readonly saltLength?: number };
  readonly route: Route;
  readonly step: RouteStep;
  /**
   * How many signatures the PDF holds already. The first signature (0) is made a certification
   * signature with DocMDP P=2 unless the step's options say otherwise ([practice] in
   * DECREE30.md: later signatures keep it valid).
   */
  readonly existingSignatures: number;
  readonly fieldName: string;
  /** /Reason, Vietnamese by default ("Phê duyệt", "Ban hành văn bản số 01/QĐ-UBND"). */
  readonly reason: string;
  readonly signingTime: Date;
  /** On the issue step: the number and symbol drawn for the document. */
  readonly documentNumber: DocumentNumber | null;
}

/** A prepared signature: what the key must sign, and the state to finish it with. */
export interface PreparedDocumentSignature {
  /** The bytes a `Signer.sign()` takes (DER of the CMS signed attributes, RFC 5652 §5.4). */
  readonly dataToSign: Uint8Array;
  /** Their hash under `digestAlgorithm`, for keys that sign a digest (tokens, remote services). */
  readonly digestToSign: Uint8Array;
  readonly digestAlgorithm: string;
  /** Serialisable state (a string, so the store can keep it until the signature comes back). */
  readonly state: string;
}

/** One signature as the signing port's verifier sees it (a subset of `@kyso/pades`' report). */
export interface DocumentSignatureCheck {
  readonly field: string;
  /** Revision holding the signature (1 = the original file). */
  readonly revision: number;
  /** SHA-256 of the signing certificate (hex), or null when it could not be found. */
  readonly certificateSha256: string | null;
  /** The signing certificate (DER), when the verifier exposes it. */
  readonly signerCertificate: Uint8Array | null;
  readonly commonName: string | null;
  /** RFC 4514 subject. */
  readonly subject: string | null;
  /** The digest over /ByteRange matches and the CMS signature value verifies. */
  readonly integrity: boolean;
  readonly indication: string;
  readonly subIndication: string | null;
  readonly modificationsAfter: 'none' | 'allowed' | 'disallowed';
  /** Descriptions of disallowed changes after this signature. */
  readonly disallowedChanges: readonly string[];
  /** Every change later revisions made, as `@kyso/pades` classifies them (`signature-added`, `dss`, `form-fill`, `page-modified`, …). */
  readonly changes: readonly { readonly revision: number; readonly kind: string; readonly allowed: boolean; readonly detail: string }[];
  readonly claimedSigningTime: string | null;
  readonly kind: string;
}

/** The signatures of a PDF, in revision order. */
export interface DocumentCheck {
  readonly revisions: number;
  readonly signatures: readonly DocumentSignatureCheck[];
}

/** Options for {@link DocumentSigning.inspect}. */
export interface InspectOptions {
  /** Trust anchors (DER); without them indications stay INDETERMINATE for lack of a chain. */
  readonly trustAnchors?: readonly Uint8Array[];
  /** Validation time; default now. */
  readonly at?: Date;
}

/**
 * The port through which the workflow signs and reads PDFs. The default
 * ({@link padesDocumentSigning}) is `@kyso/pades`' staged signing and verifier; an application
 * may wrap it (to add timestamps, say) or plug in another implementation.
 */
export interface DocumentSigning {
  /** Adds the signature field and placeholder and returns what the key must sign. */
  prepare(request: PrepareSignatureRequest): Promise<PreparedDocumentSignature>;
  /** Embeds the signature value; returns the signed PDF (the prepared PDF with /Contents filled). */
  finish(state: string, signatureValue: Uint8Array): Promise<Uint8Array>;
  /** Verifies every signature of a PDF and reports, never throwing for a bad signature. */
  inspect(pdf: Uint8Array, options?: InspectOptions): Promise<DocumentCheck>;
}

/**
 * Checks a signer's certificate chain at signing time (RFC 5280 §6.1), returning a reason when
 * it is not valid. The default, used when `trustAnchors` are configured, validates over `@kyso/trust`.
 */
export interface CertificateValidator {
  validate(certificate: Uint8Array, chain: readonly Uint8Array[], at: Date): Promise<{ readonly valid: boolean; readonly reason: string | null }>;
}
