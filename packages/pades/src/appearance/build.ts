import { AppearanceError } from './errors.js';
import { appearanceMatrix, normalizeRotation, PT_PER_MM } from './geometry.js';
import type { PdfMatrix, Rotation, VisualRect } from './geometry.js';
import { imageInfo } from './image-info.js';
import type { PortableGraph, PortableObject, PortableValue } from './portable.js';
import { formatNumber } from './portable.js';
import type { AppearanceTemplate, HorizontalAlign, TemplateBox, TemplateImage, TemplateText, VerticalAlign } from './template.js';
import type { AppearanceData, FittedText, TextMeasure } from './text.js';
import { fitText, resolveLines } from './text.js';

/**
 * Font files by the key templates use: `regular`, `bold`, `italic`, or a caller's own keys.
 * TrueType/OpenType bytes. kyso ships Tinos (metric-compatible with Times New Roman, full
 * Vietnamese, SIL OFL 1.1) in `@kyso/pades/assets/fonts/`: in Node load it with
 * `loadDefaultFonts()` from the appearance `node` helper; in a browser fetch the three TTFs
 * (e.g. `new URL('@kyso/pades/assets/fonts/Tinos-Regular.ttf', import.meta.url)` with a bundler)
 * and pass their bytes.
 */
export type AppearanceFonts = Readonly<Record<string, Uint8Array | undefined>>;

/** Options of {@link buildAppearance}. A {@link Placement} can be spread in for width/height/rotate. */
export interface BuildAppearanceOptions {
  /** Upright width of the appearance in points (what the reader sees). */
  readonly width: number;
  /** Upright height in points. */
  readonly height: number;
  /** The page's /Rotate; the appearance's /Matrix turns it to read upright. Default 0. */
  readonly rotate?: number;
  /** Font bytes by key (see {@link AppearanceFonts}). */
  readonly fonts: AppearanceFonts;
  /** Ids of template elements to leave out, e.g. `['details']` for the image alone. */
  readonly hide?: readonly string[];
  /** Physical image widths in mm by image key, overriding the template (e.g. `{ seal: 40 }`). */
  readonly realWidthMm?: Readonly<Record<string, number>>;
}

/** A drawn text block: its box, the lines after wrapping and the size used. */
export interface DrawnText {
  readonly id: string | undefined;
  readonly box: VisualRect;
  readonly lines: readonly string[];
  readonly size: number;
  readonly wrapped: boolean;
}

/**
 * An appearance ready to be copied into a document: the Form XObject and everything it uses
 * (subset fonts with ToUnicode, images with their SMask) as a {@link PortableGraph}.
 * Copy it with `serializeGraph(appearance.graph, numbers)` (raw object bodies) and set the
 * widget's `/AP << /N ref >>` to the object numbered `numbers[graph.root]`.
 */
export interface BuiltAppearance {
  readonly template: string;
  readonly width: number;
  readonly height: number;
  readonly rotate: Rotation;
  /** The /BBox of the form: `[0 0 width height]`. */
  readonly bbox: readonly [number, number, number, number];
  /** The form's /Matrix (see `appearanceMatrix`). */
  readonly matrix: PdfMatrix;
  readonly graph: PortableGraph;
  /** Where each image was drawn, by element id (or image key), bottom-left origin in the appearance. */
  readonly images: Readonly<Record<string, VisualRect>>;
  readonly texts: readonly DrawnText[];
  /** Every line of text drawn, in order (NFC): what text extraction gives back. */
  readonly text: readonly string[];
  /** Things the caller may want to know: text shrunk below its minimum, an image shrunk below its real size. */
  readonly warnings: readonly string[];
  /** The content stream of the form (uncompressed), for tests and debugging. */
  readonly content: string;
}

type PdfLib = typeof import('pdf-lib');

let pdfLibPromise: Promise<{ pl: PdfLib; fontkit: unknown }> | undefined;

/** pdf-lib and fontkit, loaded on first use (importing pdf-lib costs ~150 ms: FIELD-NOTES.md). */
function loadPdfLib(): Promise<{ pl: PdfLib; fontkit: unknown }> {
  pdfLibPromise ??= Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit')]).then(([pl, fk]) => ({
    pl,
    fontkit: (fk as { default?: unknown }).default ?? fk,
  }));
  return pdfLibPromise;
}

const f = formatNumber;

