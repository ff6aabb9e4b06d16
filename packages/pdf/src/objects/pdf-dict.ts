import type { PdfObject, PdfResolver } from './pdf-object.js';
import type { ByteSpan } from './pdf-string.js';
import { PdfArray, cloneDirect } from './pdf-array.js';
import { PdfName } from './pdf-name.js';
import { PdfRef } from './pdf-ref.js';
import { PdfStream } from './pdf-stream.js';
import { PdfString } from './pdf-string.js';

/**
 * A PDF dictionary (ISO 32000-2 §7.3.7): keys are name values without the slash, in insertion
 * order (the writer keeps that order). Typed getters take an optional resolver that follows
 * indirect references; without one, a reference is returned only by {@link PdfDict.get} and
 * {@link PdfDict.getRef}.
 *
 * Objects read from a document are cached and shared: `clone()` before changing one.
 *
 * @example
 * ```ts
 * const d = PdfDict.of({ Type: PdfName.of('Sig'), V: 1 });
 * d.toString(); // "<< /Type /Sig /V 1 >>"
 * d.getName('Type'); // "Sig"
 * ```
 */
export class PdfDict {
  readonly map: Map<string, PdfObject>;
  /** Absolute file span (`<<` .. `>>` inclusive) when parsed from a file. */
  span: ByteSpan | undefined;

  private constructor(map: Map<string, PdfObject>, span?: ByteSpan) {
    this.map = map;
    this.span = span;
  }

  /** A dictionary of `entries` (a plain object, a Map, or nothing). */
  static of(entries?: Record<string, PdfObject> | Map<string, PdfObject>, span?: ByteSpan): PdfDict {
    if (entries instanceof Map) return new PdfDict(entries, span);
    return new PdfDict(new Map(entries ? Object.entries(entries) : []), span);
  }

  get size(): number {
    return this.map.size;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  /** The value at `key`, resolved when a resolver is given. */
  get(key: string, r?: PdfResolver): PdfObject | undefined {
    const v = this.map.get(key);
    return r ? r.resolve(v) : v;
  }
  /** Sets `key`; `undefined` deletes it. Returns this dictionary. */
  set(key: string, value: PdfObject | undefined): this {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
    return this;
  }
  delete(key: string): boolean {
    return this.map.delete(key);
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
  entries(): [string, PdfObject][] {
    return [...this.map.entries()];
  }

  getName(key: string, r?: PdfResolver): string | undefined {
    const v = this.get(key, r);
    return v instanceof PdfName ? v.value : undefined;
  }
  getNumber(key: string, r?: PdfResolver): number | undefined {
    const v = this.get(key, r);
    return typeof v === 'number' ? v : undefined;
  }
  /** An integer value (a real is truncated), or undefined. */
  getInt(key: string, r?: PdfResolver): number | undefined {
    const v = this.getNumber(key, r);
    return v === undefined ? undefined : Math.trunc(v);
  }
  getBoolean(key: string, r?: PdfResolver): boolean | undefined {
    const v = this.get(key, r);
    return typeof v === 'boolean' ? v : undefined;
  }
  getString(key: string, r?: PdfResolver): PdfString | undefined {
    const v = this.get(key, r);
    return v instanceof PdfString ? v : undefined;
  }
  /** A text string decoded (§7.9.2.2), or a name's value, or undefined. */
  getText(key: string, r?: PdfResolver): string | undefined {
    const v = this.get(key, r);
    if (v instanceof PdfString) return v.toText();
    if (v instanceof PdfName) return v.value;
    return undefined;
  }
  /** A dictionary value; a stream's dictionary is not returned (use getStream). */
  getDict(key: string, r?: PdfResolver): PdfDict | undefined {
    const v = this.get(key, r);
    return v instanceof PdfDict ? v : undefined;
  }
  getArray(key: string, r?: PdfResolver): PdfArray | undefined {
    const v = this.get(key, r);
    return v instanceof PdfArray ? v : undefined;
  }
  getStream(key: string, r?: PdfResolver): PdfStream | undefined {
    const v = this.get(key, r);
    return v instanceof PdfStream ? v : undefined;
  }
  /** The value when it is an indirect reference (never resolved). */
  getRef(key: string): PdfRef | undefined {
    const v = this.map.get(key);
    return v instanceof PdfRef ? v : undefined;
  }

  /** A copy whose direct arrays and dictionaries are copied too (references are kept). */
  clone(): PdfDict {
    const m = new Map<string, PdfObject>();
    for (const [k, v] of this.map) m.set(k, cloneDirect(v));
    return new PdfDict(m);
  }
}
