import type { PdfObject, PdfResolver } from './pdf-object.js';
import type { ByteSpan } from './pdf-string.js';
import { PdfDict } from './pdf-dict.js';
import { PdfName } from './pdf-name.js';
import { PdfRef } from './pdf-ref.js';
import { PdfString } from './pdf-string.js';

/**
 * A PDF array (ISO 32000-2 §7.3.6). Typed getters take an optional resolver that follows
 * indirect references.
 *
 * @example
 * ```ts
 * PdfArray.of([0, 0, 595.28, 841.89]).toString(); // "[0 0 595.28 841.89]"
 * ```
 */
export class PdfArray implements Iterable<PdfObject> {
  readonly items: PdfObject[];
  /** Absolute file span (`[` .. `]` inclusive) when parsed from a file. */
  span: ByteSpan | undefined;

  private constructor(items: PdfObject[], span?: ByteSpan) {
    this.items = items;
    this.span = span;
  }

  /** An array of `items` (the array is taken, not copied). */
  static of(items: PdfObject[] = [], span?: ByteSpan): PdfArray {
    return new PdfArray(items, span);
  }

  get length(): number {
    return this.items.length;
  }

  [Symbol.iterator](): Iterator<PdfObject> {
    return this.items[Symbol.iterator]();
  }

  /** The item at `i`, resolved when a resolver is given. */
  get(i: number, r?: PdfResolver): PdfObject | undefined {
    const v = this.items[i];
    return r ? r.resolve(v) : v;
  }

  push(...objs: PdfObject[]): void {
    this.items.push(...objs);
  }

  getNumber(i: number, r?: PdfResolver): number | undefined {
    const v = this.get(i, r);
    return typeof v === 'number' ? v : undefined;
  }
  getName(i: number, r?: PdfResolver): string | undefined {
    const v = this.get(i, r);
    return v instanceof PdfName ? v.value : undefined;
  }
  getString(i: number, r?: PdfResolver): PdfString | undefined {
    const v = this.get(i, r);
    return v instanceof PdfString ? v : undefined;
  }
  getDict(i: number, r?: PdfResolver): PdfDict | undefined {
    const v = this.get(i, r);
    return v instanceof PdfDict ? v : undefined;
  }
  getRef(i: number): PdfRef | undefined {
    const v = this.items[i];
    return v instanceof PdfRef ? v : undefined;
  }
  /** Every item as a number, or undefined when one is not (after resolving). */
  asNumbers(r?: PdfResolver): number[] | undefined {
    const out: number[] = [];
    for (let i = 0; i < this.items.length; i++) {
      const n = this.getNumber(i, r);
      if (n === undefined) return undefined;
      out.push(n);
    }
    return out;
  }

  /** A copy whose direct arrays and dictionaries are copied too (references are kept). */
  clone(): PdfArray {
    return new PdfArray(this.items.map(cloneDirect));
  }
}

/** Deep copy of direct containers; other objects are immutable and shared. */
export function cloneDirect(o: PdfObject): PdfObject {
  if (o instanceof PdfArray || o instanceof PdfDict) return o.clone();
  return o;
}
