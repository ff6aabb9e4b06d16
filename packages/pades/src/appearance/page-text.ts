import { latin1 } from '@kyso/core';
import { PdfArray, PdfDict, PdfRef, PdfStream } from '@kyso/pdf';
import type { IncrementalUpdate, PdfDocument, PdfObject } from '@kyso/pdf';
import { buildAppearance } from './build.js';
import type { AppearanceFonts, BuiltAppearance } from './build.js';
import { AppearanceError } from './errors.js';
import { visibleBox, visibleSize } from './geometry.js';
import type { PageGeometry, VisualRect } from './geometry.js';
import { copyGraphInto } from './pdf-update.js';
import { formatNumber } from './portable.js';
import type { AppearanceTemplate, HorizontalAlign, TemplateElement, VerticalAlign } from './template.js';

/**
 * One piece of text to write on a page, e.g. the number "15/QĐ-UBND" after "Số:" or the date
 * "Bắc Ninh, ngày 04 tháng 12 năm 2026" (Decree 30/2020 Article 15: number and date are given
 * when the document is issued). Boxes are visual coordinates (see `VisualRect`), e.g. from
 * `findAnchor(...).visual`.
 */
export interface PageTextItem {
  readonly text: string;
  /** The box the text is fitted into (shrunk to `minSize` then wrapped, never spilling). */
  readonly box: VisualRect;
  /** Font key (default `regular`). Decree 30: the number upright 13 pt, the place and date italic 13–14 pt. */
  readonly font?: string;
  readonly size?: number;
  readonly minSize?: number;
  /** `#RRGGBB`, default black. */
  readonly color?: string;
  readonly align?: HorizontalAlign;
  readonly valign?: VerticalAlign;
  /**
   * A box painted first in `coverColor` (default white) to hide what is under it, e.g. a
   * placeholder such as "{{so}}". The placeholder's text stays in the content stream (a text
   * extractor still finds it); prefer blank space in the draft where that matters.
   */
  readonly cover?: VisualRect;
  readonly coverColor?: string;
}

/** Text for one page, drawn as one Form XObject over the visible page (see {@link addPageText}). */
export interface PageText {
  /** 1-based page number. */
  readonly page: number;
  readonly geometry: PageGeometry;
  /** The form (BBox: the visible page as displayed; /Matrix turns it with /Rotate). */
  readonly appearance: BuiltAppearance;
  /** `cm` operands that put the form on the page's user space (the visible box's origin). */
  readonly origin: readonly [number, number];
}

function escapeBraces(s: string): string {
  return s.replace(/\{/g, '{{').replace(/\}/g, '}}');
}

/**
 * Draws `items` on page `page` as a Form XObject covering the visible page (fonts subset and
 * searchable, as for signature appearances). Add it to the document with {@link addPageText} in
 * the same incremental update as the signature, before the signature is computed.
 */
export async function buildPageText(geometry: PageGeometry, page: number, items: readonly PageTextItem[], options: { fonts: AppearanceFonts }): Promise<PageText> {
  if (items.length === 0) throw new AppearanceError('BAD_PLACEMENT', 'buildPageText needs at least one item to write.');
  const { width, height } = visibleSize(geometry);
  const elements: TemplateElement[] = [];
  const pt = (r: VisualRect) => ({ x: r.x, y: height - r.y - r.height, width: r.width, height: r.height, unit: 'pt' as const });
  for (const it of items) {
    if (it.cover) elements.push({ type: 'rect', box: pt(it.cover), fill: it.coverColor ?? '#FFFFFF' });
  }
  for (const it of items) {
    const size = it.size ?? 13;
    elements.push({
      type: 'text',
      box: pt(it.box),
      lines: [escapeBraces(it.text)],
      font: it.font ?? 'regular',
      size,
      minSize: Math.min(it.minSize ?? size * 0.7, size),
      color: it.color ?? '#000000',
      align: it.align ?? 'left',
      valign: it.valign ?? 'middle',
      padding: 0,
    });
  }
  const template: AppearanceTemplate = { kyso: 'appearance-template/1', name: 'page-text', size: { width, height }, elements };
  const appearance = await buildAppearance(template, {}, { width, height, rotate: geometry.rotate ?? 0, fonts: options.fonts });
  const [x1, y1] = visibleBox(geometry);
  return { page, geometry, appearance, origin: [x1, y1] };
}

/**
 * Adds page text to an incremental update (ISO 32000-2 §7.8.2: a page's /Contents may be an
 * array of streams): the form and its fonts are copied in, the page gets
 * `/Contents [q-stream …existing… Q-and-draw-stream]` (so the page's own graphics state cannot
 * leak into ours) and its /Resources (made direct, inherited entries kept) get the form under a
 * fresh /XObject name. Uses the update's copy of the page when the update already changes it,
 * so the signer may add its widget to /Annots before or after.
 *
 * Note: a document certified with DocMDP P=1 or P=2 does not permit this change (ISO 32000-2
 * §12.8.2.2); write number and date before the first certification, or into form fields.
 */
export function addPageText(doc: PdfDocument, update: IncrementalUpdate, text: PageText): PdfRef {
  const index = text.page - 1;
  if (!Number.isInteger(index) || index < 0 || index >= doc.pageCount) {
    throw new AppearanceError('PAGE_NOT_FOUND', `Page ${text.page} does not exist: the document has ${doc.pageCount} page(s), numbered from 1.`);
  }
  const page = doc.getPage(index);
  if (!page.ref) throw new AppearanceError('BAD_PLACEMENT', `Page ${text.page} is a direct object; repair the PDF (e.g. qpdf in.pdf out.pdf).`);
  const current = update.has(page.ref) ? update.get(page.ref) : undefined;
  const dict = current instanceof PdfDict ? current : page.dict.clone();

  const formRef = copyGraphInto(update, text.appearance.graph);

  // Existing content streams, in order (a single stream, or an array, direct or indirect).
  const contents = dict.get('Contents');
  let existing: PdfObject[] = [];
  if (contents instanceof PdfArray) existing = [...contents.items];
  else if (contents instanceof PdfRef) {
    const target = doc.resolve(contents);
    existing = target instanceof PdfArray ? [...target.items] : [contents];
  }

  // Resources: the page's own or inherited ones, copied into the page dictionary.
  const resolvedRes = doc.resolve(dict.get('Resources')) ?? page.resources;
  const res = resolvedRes instanceof PdfDict ? resolvedRes.clone() : PdfDict.of();
  const xoSrc = doc.resolve(res.get('XObject'));
  const xo = xoSrc instanceof PdfDict ? xoSrc.clone() : PdfDict.of();
  let n = 1;
  while (xo.has(`KysoText${n}`)) n++;
  const name = `KysoText${n}`;
  xo.set(name, formRef);
  res.set('XObject', xo);

  const [ox, oy] = text.origin;
  const qRef = update.allocate();
  update.set(qRef, PdfStream.fromData(latin1('q\n'), PdfDict.of(), { compress: false }));
  const drawRef = update.allocate();
  update.set(drawRef, PdfStream.fromData(latin1(`\nQ\nq 1 0 0 1 ${formatNumber(ox)} ${formatNumber(oy)} cm /${name} Do Q\n`), PdfDict.of(), { compress: false }));

  dict.set('Contents', PdfArray.of([qRef, ...existing, drawRef]));
  dict.set('Resources', res);
  update.set(page.ref, dict);
  return formRef;
}