/** A text string in UTF-16BE with a byte order mark, as a hex string (ISO 32000-2 §7.9.2.2). */
function utf16Hex(text: string): string {
  let h = '<FEFF';
  for (let i = 0; i < text.length; i++) h += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return h + '>';
}

function hexColor(c: string | undefined): [number, number, number] {
  const v = c ?? '#000000';
  return [1, 3, 5].map((i) => Math.round((parseInt(v.slice(i, i + 2), 16) / 255) * 1000) / 1000) as [number, number, number];
}

/** A template box in appearance coordinates (bottom-left origin, points). */
function boxToRect(b: TemplateBox, W: number, H: number): VisualRect {
  const pt = b.unit === 'pt';
  const x = pt ? b.x : b.x * W;
  const yTop = pt ? b.y : b.y * H;
  const w = Math.min(pt ? b.width : b.width * W, W - x);
  const h = Math.min(pt ? b.height : b.height * H, H - yTop);
  return { x, y: H - yTop - h, width: Math.max(0, w), height: Math.max(0, h) };
}

function alignIn(outer: VisualRect, w: number, h: number, align: HorizontalAlign = 'center', valign: VerticalAlign = 'middle'): VisualRect {
  const x = align === 'left' ? outer.x : align === 'right' ? outer.x + outer.width - w : outer.x + (outer.width - w) / 2;
  const y = valign === 'bottom' ? outer.y : valign === 'top' ? outer.y + outer.height - h : outer.y + (outer.height - h) / 2;
  return { x, y, width: w, height: h };
}

/** A 6-letter subset tag (ISO 32000-2 §9.9.2) derived from the glyphs used, so output is reproducible. */
function subsetTag(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  let tag = '';
  for (let i = 0; i < 6; i++) {
    const src = i < 3 ? h1 : h2;
    tag += String.fromCharCode(65 + (Math.floor(src / 26 ** (i % 3)) % 26));
  }
  return tag;
}

/**
 * Text width as the sum of its words' widths and its spaces, each word laid out once: fitting
 * text measures the same words many times, and a fontkit layout per call is slow. Same result
 * as measuring the whole line, since Tinos has no substitution or kerning across a space.
 */
function wordCachedWidth(measure: (s: string) => number): (s: string) => number {
  const cache = new Map<string, number>();
  const word = (w: string) => {
    let v = cache.get(w);
    if (v === undefined) {
      v = measure(w);
      cache.set(w, v);
    }
    return v;
  };
  return (s: string) => {
    let total = 0;
    const parts = s.split(' ');
    for (const p of parts) if (p) total += word(p);
    return total + (parts.length - 1) * word(' ');
  };
}

interface FontMetrics {
  postscriptName: string;
  ascent: number;
  descent: number;
}

function fontMetrics(fontkit: unknown, bytes: Uint8Array, key: string): FontMetrics {
  let font: {
    postscriptName: string | null;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    'OS/2'?: { winAscent?: number; winDescent?: number; typoAscender?: number; typoDescender?: number };
  };
  try {
    font = (fontkit as { create(b: Uint8Array): typeof font }).create(bytes);
  } catch (e) {
    throw new AppearanceError('MISSING_FONT', `The font "${key}" is not a TrueType/OpenType font fontkit can read; pass the bytes of a .ttf or .otf file.`, { cause: e });
  }
  const upm = font.unitsPerEm || 1000;
  const os2 = font['OS/2'];
  // The largest of hhea and OS/2 extents, so stacked Vietnamese marks (Ắ, Ễ) stay inside the box.
  const ascent = Math.max(font.ascent, os2?.winAscent ?? 0, os2?.typoAscender ?? 0) / upm;
  const descent = Math.min(font.descent, -(os2?.winDescent ?? 0), os2?.typoDescender ?? 0) / upm;
  const postscriptName = (font.postscriptName ?? key).replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '');
  return { postscriptName, ascent, descent };
}

/**
 * Draws `template` with `data` as a Form XObject of `width` × `height` points (upright), turned
 * for a page with /Rotate `rotate`. Fonts are embedded as subsets with a ToUnicode CMap (text
 * extraction gives back exactly the NFC text drawn); PNG images keep their transparency as an
 * SMask. pdf-lib only draws here: nothing is saved with it (DESIGN.md decision 1).
 *
 * @example
 * ```ts
 * import { loadDefaultFonts } from '@kyso/pades/node';
 * const placement = placeByRect(geometry, { page: 1, x: 320, y: 180, width: 230, height: 72 });
 * const ap = await buildAppearance(APPROVAL_TEMPLATE,
 *   { signerName: 'Nguyễn Văn Ắng', agency: 'UBND tỉnh Bắc Ninh', title: 'Chủ tịch',
 *     signingTime: new Date(), images: { signature: pngBytes } },
 *   { ...placement, fonts: await loadDefaultFonts() });
 * ```
 */
