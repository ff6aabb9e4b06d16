import { fromLatin1, latin1, toHex } from '@kyso/core';
import { decodePdfDocEncoding } from './pdf-doc-encoding.js';

/** Where a parsed object lies in the file: `start` is its first byte, `end` the byte after its last. */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * A PDF string (ISO 32000-2 §7.3.4): raw `bytes`, and whether it was (or will be) written in hex
 * form. Text strings (§7.9.2.2) are decoded by {@link PdfString.toText}: UTF-16BE with a BOM,
 * UTF-8 with a BOM (PDF 2.0), or PDFDocEncoding.
 *
 * @example
 * ```ts
 * PdfString.fromText('Hà Nội').toString(); // "<FEFF...>"
 * PdfString.fromText('Approved').toString(); // "(Approved)"
 * ```
 */
export class PdfString {
  readonly bytes: Uint8Array;
  readonly hex: boolean;
  /** Absolute file span of the string token (`(`..`)` or `<`..`>` inclusive), when parsed from a file (not from an object stream). */
  span: ByteSpan | undefined;

  private constructor(bytes: Uint8Array, hex: boolean, span?: ByteSpan) {
    this.bytes = bytes;
    this.hex = hex;
    this.span = span;
  }

  /** A string of raw bytes, written as a hex string when `hex` is true. */
  static of(bytes: Uint8Array, hex = false, span?: ByteSpan): PdfString {
    return new PdfString(bytes, hex, span);
  }

  /** A literal string of the Latin-1 bytes of `text` (PDF syntax strings, dates). */
  static fromLatin1(text: string): PdfString {
    return new PdfString(latin1(text), false);
  }

  /**
   * A text string for `text`: an ASCII literal when every char is printable ASCII, otherwise
   * UTF-16BE with a byte order mark in hex form (§7.9.2.2), as Vietnamese names need.
   */
  static fromText(text: string): PdfString {
    if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(latin1(text), false);
    const out = new Uint8Array(2 + text.length * 2);
    out[0] = 0xfe;
    out[1] = 0xff;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      out[2 + i * 2] = c >> 8;
      out[3 + i * 2] = c & 0xff;
    }
    return new PdfString(out, true);
  }

  /** Decodes a text string: UTF-16BE (BOM FE FF), UTF-8 (BOM EF BB BF) or PDFDocEncoding. */
  toText(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      let s = '';
      for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      return new TextDecoder('utf-8').decode(b.subarray(3));
    }
    return decodePdfDocEncoding(b);
  }

  /** The bytes as a Latin-1 string (for byte strings such as dates and IDs). */
  toLatin1(): string {
    return fromLatin1(this.bytes);
  }

  /** PDF syntax of this string (deterministic; hex digits are upper-case). */
  toString(): string {
    if (this.hex) return '<' + toHex(this.bytes).toUpperCase() + '>';
    let s = '(';
    for (const c of this.bytes) {
      if (c === 0x28 || c === 0x29 || c === 0x5c) s += '\\' + String.fromCharCode(c);
      else if (c === 0x0a) s += '\\n';
      else if (c === 0x0d) s += '\\r';
      else if (c === 0x09) s += '\\t';
      else if (c === 0x08) s += '\\b';
      else if (c === 0x0c) s += '\\f';
      else if (c < 0x20 || c > 0x7e) s += '\\' + c.toString(8).padStart(3, '0');
      else s += String.fromCharCode(c);
    }
    return s + ')';
  }
}
