import { KysoError } from '@kyso/core';

/**
 * The codes a {@link PdfError} carries.
 *
 * - `PDF_SYNTAX`: the bytes are not PDF syntax where an object was expected.
 * - `PDF_NOT_PDF`: no `%PDF-` header and nothing that looks like a PDF object.
 * - `PDF_ENCRYPTED`: the trailer has /Encrypt; decrypt the file first (`qpdf --decrypt in.pdf out.pdf`).
 * - `PDF_TOO_DEEP`: arrays/dictionaries nested deeper than the limit.
 * - `PDF_REFERENCE_CYCLE`: an object refers to itself while being resolved.
 * - `PDF_LIMIT`: a size or count limit was exceeded (decoded size, object count, /Length, /Size).
 * - `PDF_BAD_XREF`: a cross-reference section cannot be read (the reader then repairs by scanning).
 * - `PDF_BAD_STREAM`: a stream cannot be decoded.
 * - `PDF_NO_PAGE`: a page index out of range, or a broken page tree.
 * - `PDF_MISUSE`: an API called the wrong way (e.g. writing through a read-only revision view).
 */
export type PdfErrorCode =
  | 'PDF_SYNTAX'
  | 'PDF_NOT_PDF'
  | 'PDF_ENCRYPTED'
  | 'PDF_TOO_DEEP'
  | 'PDF_REFERENCE_CYCLE'
  | 'PDF_LIMIT'
  | 'PDF_BAD_XREF'
  | 'PDF_BAD_STREAM'
  | 'PDF_NO_PAGE'
  | 'PDF_MISUSE';

/** A PDF that cannot be read or written as asked. `code` is one of {@link PdfErrorCode}. */
export class PdfError extends KysoError {
  declare readonly code: PdfErrorCode;
  /** Absolute byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(code: PdfErrorCode, message: string, options?: { cause?: unknown; offset?: number }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.offset = options?.offset;
  }
}
