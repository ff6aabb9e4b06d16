import { PdfArray, PdfDict, PdfDocument, PdfName, PdfString } from '@kyso/pdf';
import { PDFDocument } from 'pdf-lib';
import { copyGraphInto, type BuiltAppearance, type Placement } from '../../../src/appearance/index.js';

/** A blank test page (pdf-lib: an unsigned input), `width` × `height` points. */
export async function blankPdf(width = 400, height = 300, pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let i = 0; i < pages; i++) doc.addPage([width, height]);
  return doc.save({ useObjectStreams: false });
}

/**
 * Puts an appearance on a page the way the signer does: its objects copied into an incremental
 * update (@kyso/pdf), a signature widget with /AP /N, /Rect from the placement.
 */
export function withAppearance(pdf: Uint8Array, placement: Placement, ap: BuiltAppearance): Uint8Array {
  const doc = PdfDocument.open(pdf);
  const up = doc.beginUpdate();
  const apRef = copyGraphInto(up, ap.graph);
  const page = doc.getPage(placement.page - 1);
  const widgetRef = up.allocate();
  up.set(
    widgetRef,
    PdfDict.of({
      Type: PdfName.of('Annot'),
      Subtype: PdfName.of('Widget'),
      FT: PdfName.of('Sig'),
      T: PdfString.fromText('Sig1'),
      F: 132,
      Rect: PdfArray.of([...placement.rect]),
      P: page.ref!,
      AP: PdfDict.of({ N: apRef }),
    }),
  );
  const pageDict = page.dict.clone();
  pageDict.set('Annots', PdfArray.of([widgetRef]));
  up.set(page.ref!, pageDict);
  const cat = doc.catalog.clone();
  cat.set('AcroForm', PdfDict.of({ Fields: PdfArray.of([widgetRef]) }));
  up.set(doc.catalogRef, cat);
  return up.finish().bytes;
}
