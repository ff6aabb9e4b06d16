import { AppearanceError } from './errors.js';

/** A PDF rectangle `[llx, lly, urx, ury]` in a page's default user space (ISO 32000-2 §7.9.5). */
export type PdfRect = readonly [number, number, number, number];

/** An affine matrix `[a, b, c, d, e, f]` (ISO 32000-2 §8.3.4). */
export type PdfMatrix = readonly [number, number, number, number, number, number];

/** A page's /Rotate, normalised to one of the four values ISO 32000-2 §7.7.3.3 allows. */
export type Rotation = 0 | 90 | 180 | 270;

/**
 * What placement needs to know about a page: its /MediaBox, /CropBox (default: the MediaBox)
 * and /Rotate (inherited values already resolved). Read it with @kyso/pdf, or take it from
 * {@link AnchorMatch.geometry}.
 */
export interface PageGeometry {
  readonly mediaBox: PdfRect;
  readonly cropBox?: PdfRect;
  readonly rotate?: number;
}

/**
 * A rectangle as the reader sees the page: in points, from the bottom-left corner of the visible
 * page (the CropBox, after /Rotate), x to the right and y up. For an unrotated page whose
 * CropBox starts at 0 0 this is plain PDF user space.
 */
export interface VisualRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Where an appearance goes and how it is drawn: the widget's `/Rect` in default user space,
 * the appearance's upright size (its /BBox is `[0 0 width height]`) and the /Matrix that turns
 * it with the page so that it reads upright (ISO 32000-2 §12.5.5).
 */
export interface Placement {
  /** 1-based page number. */
  readonly page: number;
  /** The widget annotation's /Rect. */
  readonly rect: PdfRect;
  /** Upright width and height of the appearance (what the reader sees), in points. */
  readonly width: number;
  readonly height: number;
  readonly rotate: Rotation;
  /** The appearance stream's /Matrix. */
  readonly matrix: PdfMatrix;
  /** The same rectangle in visual coordinates. */
  readonly visual: VisualRect;
}

/** Normalises a /Rotate value (a multiple of 90, possibly negative or ≥ 360). */
export function normalizeRotation(rotate: number | undefined): Rotation {
  const r = rotate ?? 0;
  if (!Number.isInteger(r) || r % 90 !== 0) {
    throw new AppearanceError('BAD_PLACEMENT', `A page /Rotate of ${r} is not a multiple of 90 (ISO 32000-2 §7.7.3.3); repair the PDF.`);
  }
  return (((r % 360) + 360) % 360) as Rotation;
}

function normRect(r: PdfRect): [number, number, number, number] {
  return [Math.min(r[0], r[2]), Math.min(r[1], r[3]), Math.max(r[0], r[2]), Math.max(r[1], r[3])];
}

/** The visible box: the CropBox clipped to the MediaBox (ISO 32000-2 §14.11.2). */
export function visibleBox(g: PageGeometry): [number, number, number, number] {
  const m = normRect(g.mediaBox);
  if (!g.cropBox) return m;
  const c = normRect(g.cropBox);
  const r: [number, number, number, number] = [Math.max(m[0], c[0]), Math.max(m[1], c[1]), Math.min(m[2], c[2]), Math.min(m[3], c[3])];
  return r[2] > r[0] && r[3] > r[1] ? r : m;
}

/** The size of the page as the reader sees it (width and height swap at 90 and 270). */
export function visibleSize(g: PageGeometry): { width: number; height: number } {
  const [x1, y1, x2, y2] = visibleBox(g);
  const r = normalizeRotation(g.rotate);
  return r === 90 || r === 270 ? { width: y2 - y1, height: x2 - x1 } : { width: x2 - x1, height: y2 - y1 };
}

