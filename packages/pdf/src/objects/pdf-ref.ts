/**
 * An indirect reference `num gen R` (ISO 32000-2 §7.3.10).
 *
 * @example
 * ```ts
 * PdfRef.of(12).toString(); // "12 0 R"
 * ```
 */
export class PdfRef {
  readonly num: number;
  readonly gen: number;

  private constructor(num: number, gen: number) {
    this.num = num;
    this.gen = gen;
  }

  /** The reference to object `num`, generation `gen` (default 0). */
  static of(num: number, gen = 0): PdfRef {
    return new PdfRef(num, gen);
  }

  /** True when `other` names the same object and generation. */
  equals(other: PdfRef): boolean {
    return this.num === other.num && this.gen === other.gen;
  }

  /** A string key such as `"12 0"`, for maps. */
  get key(): string {
    return `${this.num} ${this.gen}`;
  }

  /** PDF syntax: `num gen R`. */
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}
