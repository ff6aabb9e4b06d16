import { AppearanceError } from './errors.js';
import { placeAtCorner, placementFromVisual, PT_PER_MM, userToVisualRect } from './geometry.js';
import type { PageGeometry, PdfRect, Placement, VisualRect } from './geometry.js';
import type { AppearanceTemplate, TemplateImage } from './template.js';

/**
 * The template's own place (`defaultPlacement`, e.g. top right of page 1 for the attachment and
 * copy layouts) at its default size. `pageCount` resolves negative page numbers (-1 = last).
 */
export function placeByTemplate(template: AppearanceTemplate, geometryOf: (page: number) => PageGeometry, pageCount: number): Placement {
  const d = template.defaultPlacement;
  if (!d) {
    throw new AppearanceError('BAD_PLACEMENT', `The layout "${template.name}" has no default place: give a rectangle (--visible PAGE,X,Y,W,H) or an anchor text (--anchor TEXT).`);
  }
  const page = d.page < 0 ? pageCount + 1 + d.page : d.page;
  if (page < 1 || page > pageCount) throw new AppearanceError('PAGE_NOT_FOUND', `The layout "${template.name}" goes on page ${d.page} but the document has ${pageCount} page(s).`);
  return placeAtCorner(geometryOf(page), page, template.size, d.corner, d.marginX, d.marginY);
}

/**
 * The box of a template element (by id, or by image key) in an appearance of `width` × `height`,
 * bottom-left origin. The image drawn inside may be smaller (it keeps its aspect ratio).
 */
export function templateRegion(template: AppearanceTemplate, width: number, height: number, id: string): VisualRect {
  const el = template.elements.find((e) => e.id === id || (e.type === 'image' && e.image === id));
  if (!el) throw new AppearanceError('BAD_TEMPLATE', `The layout "${template.name}" has no element "${id}".`);
  const b = el.box;
  const pt = b.unit === 'pt';
  const x = pt ? b.x : b.x * width;
  const w = pt ? b.width : b.width * width;
  const h = pt ? b.height : b.height * height;
  const yTop = pt ? b.y : b.y * height;
  return { x, y: height - yTop - h, width: w, height: h };
}

/** Options of {@link placeIssuanceOverSignature}. */
export interface IssuancePlacementOptions {
  /** The seal's diameter in mm; default the template's `realWidthMm` (36 mm in the default layout). */
  readonly sealWidthMm?: number;
  /** How much of the signature image the seal covers, from its left: default 1/3 (Decree 30/2020 Art. 33). */
  readonly overlap?: number;
  /** Id or image key of the seal element (default `seal`). */
  readonly sealElement?: string;
}

/**
 * Where the agency's (issuance) appearance goes so that its seal covers about the left third
 * of the competent person's signature image (Decree 30/2020 Article 33: "trùm lên khoảng 1/3
 * chữ ký về phía bên trái"), centred on it vertically. `signature` is the signature image's
 * visual box: `regionOnPage(approvalPlacement, approvalAppearance.images.signature)` when both
 * signatures are made by kyso, or `templateRegion(...)` inside the approval widget's rectangle.
 */
export function placeIssuanceOverSignature(
  g: PageGeometry,
  page: number,
  signature: VisualRect,
  template: AppearanceTemplate,
  options: IssuancePlacementOptions = {},
): Placement {
  const key = options.sealElement ?? 'seal';
  const seal = template.elements.find((e): e is TemplateImage => e.type === 'image' && (e.id === key || e.image === key));
  if (!seal) throw new AppearanceError('BAD_TEMPLATE', `The layout "${template.name}" has no seal image element "${key}".`);
  const { width: W, height: H } = template.size;
  const d = (options.sealWidthMm ?? seal.realWidthMm ?? 36) * PT_PER_MM;
  const box = templateRegion(template, W, H, key);
  // The seal's centre inside the appearance, for the element's alignment.
  const cx = seal.align === 'left' ? box.x + d / 2 : seal.align === 'right' ? box.x + box.width - d / 2 : box.x + box.width / 2;
  const cy = seal.valign === 'top' ? box.y + box.height - d / 2 : seal.valign === 'bottom' ? box.y + d / 2 : box.y + box.height / 2;
  const overlap = options.overlap ?? 1 / 3;
  const targetX = signature.x + signature.width * overlap - d / 2;
  const targetY = signature.y + signature.height / 2;
  return placementFromVisual(g, page, { x: targetX - cx, y: targetY - cy, width: W, height: H });
}

/**
 * The visual box of a template element inside an existing widget: e.g. where the leader's
 * signature image is inside the approval signature's widget, for the clerk who applies the
 * issuance signature later. `widgetRect` is the widget's /Rect (user space); with /Rotate the
 * widget's upright size is taken as displayed. An approximation when the image's aspect ratio
 * left part of its box empty.
 */
export function elementOnPage(g: PageGeometry, widgetRect: PdfRect, template: AppearanceTemplate, id = 'signature'): VisualRect {
  const w = userToVisualRect(g, widgetRect);
  const r = templateRegion(template, w.width, w.height, id);
  return { x: w.x + r.x, y: w.y + r.y, width: r.width, height: r.height };
}
