import { bytesEqual } from '@kyso/core';
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
 * Structural equality of two objects: references compare by number and generation (they are not
 * followed), strings by bytes (hex or literal form does not matter), streams by dictionary and
 * raw bytes, dictionaries regardless of key order. For comparing revisions.
 */
export function pdfObjectsEqual(a: PdfObject | undefined, b: PdfObject | undefined, depth = 0): boolean {
  if (depth > 200) return false;
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (typeof a === 'number' || typeof a === 'boolean') return a === b;
  if (a instanceof PdfName) return b instanceof PdfName && a.value === b.value;
  if (a instanceof PdfRef) return b instanceof PdfRef && a.equals(b);
  if (a instanceof PdfNull) return b instanceof PdfNull;
  if (a instanceof PdfString) return b instanceof PdfString && bytesEqual(a.bytes, b.bytes);
  if (a instanceof PdfRaw) return b instanceof PdfRaw && bytesEqual(a.bytes, b.bytes);
  if (a instanceof PdfArray) return b instanceof PdfArray && a.length === b.length && a.items.every((x, i) => pdfObjectsEqual(x, b.items[i], depth + 1));
  if (a instanceof PdfDict) {
    if (!(b instanceof PdfDict) || a.size !== b.size) return false;
    for (const [k, v] of a.map) if (!pdfObjectsEqual(v, b.map.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof PdfStream) return b instanceof PdfStream && pdfObjectsEqual(a.dict, b.dict, depth + 1) && bytesEqual(a.raw, b.raw);
  return false;
}