export async function buildAppearance(template: AppearanceTemplate, data: AppearanceData, options: BuildAppearanceOptions): Promise<BuiltAppearance> {
  const W = options.width;
  const H = options.height;
  if (!(W > 0 && H > 0) || !Number.isFinite(W) || !Number.isFinite(H)) {
    throw new AppearanceError('BAD_PLACEMENT', `An appearance needs a positive width and height, not ${W} × ${H}.`);
  }
  const rotate = normalizeRotation(options.rotate);
  const hidden = new Set(options.hide ?? []);
  const elements = template.elements.filter((e) => e.id === undefined || !hidden.has(e.id));
  const warnings: string[] = [];

  // 1. Texts first: the characters decide the subset tags, which pdf-lib needs at embedding time.
  const texts = elements
    .filter((e): e is TemplateText => e.type === 'text')
    .map((e) => ({
      el: e,
      lines: resolveLines(e.lines, data, {
        ...(template.timeFormat !== undefined ? { timeFormat: template.timeFormat } : {}),
        ...(e.transform !== undefined ? { transform: e.transform } : {}),
      }),
    }))
    .filter((t) => t.lines.length > 0);
  const charsByFont = new Map<string, Set<string>>();
  for (const t of texts) {
    const key = t.el.font ?? 'regular';
    const set = charsByFont.get(key) ?? new Set<string>();
    for (const l of t.lines) for (const ch of l) set.add(ch);
    charsByFont.set(key, set);
  }
  for (const key of charsByFont.keys()) {
    if (!options.fonts[key]) {
      throw new AppearanceError(
        'MISSING_FONT',
        `Template "${template.name}" uses font "${key}" but no bytes were given for it: pass fonts: { ${key}: … } (in Node, loadDefaultFonts() gives regular, bold and italic Tinos).`,
      );
    }
  }
  const images = elements.filter((e): e is TemplateImage => e.type === 'image');
  const imageBytes = new Map<TemplateImage, Uint8Array>();
  for (const e of images) {
    const b = data.images?.[e.image];
    if (b) imageBytes.set(e, b);
    else if (e.required !== false) {
      throw new AppearanceError('MISSING_IMAGE', `Template "${template.name}" draws the image "${e.image}" but data.images.${e.image} is missing: pass the PNG bytes (with a transparent background).`);
    }
  }

  const { pl, fontkit } = await loadPdfLib();
  const doc = await pl.PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit as Parameters<typeof doc.registerFontkit>[0]);
  const ctx = doc.context;

  // 2. Fonts, as subsets named TAG+PostScriptName (ISO 32000-2 §9.9.2).
  const fonts = new Map<string, { font: import('pdf-lib').PDFFont; res: string; measure: TextMeasure }>();
  let fi = 0;
  for (const [key, chars] of charsByFont) {
    const bytes = options.fonts[key]!;
    const m = fontMetrics(fontkit, bytes, key);
    const tag = subsetTag(`${key}:${m.postscriptName}:${bytes.length}:${[...chars].sort().join('')}`);
    const font = await doc.embedFont(bytes, { subset: true, customName: `${tag}+${m.postscriptName}` });
    fonts.set(key, {
      font,
      res: `F${fi++}`,
      measure: { width: wordCachedWidth((s) => font.widthOfTextAtSize(s, 1)), ascent: m.ascent, descent: m.descent },
    });
  }

  const ops: string[] = [];
  const bg = template.background;
  if (bg) ops.push(`${hexColor(bg).map(f).join(' ')} rg`, `0 0 ${f(W)} ${f(H)} re f`);

  // 3. Elements in template order: images, text blocks (shrink, then wrap, never spill), rectangles.
  const xobjects: [string, import('pdf-lib').PDFImage][] = [];
  const drawnImages: Record<string, VisualRect> = {};
  const drawnTexts: DrawnText[] = [];
  const allLines: string[] = [];
  const resolved = new Map(texts.map((t) => [t.el, t.lines] as const));
  let ii = 0;
  for (const e of elements) {
    if (e.type === 'rect') {
      const r = boxToRect(e.box, W, H);
      if (e.fill) ops.push(`${hexColor(e.fill).map(f).join(' ')} rg`, `${f(r.x)} ${f(r.y)} ${f(r.width)} ${f(r.height)} re f`);
      if (e.stroke) {
        const lw = e.lineWidth ?? 0.5;
        ops.push(`${hexColor(e.stroke).map(f).join(' ')} RG`, `${f(lw)} w`, `${f(r.x + lw / 2)} ${f(r.y + lw / 2)} ${f(r.width - lw)} ${f(r.height - lw)} re S`);
      }
      continue;
    }
    if (e.type === 'image') {
      const bytes = imageBytes.get(e);
      if (!bytes) continue;
      const info = imageInfo(bytes, `image "${e.image}"`);
      let img: import('pdf-lib').PDFImage;
      try {
        img = info.format === 'png' ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
      } catch (err) {
        throw new AppearanceError('BAD_IMAGE', `The image "${e.image}" cannot be read (${(err as Error).message}); save it again as an 8-bit PNG.`, { cause: err });
      }
      const box = boxToRect(e.box, W, H);
      const aspect = info.height / info.width;
      let w: number;
      const fitW = Math.min(box.width, box.height / aspect);
      if ((e.fit ?? 'contain') === 'real-size') {
        const mm = options.realWidthMm?.[e.image] ?? e.realWidthMm ?? (info.pixelsPerMm ? info.width / info.pixelsPerMm : undefined);
        if (mm === undefined) {
          w = fitW;
          warnings.push(`image "${e.image}" has no real size (no realWidthMm and no PNG pHYs): scaled to its box`);
        } else {
          w = mm * PT_PER_MM;
          if (w > fitW + 1e-6) {
            warnings.push(`image "${e.image}" is ${f(mm)} mm wide but its box allows ${f(fitW / PT_PER_MM)} mm: shrunk`);
            w = fitW;
          }
        }
      } else w = fitW;
      const h = w * aspect;
      const r = alignIn(box, w, h, e.align, e.valign);
      const res = `Im${ii++}`;
      xobjects.push([res, img]);
      drawnImages[e.id ?? e.image] = r;
      ops.push('q', `${f(r.width)} 0 0 ${f(r.height)} ${f(r.x)} ${f(r.y)} cm`, `/${res} Do`, 'Q');
      continue;
    }
    const lines = resolved.get(e);
    if (!lines) continue;
    const { font, res, measure } = fonts.get(e.font ?? 'regular')!;
    const box = boxToRect(e.box, W, H);
    const pad = e.padding ?? 1;
    const inner = { x: box.x + pad, y: box.y + pad, width: Math.max(0, box.width - 2 * pad), height: Math.max(0, box.height - 2 * pad) };
    const size = e.size ?? 10;
    const lh = e.lineHeight ?? 1.2;
    const fit: FittedText = fitText(lines, inner, measure, { size, minSize: Math.min(e.minSize ?? size, size), lineHeight: lh });
    if (fit.belowMinSize) warnings.push(`text "${e.id ?? lines[0]}" needed ${f(fit.size)} pt, below its minimum ${f(e.minSize ?? size)} pt`);
    if (fit.lines.length === 0) {
      warnings.push(`text "${e.id ?? lines[0]}" does not fit its ${f(inner.width)} × ${f(inner.height)} pt box at 1 pt: left out`);
      continue;
    }
    const block = alignIn(inner, inner.width, fit.height, e.align ?? 'left', e.valign ?? 'top');
    let baseline = block.y + block.height - measure.ascent * fit.size;
    ops.push('BT', `/${res} ${f(fit.size)} Tf`, `${hexColor(e.color).map(f).join(' ')} rg`);
    for (const line of fit.lines) {
      const w = measure.width(line) * fit.size;
      const x = e.align === 'right' ? inner.x + inner.width - w : e.align === 'center' ? inner.x + (inner.width - w) / 2 : inner.x;
      // ActualText (ISO 32000-2 §14.9.4) makes extraction give back the line exactly, spaces included,
      // whatever a reader's word-break heuristics would guess from glyph gaps.
      ops.push(`/Span << /ActualText ${utf16Hex(line)} >> BDC`, `1 0 0 1 ${f(x)} ${f(baseline)} Tm`, `${font.encodeText(line).toString()} Tj`, 'EMC');
      baseline -= fit.size * lh;
    }
    ops.push('ET');
    allLines.push(...fit.lines);
    drawnTexts.push({ id: e.id, box: inner, lines: fit.lines, size: fit.size, wrapped: fit.wrapped });
  }

  if (template.border && template.border.width > 0) {
    const bw = template.border.width;
    ops.push(`${hexColor(template.border.color).map(f).join(' ')} RG`, `${f(bw)} w`, `${f(bw / 2)} ${f(bw / 2)} ${f(W - bw)} ${f(H - bw)} re S`);
  }

  // 5. The Form XObject (ISO 32000-2 §8.10) and everything it refers to.
  const content = ops.join('\n');
  const fontDict: Record<string, import('pdf-lib').PDFRef> = {};
  for (const { font, res } of fonts.values()) fontDict[res] = font.ref;
  const xoDict: Record<string, import('pdf-lib').PDFRef> = {};
  for (const [res, img] of xobjects) xoDict[res] = img.ref;
  const matrix = appearanceMatrix(rotate, W, H);
  const resources: Record<string, unknown> = {};
  if (fonts.size) resources['Font'] = fontDict;
  if (xobjects.length) resources['XObject'] = xoDict;
  const form = ctx.flateStream(content, {
    Type: 'XObject',
    Subtype: 'Form',
    FormType: 1,
    BBox: [0, 0, W, H],
    Matrix: [...matrix],
    Resources: resources as never,
  });
  const formRef = ctx.register(form);
  for (const { font } of fonts.values()) await font.embed();
  for (const [, img] of xobjects) await img.embed();

  return Object.freeze({
    template: template.name,
    width: W,
    height: H,
    rotate,
    bbox: Object.freeze([0, 0, W, H] as const),
    matrix,
    graph: toPortableGraph(pl, ctx, formRef),
    images: Object.freeze(drawnImages),
    texts: Object.freeze(drawnTexts),
    text: Object.freeze(allLines),
    warnings: Object.freeze(warnings),
    content,
  });
}

