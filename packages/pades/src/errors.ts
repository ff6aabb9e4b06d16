import { KysoError } from '@kyso/core';

/**
 * Codes of {@link PadesError}:
 * - `SIGNATURE_TOO_LARGE`: the CMS does not fit the /Contents placeholder (raise `contentsSize`).
 * - `DOCMDP_FORBIDS`: the document's certification (DocMDP, ISO 32000-2 §12.8.2.2) forbids the change.
 * - `FIELD_LOCKED`: a FieldMDP lock (ISO 32000-2 §12.7.5.5) of an earlier signature forbids the change.
 * - `FIELD_NOT_FOUND`, `FIELD_ALREADY_SIGNED`, `FIELD_NOT_SIGNATURE`: the named field cannot be signed.
 * - `BAD_OPTIONS`: an option is missing or out of range.
 * - `BAD_STATE`: the staged-signing state does not match the prepared PDF.
 * - `CERTIFICATION_NOT_FIRST`: only the first signature of a document may certify it (ISO 32000-2 §12.8.2.2.1).
 * - `PDF_UNSIGNABLE`: the document's structure does not allow adding a signature (no page tree, direct page objects…).
 * - `NOT_SIGNED`: validation data or an archive time-stamp was asked for a document without signatures.
 * - `VALIDATION_DATA_INCOMPLETE`: `strict` long-term extension could not find a path or revocation data for every certificate.
 */
export type PadesErrorCode =
  | 'SIGNATURE_TOO_LARGE'
  | 'DOCMDP_FORBIDS'
  | 'FIELD_LOCKED'
  | 'FIELD_NOT_FOUND'
  | 'FIELD_ALREADY_SIGNED'
  | 'FIELD_NOT_SIGNATURE'
  | 'BAD_OPTIONS'
  | 'BAD_STATE'
  | 'CERTIFICATION_NOT_FIRST'
  | 'PDF_UNSIGNABLE'
  | 'NOT_SIGNED'
  | 'VALIDATION_DATA_INCOMPLETE';

/** What @kyso/pades throws on misuse or on a document it cannot sign; verification never throws it for a bad signature. */
export class PadesError extends KysoError {
  declare readonly code: PadesErrorCode;

  constructor(code: PadesErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
