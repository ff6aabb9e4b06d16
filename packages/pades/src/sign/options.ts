import type { Clock } from '@kyso/core';
import type { DigestEngine, HashAlgorithm, Signer, SigningIdentity, TimeStamper } from '@kyso/cms';
import type { PortableGraph } from '../appearance/portable.js';
import type { DocMdpPermission, FieldLock } from '../mdp/permissions.js';

/** A rectangle in default user space: `[x1, y1, x2, y2]` (ISO 32000-2 §7.9.5). */
export type PdfRect = readonly [number, number, number, number];

/** Where the signature goes: the name of a field (an existing empty one, or a new one), its page and rectangle. */
export interface SignatureFieldSpec {
  /** Fully qualified field name; default `Signature1`, `Signature2`, … (the first unused). */
  readonly name?: string;
  /** 0-based page of a new field's widget; default 0. */
  readonly page?: number;
  /** Rectangle of a visible widget; absent means invisible (`[0 0 0 0]`). */
  readonly rect?: PdfRect;
}

/** The plain visible appearance: a bordered box with lines of text. */
export interface PlainAppearance {
  /** The lines; default: signer, date (+07:00), reason, location. Non-WinAnsi chars are transliterated (Helvetica). */
  readonly lines?: readonly string[];
}

/**
 * A ready-made appearance: the object graph of a Form XObject (its root), such as the
 * `BuiltAppearance` that `buildAppearance` makes from a Decree 30/2020 template.
 */
export interface PreparedAppearance {
  readonly graph: PortableGraph;
}

/** The /SubFilter to sign with (ISO 32000-2 §12.8.3.3, ETSI EN 319 142-1 §5.1). */
export type SigningSubFilter = 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached';

/** Options shared by {@link signPdf} and {@link preparePdfSignature}. */
export interface PdfSignatureOptions {
  /** A field name, or the name/page/rect of the field; default a new invisible field. */
  readonly field?: string | SignatureFieldSpec;
  /** /Reason (a text string: UTF-16BE with BOM when not ASCII). */
  readonly reason?: string;
  /** /Location. */
  readonly location?: string;
  /** /ContactInfo. */
  readonly contactInfo?: string;
  /** /Name: the signer's name, for when it cannot be taken from the certificate. */
  readonly name?: string;
  /** /M, the claimed signing time; default now (from `clock`). */
  readonly signingTime?: Date;
  /** Where "now" comes from; default the system clock. */
  readonly clock?: Clock;
  /** Certify the document (DocMDP, ISO 32000-2 §12.8.2.2) with this permission; only the first signature may. */
  readonly certify?: DocMdpPermission;
  /** Lock fields when this signature is applied (FieldMDP, ISO 32000-2 §12.7.5.5 /Lock). */
  readonly lock?: FieldLock;
  /** Digest of the document; default the signer's hash. */
  readonly digestAlgorithm?: HashAlgorithm;
  /**
   * A visible appearance at `field.rect` (required for a new field) on `field.page`: `true` or
   * `{ lines }` for the plain box with text, or a prepared appearance graph (`{ graph }`, e.g.
   * from `buildAppearance`). Absent or `false`: invisible.
   */
  readonly appearance?: PlainAppearance | PreparedAppearance | boolean;
  /** Default `ETSI.CAdES.detached` (PAdES baseline); `adbe.pkcs7.detached` for legacy readers. */
  readonly subFilter?: SigningSubFilter;
  /** Bytes reserved for the CMS in /Contents; default estimated from the certificates and the levels asked for. */
  readonly contentsSize?: number;
  /**
   * PAdES B-T (ETSI EN 319 142-1 §6.3): an RFC 3161 signature-time-stamp over the signature
   * value, e.g. `httpTimeStamper({ url })` from @kyso/cms. With `preparePdfSignature` it only
   * reserves room for the token; pass the time-stamper to `finishPdfSignature`.
   */
  readonly timeStamper?: TimeStamper;
  /** Bytes reserved for the time-stamp token (default 8192 when `timeStamper` is set): its TSA chain is not known in advance. */
  readonly timestampSize?: number;
  /** Incremental digest engine (e.g. `nodeDigestEngine` from `@kyso/cms/node`); default WebCrypto. */
  readonly digestEngine?: DigestEngine;
}

/** Options of {@link signPdf}. */
export interface SignPdfOptions extends PdfSignatureOptions {
  /** Who signs: a `Signer` from @kyso/cms (PKCS#12, PEM, CryptoKey, external). */
  readonly signer: Signer;
}

/** Options of {@link preparePdfSignature}: the signer's certificate and algorithm, without the key. */
export interface PreparePdfSignatureOptions extends PdfSignatureOptions {
  readonly signer: SigningIdentity;
}