/** A point of default user space in visual coordinates (see {@link VisualRect}). */
export function userToVisualPoint(g: PageGeometry, ux: number, uy: number): [number, number] {
  const [cx1, cy1, cx2, cy2] = visibleBox(g);
  const W = cx2 - cx1;
  const H = cy2 - cy1;
  const x = ux - cx1;
  const y = uy - cy1;
  switch (normalizeRotation(g.rotate)) {
    case 0:
      return [x, y];
    case 90: // shown turned clockwise: user +y runs right, user +x runs down
      return [y, W - x];
    case 180:
      return [W - x, H - y];
    case 270:
      return [H - y, x];
  }
}

/** A visual point in default user space (the inverse of {@link userToVisualPoint}). */
export function visualToUserPoint(g: PageGeometry, vx: number, vy: number): [number, number] {
  const [cx1, cy1, cx2, cy2] = visibleBox(g);
  const W = cx2 - cx1;
  const H = cy2 - cy1;
  switch (normalizeRotation(g.rotate)) {
    case 0:
      return [cx1 + vx, cy1 + vy];
    case 90:
      return [cx1 + W - vy, cy1 + vx];
    case 180:
      return [cx1 + W - vx, cy1 + H - vy];
    case 270:
      return [cx1 + vy, cy1 + H - vx];
  }
}

/** A user-space rectangle in visual coordinates. */
export function userToVisualRect(g: PageGeometry, r: PdfRect): VisualRect {
  const [ax, ay] = userToVisualPoint(g, r[0], r[1]);
  const [bx, by] = userToVisualPoint(g, r[2], r[3]);
  return { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) };
}

/** A visual rectangle in default user space, as a PDF rectangle. */
export function visualToUserRect(g: PageGeometry, v: VisualRect): PdfRect {
  const [ax, ay] = visualToUserPoint(g, v.x, v.y);
  const [bx, by] = visualToUserPoint(g, v.x + v.width, v.y + v.height);
  return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
}

/**
 * The /Matrix of an upright `width` × `height` appearance on a page with /Rotate `rotate`: it
 * turns the form counter-clockwise by the page's rotation, so that once the viewer turns the
 * page clockwise the appearance reads upright, and moves the turned BBox back to the origin.
 */
export function appearanceMatrix(rotate: number | undefined, width: number, height: number): PdfMatrix {
  switch (normalizeRotation(rotate)) {
    case 0:
      return [1, 0, 0, 1, 0, 0];
    case 90:
      return [0, 1, -1, 0, height, 0];
    case 180:
      return [-1, 0, 0, -1, width, height];
    case 270:
      return [0, -1, 1, 0, 0, width];
  }
}

/** How a rectangle given by a user is measured. */
export interface RectPlacementInput {
  /** 1-based page number. */
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /**
   * `bottom-left` (default): PDF points from the visible page's bottom-left corner, y up (plain
   * PDF coordinates on an unrotated page). `top-left`: from the top-left corner, y down, as a
   * user measures on screen; `y` is then the distance to the rectangle's top edge.
   * Both are in the page as displayed (after /Rotate, inside the CropBox).
   */
  readonly origin?: 'bottom-left' | 'top-left';
  /** Multiply x, y, width, height by this first (e.g. 72 / 25.4 for millimetres). Default 1. */
  readonly scale?: number;
}

/** Checks a visual rectangle and builds the {@link Placement} for it. */
export function placementFromVisual(g: PageGeometry, page: number, v: VisualRect): Placement {
  if (!(v.width > 0 && v.height > 0) || ![v.x, v.y, v.width, v.height].every(Number.isFinite)) {
    throw new AppearanceError('BAD_PLACEMENT', `The appearance rectangle ${JSON.stringify(v)} needs a finite position and a positive width and height.`);
  }
  const rotate = normalizeRotation(g.rotate);
  return {
    page,
    rect: visualToUserRect(g, v),
    width: v.width,
    height: v.height,
    rotate,
    matrix: appearanceMatrix(rotate, v.width, v.height),
    visual: { ...v },
  };
}

