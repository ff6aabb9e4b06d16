import { utf8 } from '@kyso/core';
import { PdfDocument, PdfStream } from '@kyso/pdf';

/** Appends an incremental update that replaces page 1's content (a change no signature allows). */
export function tamperPageContent(pdf: Uint8Array): Uint8Array {
  const doc = PdfDocument.open(pdf);
  const page = doc.getPage(0);
  const up = doc.beginUpdate();
  const content = up.allocate();
  up.set(content, PdfStream.fromData(utf8('0 0 1 rg 20 20 200 60 re f\n')));
  const dict = page.dict.clone();
  dict.set('Contents', content);
  up.set(page.ref!, dict);
  return up.finish().bytes;
}

/** Flips one byte inside the first revision (rewriting history, as pdf-lib's save() would). */
export function rewriteEarlierByte(pdf: Uint8Array): Uint8Array {
  const out = pdf.slice();
  const i = 200;
  out[i] = out[i] === 0x20 ? 0x0a : 0x20;
  return out;
}
