import { latin1 } from '@kyso/core';
import { PdfError } from '../errors.js';
import { PdfArray } from './pdf-array.js';
import { PdfDict } from './pdf-dict.js';
import { PdfName } from './pdf-name.js';
import { PdfNull } from './pdf-null.js';
import type { PdfObject } from './pdf-object.js';
import { PdfRaw } from './pdf-raw.js';
import { PdfRef } from './pdf-ref.js';
import { PdfStream } from './pdf-stream.js';
import { PdfString } from './pdf-string.js';

/**
 * PDF syntax of a number: integers as they are, reals with at most 6 decimals, never an
 * exponent (ISO 32000-2 §7.3.3 has none), `-0` as `0`.
 */
export function formatPdfNumber(n: number): string {
  if (!Number.isFinite(n)) throw new PdfError('PDF_MISUSE', `Cannot write the number ${n} in a PDF.`);
  if (Number.isInteger(n)) return Object.is(n, -0) ? '0' : Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  let s = n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  return s;
}

/** Accumulates byte chunks and text. */
class ByteSink {
  readonly chunks: Uint8Array[] = [];
  private text = '';
  length = 0;
  write(s: string): void {
    this.text += s;
    this.length += s.length;
  }
  bytes(b: Uint8Array): void {
    this.flush();
    this.chunks.push(b);
    this.length += b.length;
  }
  flush(): void {
    if (this.text) {
      this.chunks.push(latin1(this.text));
      this.text = '';
    }
  }
  result(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

function write(sink: ByteSink, obj: PdfObject, depth: number): void {
  if (depth > 1000) throw new PdfError('PDF_TOO_DEEP', 'An object to write nests deeper than 1000 levels (is it cyclic?).');
  if (typeof obj === 'number') sink.write(formatPdfNumber(obj));
  else if (typeof obj === 'boolean') sink.write(obj ? 'true' : 'false');
  else if (obj instanceof PdfName || obj instanceof PdfRef || obj instanceof PdfNull || obj instanceof PdfString) sink.write(obj.toString());
  else if (obj instanceof PdfRaw) sink.bytes(obj.bytes);
  else if (obj instanceof PdfArray) {
    sink.write('[');
    obj.items.forEach((item, i) => {
      if (i > 0) sink.write(' ');
      write(sink, item, depth + 1);
    });
    sink.write(']');
  } else if (obj instanceof PdfDict) {
    sink.write('<<');
    for (const [k, v] of obj.map) {
      sink.write(' ' + PdfName.of(k).toString() + ' ');
      write(sink, v, depth + 1);
    }
    sink.write(obj.size ? ' >>' : '>>');
  } else if (obj instanceof PdfStream) {
    const d = obj.dict.clone();
    d.set('Length', obj.raw.length);
    write(sink, d, depth + 1);
    sink.write('\nstream\n');
    sink.bytes(obj.raw);
    sink.write('\nendstream');
  } else {
    throw new PdfError('PDF_MISUSE', `Not a PDF object: ${String(obj)}.`);
  }
}

/**
 * The exact bytes of `obj` in PDF syntax, deterministic:
 * `<< /Key value >>` (one space around entries, `<<>>` when empty), `[a b]`, `(literal)` with
 * `\` escapes, `<HEX>` upper-case, `n g R`, streams as `dict\nstream\n…\nendstream` with
 * /Length set from the data.
 *
 * @example
 * ```ts
 * latin1Decode(serializePdfObject(PdfArray.of([1, PdfName.of('A')]))); // "[1 /A]"
 * ```
 */
export function serializePdfObject(obj: PdfObject): Uint8Array {
  const sink = new ByteSink();
  write(sink, obj, 0);
  return sink.result();
}

/** `num gen obj\n…\nendobj\n` for an indirect object. */
export function serializeIndirectObject(ref: PdfRef, obj: PdfObject): Uint8Array {
  const sink = new ByteSink();
  sink.write(`${ref.num} ${ref.gen} obj\n`);
  write(sink, obj, 0);
  sink.write('\nendobj\n');
  return sink.result();
}