/**
 * Placement by rectangle, in PDF points from the bottom-left or as measured from the top-left
 * of the page as displayed.
 *
 * @example
 * ```ts
 * // 60 mm wide, 25 mm tall, 110 mm from the left and 200 mm from the top of page 1
 * const mm = 72 / 25.4;
 * placeByRect(geometry, { page: 1, x: 110, y: 200, width: 60, height: 25, origin: 'top-left', scale: mm });
 * ```
 */
export function placeByRect(g: PageGeometry, input: RectPlacementInput): Placement {
  const s = input.scale ?? 1;
  const w = input.width * s;
  const h = input.height * s;
  const x = input.x * s;
  const y = input.origin === 'top-left' ? visibleSize(g).height - input.y * s - h : input.y * s;
  return placementFromVisual(g, input.page, { x, y, width: w, height: h });
}

/** Placement at a corner of the visible page, `marginX`/`marginY` points from its edges. */
export function placeAtCorner(
  g: PageGeometry,
  page: number,
  size: { readonly width: number; readonly height: number },
  corner: 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right',
  marginX: number,
  marginY: number,
): Placement {
  const vs = visibleSize(g);
  const x = corner.endsWith('left') ? marginX : vs.width - marginX - size.width;
  const y = corner.startsWith('bottom') ? marginY : vs.height - marginY - size.height;
  return placementFromVisual(g, page, { x, y, width: size.width, height: size.height });
}

/** Where an appearance goes relative to an anchor's box. */
export interface AnchorPlacementOptions {
  /** Appearance size in points (default: the template's size). */
  readonly width: number;
  readonly height: number;
  /**
   * `below` (default) / `above`: under or over the anchor; `left-of` / `right-of`: beside it;
   * `over`: the appearance's centre on the anchor's centre (to cover a placeholder like
   * "{{ky_so}}").
   */
  readonly position?: 'below' | 'above' | 'left-of' | 'right-of' | 'over';
  /** Alignment along the anchor for below/above (left, center, right) and left-of/right-of (top, middle, bottom). Default center/middle. */
  readonly align?: 'start' | 'center' | 'end';
  /** Space between anchor and appearance, points. Default 2. */
  readonly gap?: number;
  /** A final shift in points, x right and y up as displayed. */
  readonly dx?: number;
  readonly dy?: number;
}

/** Placement relative to an anchor's visual box (see `findAnchor`). */
export function placeNearAnchor(g: PageGeometry, page: number, anchor: VisualRect, o: AnchorPlacementOptions): Placement {
  const pos = o.position ?? 'below';
  const gap = o.gap ?? 2;
  const align = o.align ?? 'center';
  const { width: w, height: h } = o;
  const alignX = () => (align === 'start' ? anchor.x : align === 'end' ? anchor.x + anchor.width - w : anchor.x + (anchor.width - w) / 2);
  // for beside-placements "start" is the top, as a reader scans
  const alignY = () => (align === 'start' ? anchor.y + anchor.height - h : align === 'end' ? anchor.y : anchor.y + (anchor.height - h) / 2);
  let x: number;
  let y: number;
  switch (pos) {
    case 'below':
      x = alignX();
      y = anchor.y - gap - h;
      break;
    case 'above':
      x = alignX();
      y = anchor.y + anchor.height + gap;
      break;
    case 'left-of':
      x = anchor.x - gap - w;
      y = alignY();
      break;
    case 'right-of':
      x = anchor.x + anchor.width + gap;
      y = alignY();
      break;
    case 'over':
      x = anchor.x + (anchor.width - w) / 2;
      y = anchor.y + (anchor.height - h) / 2;
      break;
  }
  return placementFromVisual(g, page, { x: x + (o.dx ?? 0), y: y + (o.dy ?? 0), width: w, height: h });
}

/** A region of an appearance (bottom-left origin, appearance units) in visual page coordinates. */
export function regionOnPage(placement: Placement, region: VisualRect): VisualRect {
  return { x: placement.visual.x + region.x, y: placement.visual.y + region.y, width: region.width, height: region.height };
}

/** Points in one millimetre. */
export const PT_PER_MM = 72 / 25.4;
