import type { PdfArray } from './pdf-array.js';
import type { PdfDict } from './pdf-dict.js';
import type { PdfName } from './pdf-name.js';
import type { PdfNull } from './pdf-null.js';
import type { PdfRaw } from './pdf-raw.js';
import type { PdfRef } from './pdf-ref.js';
import type { PdfStream } from './pdf-stream.js';
import type { PdfString } from './pdf-string.js';

/**
 * Any PDF object (ISO 32000-2 §7.3). Numbers are JS numbers (integers and reals alike),
 * booleans are JS booleans; {@link PdfRaw} exists only for writing.
 */
export type PdfObject = PdfName | PdfRef | PdfDict | PdfArray | PdfString | PdfStream | PdfNull | PdfRaw | number | boolean;

/** Something that turns a {@link PdfRef} into the object it names (a `PdfDocument` or a revision view). */
export interface PdfResolver {
  /** `obj` with indirect references followed; `undefined` stays `undefined`. */
  resolve(obj: PdfObject | undefined): PdfObject | undefined;
}
