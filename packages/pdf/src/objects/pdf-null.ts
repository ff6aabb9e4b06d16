/** The PDF null object (ISO 32000-2 §7.3.9). Use {@link PdfNull.instance}. */
export class PdfNull {
  /** The one null object. */
  static readonly instance = new PdfNull();
  private constructor() {}
  /** PDF syntax: `null`. */
  toString(): string {
    return 'null';
  }
}