/** Copies the objects reachable from `root` out of a pdf-lib context, in local numbering. */
export function toPortableGraph(pl: PdfLib, ctx: import('pdf-lib').PDFContext, root: import('pdf-lib').PDFRef): PortableGraph {
  const objects: (PortableObject | undefined)[] = [];
  const index = new Map<string, number>();
  const visit = (ref: import('pdf-lib').PDFRef): number => {
    const known = index.get(ref.tag);
    if (known !== undefined) return known;
    const i = objects.length;
    index.set(ref.tag, i);
    objects.push(undefined);
    const obj = ctx.lookup(ref);
    if (obj instanceof pl.PDFStream) {
      const entries: [string, PortableValue][] = [];
      for (const [k, v] of obj.dict.entries()) if (k.decodeText() !== 'Length') entries.push([k.decodeText(), conv(v)]);
      objects[i] = { value: { kind: 'dict', entries }, stream: obj.getContents() };
    } else objects[i] = { value: obj === undefined ? null : conv(obj) };
    return i;
  };
  const conv = (o: import('pdf-lib').PDFObject): PortableValue => {
    if (o instanceof pl.PDFRef) return { kind: 'ref', index: visit(o) };
    if (o instanceof pl.PDFName) return { kind: 'name', value: o.decodeText() };
    if (o instanceof pl.PDFNumber) return o.asNumber();
    if (o instanceof pl.PDFBool) return o.asBoolean();
    if (o instanceof pl.PDFHexString) return { kind: 'string', bytes: o.asBytes(), hex: true };
    if (o instanceof pl.PDFString) return { kind: 'string', bytes: o.asBytes(), hex: false };
    if (o instanceof pl.PDFArray) return { kind: 'array', items: o.asArray().map(conv) };
    if (o instanceof pl.PDFDict) return { kind: 'dict', entries: o.entries().map(([k, v]) => [k.decodeText(), conv(v)] as const) };
    if (o === pl.PDFNull) return null;
    throw new TypeError(`unexpected pdf-lib object ${o.constructor.name} in an appearance`);
  };
  const rootIndex = visit(root);
  return Object.freeze({ objects: Object.freeze(objects as PortableObject[]), root: rootIndex });
}
