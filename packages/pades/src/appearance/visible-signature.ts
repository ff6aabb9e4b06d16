import { Certificate } from '@kyso/trust';
import { PdfDocument, listFields } from '@kyso/pdf';
import { findAnchor } from './anchor.js';
import { buildAppearance, type AppearanceFonts, type BuiltAppearance } from './build.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { AppearanceError } from './errors.js';
import { placeByRect, placeNearAnchor, type Placement } from './geometry.js';
import { pageGeometry } from './pdf-update.js';
import type { AppearanceTemplate } from './template.js';
import { elementOnPage, placeByTemplate, placeIssuanceOverSignature } from './template-placement.js';
import type { AppearanceData } from './text.js';

/** The built-in layouts of Decree 30/2020/ND-CP Appendix I (see DECREE30.md). */
export type LayoutName = keyof typeof DEFAULT_TEMPLATES;

/** Where a visible signature goes. */
export type VisiblePlacement =
  /** A rectangle on a 1-based page, in points from the bottom-left (default) or top-left as displayed. */
  | { readonly page: number; readonly x: number; readonly y: number; readonly width?: number; readonly height?: number; readonly origin?: 'bottom-left' | 'top-left' }
  /** Relative to a phrase on the page, such as the signer's title line or "{{ky_so}}". */
  | { readonly anchor: string; readonly occurrence?: number | 'last'; readonly position?: 'below' | 'above' | 'left-of' | 'right-of' | 'over'; readonly gap?: number; readonly page?: number };

/** Options of {@link visibleSignature}. */
export interface VisibleSignatureOptions {
  /** A built-in layout or an agency's own template (from {@link loadTemplate}). */
  readonly layout: LayoutName | AppearanceTemplate;
  /** Font bytes: `loadDefaultFonts()` from `@kyso/pades/node` in Node, fetched files in a browser. */
  readonly fonts: AppearanceFonts;
  /** What the layout shows; {@link appearanceDataFromCertificate} gives name, title and agency. */
  readonly data: AppearanceData;
  /**
   * Where it goes. Default: the template's own place (attachment, copy: top right of page 1);
   * for issuance, over the left third of the last approval signature's image (Decree 30/2020
   * Art. 33: the seal covers about a third of the signature).
   */
  readonly placement?: VisiblePlacement;
  /** Template element ids to leave out, e.g. `['details']`. */
  readonly hide?: readonly string[];
}

/** The field position and the appearance to pass to `signPdf` / `preparePdfSignature`. */
export interface VisibleSignature {
  readonly field: { readonly page: number; readonly rect: readonly [number, number, number, number] };
  readonly appearance: BuiltAppearance;
  readonly placement: Placement;
}

/**
 * The signer's name (CN), position (title, 2.5.4.12) and agency (O) from a certificate, the way
 * Vietnamese signing tools fill "Người ký / Chức vụ / Cơ quan".
 */
export function appearanceDataFromCertificate(certificate: Uint8Array): Pick<AppearanceData, 'signerName' | 'title' | 'agency'> {
  const subject = Certificate.fromDer(certificate).subject;
  const last = (type: string) => subject.get(type).at(-1);
  const out: { signerName?: string; title?: string; agency?: string } = {};
  const cn = subject.commonName;
  if (cn) out.signerName = cn;
  const title = last('2.5.4.12');
  if (title) out.title = title;
  const org = last('2.5.4.10');
  if (org) out.agency = org;
  return out;
}

/**
 * Lays out a visible signature: picks the template, places it (rectangle, anchor, the template's
 * default, or over the approval signature for issuance) and draws it.
 *
 * @example
 * ```ts
 * const fonts = await loadDefaultFonts();
 * const v = await visibleSignature(pdf, { layout: 'approval', fonts, placement: { anchor: 'CHỦ TỊCH', occurrence: 'last' },
 *   data: { ...appearanceDataFromCertificate(signer.certificate), signingTime, images: { signature: png } } });
 * const signed = await signPdf(pdf, { signer, signingTime, field: { page: v.field.page, rect: v.field.rect }, appearance: v.appearance });
 * ```
 */
