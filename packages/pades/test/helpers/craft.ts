import { IncrementalUpdate, PdfDict, PdfDocument, type PdfRef } from '@kyso/pdf';

/** Appends an incremental update made by `edit` with @kyso/pdf (for changes a signer would never make). */
export function craftUpdate(pdf: Uint8Array, edit: (doc: PdfDocument, up: IncrementalUpdate) => void): Uint8Array {
  const doc = PdfDocument.open(pdf);
  const up = doc.beginUpdate();
  edit(doc, up);
  return up.finish().bytes;
}

/** A clone of dictionary `ref`, registered with the update. */
export function edit(doc: PdfDocument, up: IncrementalUpdate, ref: PdfRef): PdfDict {
  const d = (doc.getObject(ref) as PdfDict).clone();
  up.set(ref, d);
  return d;
}
