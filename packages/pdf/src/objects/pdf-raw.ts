import { fromLatin1, latin1 } from '@kyso/core';

/**
 * Bytes that the writer copies verbatim where an object is expected. For placeholders that are
 * patched in place later, e.g. a `/Contents <000…>` of a fixed width or a padded `/ByteRange`.
 */
export class PdfRaw {
  readonly bytes: Uint8Array;
  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  /** Raw bytes. */
  static of(bytes: Uint8Array): PdfRaw {
    return new PdfRaw(bytes);
  }
  /** Raw bytes from a Latin-1 string (PDF syntax). */
  static fromString(text: string): PdfRaw {
    return new PdfRaw(latin1(text));
  }
  /** The bytes as a Latin-1 string. */
  toString(): string {
    return fromLatin1(this.bytes);
  }
}