export async function visibleSignature(pdf: Uint8Array, options: VisibleSignatureOptions): Promise<VisibleSignature> {
  const template = typeof options.layout === 'string' ? DEFAULT_TEMPLATES[options.layout] : options.layout;
  if (!template) throw new AppearanceError('BAD_TEMPLATE', `Unknown layout "${String(options.layout)}"; use one of ${Object.keys(DEFAULT_TEMPLATES).join(', ')} or a template.`);
  const placement = await place(pdf, template, options.placement);
  const appearance = await buildAppearance(template, options.data, {
    width: placement.width,
    height: placement.height,
    rotate: placement.rotate,
    fonts: options.fonts,
    ...(options.hide ? { hide: options.hide } : {}),
  });
  return { field: { page: placement.page - 1, rect: placement.rect }, appearance, placement };
}

async function place(pdf: Uint8Array, template: AppearanceTemplate, p: VisiblePlacement | undefined): Promise<Placement> {
  const { width, height } = template.size;
  if (p && 'anchor' in p) {
    const m = await findAnchor(pdf, p.anchor, { occurrence: p.occurrence ?? 1, ...(p.page ? { page: p.page } : {}) });
    return placeNearAnchor(m.geometry, m.page, m.visual, { width, height, position: p.position ?? 'below', gap: p.gap ?? 4 });
  }
  const doc = PdfDocument.open(pdf);
  const geometryOf = (page: number) => {
    if (page < 1 || page > doc.pageCount) throw new AppearanceError('PAGE_NOT_FOUND', `Page ${page} does not exist: the document has ${doc.pageCount} page(s).`);
    return pageGeometry(doc.getPage(page - 1));
  };
  if (p) {
    return placeByRect(geometryOf(p.page), { page: p.page, x: p.x, y: p.y, width: p.width ?? width, height: p.height ?? height, origin: p.origin ?? 'bottom-left' });
  }
  if (template.elements.some((e) => e.type === 'image' && (e.image === 'seal' || e.id === 'seal'))) {
    // Issuance: over the left third of the last visible approval signature's image.
    const widget = [...listFields(doc)]
      .reverse()
      .filter((f) => f.type === 'Sig' && f.value !== undefined)
      .flatMap((f) => f.widgets)
      .find((w) => w.pageIndex !== undefined && w.rect?.length === 4 && Math.abs(w.rect[2]! - w.rect[0]!) > 1 && Math.abs(w.rect[3]! - w.rect[1]!) > 1);
    if (!widget || widget.pageIndex === undefined || !widget.rect) {
      throw new AppearanceError('BAD_PLACEMENT', 'No visible signature to put the seal over: give a placement (a rectangle or an anchor).');
    }
    const g = geometryOf(widget.pageIndex + 1);
    const [x1, y1, x2, y2] = widget.rect as [number, number, number, number];
    const rect = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)] as const;
    const image = elementOnPage(g, rect, closestApprovalTemplate(rect), 'signature');
    return placeIssuanceOverSignature(g, widget.pageIndex + 1, image, template);
  }
  if (!template.defaultPlacement) {
    throw new AppearanceError('BAD_PLACEMENT', `The layout "${template.name}" has no default place: give a rectangle or an anchor.`);
  }
  return placeByTemplate(template, geometryOf, doc.pageCount);
}

/** Which approval layout drew a widget, judged by its aspect ratio (image only, or image and details). */
function closestApprovalTemplate(rect: readonly [number, number, number, number]): AppearanceTemplate {
  const ratio = Math.abs(rect[2] - rect[0]) / Math.abs(rect[3] - rect[1]);
  const candidates = [DEFAULT_TEMPLATES.approval, DEFAULT_TEMPLATES['approval-image']];
  const score = (t: AppearanceTemplate) => Math.abs(Math.log(ratio / (t.size.width / t.size.height)));
  return candidates.reduce((a, b) => (score(b) < score(a) ? b : a));
}
