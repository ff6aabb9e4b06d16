import { PdfArray, PdfDict, PdfRef, type IncrementalUpdate, type PdfDocument } from '@kyso/pdf';
import { PadesError } from '../errors.js';

/**
 * The dictionary `ref` names, as this update will write it: the update's copy when it already
 * writes it, otherwise a fresh clone registered with the update (objects read from the
 * document are shared and must not be changed in place).
 */
export function editableDict(doc: PdfDocument, up: IncrementalUpdate, ref: PdfRef): PdfDict {
  if (up.has(ref)) {
    const o = up.get(ref);
    if (o instanceof PdfDict) return o;
  }
  const o = doc.getObject(ref);
  if (!(o instanceof PdfDict)) throw malformed(`object ${ref.key} should be a dictionary`);
  const copy = o.clone();
  up.set(ref, copy);
  return copy;
}

/** Like {@link editableDict} for an indirect array. */
export function editableArray(doc: PdfDocument, up: IncrementalUpdate, ref: PdfRef): PdfArray {
  if (up.has(ref)) {
    const o = up.get(ref);
    if (o instanceof PdfArray) return o;
  }
  const o = doc.getObject(ref);
  if (!(o instanceof PdfArray)) throw malformed(`object ${ref.key} should be an array`);
  const copy = o.clone();
  up.set(ref, copy);
  return copy;
}

/** Appends `item` to the array at `key` of `dict`, following an indirect array into the update. */
export function appendToArray(doc: PdfDocument, up: IncrementalUpdate, dict: PdfDict, key: string, item: PdfRef): void {
  const v = dict.get(key);
  if (v instanceof PdfRef) {
    const target = doc.getObject(v);
    if (target instanceof PdfArray) {
      editableArray(doc, up, v).push(item);
      return;
    }
  }
  if (v instanceof PdfArray) v.push(item);
  else dict.set(key, PdfArray.of([item]));
}

/** The error for a document whose structure does not allow the update. */
export function malformed(what: string): PadesError {
  return new PadesError('PDF_UNSIGNABLE', `The PDF cannot be signed: ${what}. Repair it first (e.g. qpdf in.pdf out.pdf).`);
}
