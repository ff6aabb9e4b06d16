/**
 * A PDF name object (ISO 32000-2 §7.3.5). `value` is the name without its leading slash, with
 * `#xx` escapes decoded; each char of `value` is one byte (Latin-1), so any name round-trips.
 *
 * @example
 * ```ts
 * PdfName.of('Type').toString(); // "/Type"
 * ```
 */
export class PdfName {
  /** The decoded name, one char per byte, without the slash. */
  readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }

  /** The name whose decoded bytes are the chars of `value` (Latin-1). */
  static of(value: string): PdfName {
    return new PdfName(value);
  }

  /** True when this name's value is `value`. */
  is(value: string): boolean {
    return this.value === value;
  }

  /** PDF syntax of this name, e.g. `/Type`, `/A#20B`. */
  toString(): string {
    let out = '/';
    for (let i = 0; i < this.value.length; i++) {
      const c = this.value.charCodeAt(i) & 0xff;
      // §7.3.5: bytes outside ! .. ~, delimiters and # are written as #xx.
      if (c < 0x21 || c > 0x7e || c === 0x23 || '()<>[]{}/%'.includes(String.fromCharCode(c))) {
        out += '#' + c.toString(16).toUpperCase().padStart(2, '0');
      } else out += String.fromCharCode(c);
    }
    return out;
  }
}
