import { AppearanceError } from './errors.js';
import { userToVisualRect } from './geometry.js';
import type { PageGeometry, PdfRect, VisualRect } from './geometry.js';

/**
 * The part of pdf.js (pdfjs-dist) the anchor search uses. By default the legacy build
 * (`pdfjs-dist/legacy/build/pdf.mjs`, which runs in Node) is imported on first use; a browser
 * app may pass its own `pdfjs` module, with `GlobalWorkerOptions.workerSrc` set as pdf.js asks.
 */
export interface PdfjsLike {
  getDocument(src: { data: Uint8Array; verbosity?: number; isEvalSupported?: boolean; useSystemFonts?: boolean; disableFontFace?: boolean }): {
    promise: Promise<PdfjsDocument>;
  };
}
interface PdfjsDocument {
  numPages: number;
  getPage(n: number): Promise<PdfjsPage>;
  destroy(): Promise<void>;
}
interface PdfjsPage {
  view: number[];
  rotate: number;
  getTextContent(): Promise<{ items: unknown[] }>;
}
interface PdfjsTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

/** Options of {@link findAnchor}. */
export interface FindAnchorOptions {
  /** Search only this 1-based page; default every page in order. */
  readonly page?: number;
  /** Which match to take: 1 = the first (default), 2 = the second, …, or `'last'`. */
  readonly occurrence?: number | 'last';
  /** Compare without regard to case (Vietnamese-aware). Default false. */
  readonly ignoreCase?: boolean;
  /** A pdf.js module to use instead of the default import (see {@link PdfjsLike}). */
  readonly pdfjs?: PdfjsLike;
}

/** Where an anchor text was found. */
export interface AnchorMatch {
  /** 1-based page number. */
  readonly page: number;
  /** The text's box in default user space (approximate: baseline −20 % to +80 % of the font size). */
  readonly rect: PdfRect;
  /** The same box as the reader sees the page (see `VisualRect`). */
  readonly visual: VisualRect;
  /** The page's visible box and /Rotate as pdf.js reads them. */
  readonly geometry: PageGeometry;
  /** The text as found on the page. */
  readonly text: string;
}

let defaultPdfjs: Promise<PdfjsLike> | undefined;

function loadPdfjs(): Promise<PdfjsLike> {
  defaultPdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs') as unknown as Promise<PdfjsLike>;
  return defaultPdfjs;
}

interface Glyph {
  ch: string;
  item: number;
  /** Where the char starts and ends along its run, as fractions of the run's width. */
  from: number;
  to: number;
}

// Advance widths (1/1000 em) of ASCII 32..126 in Times-Roman metrics (as Tinos and Liberation
// Serif), to split a pdf.js text run into chars better than evenly; other fonts come close.
const TIMES_WIDTHS = [
  250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
  921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
  333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

/** Estimated relative width of a char: its base letter's Times width (Vietnamese marks add none). */
function charWidth(ch: string): number {
  if (ch === 'đ') return 500;
  if (ch === 'Đ') return 722;
  const base = ch.normalize('NFD').codePointAt(0) ?? 0x20;
  return base >= 32 && base < 127 ? TIMES_WIDTHS[base - 32]! : 500;
}

function fold(s: string, ignoreCase: boolean): string {
  const n = s.normalize('NFC');
  return ignoreCase ? n.toLocaleLowerCase('vi') : n;
}

/**
 * Finds `text` on the pages of `pdf` with pdf.js and returns the first match (or the
 * `occurrence`-th). Matching is on NFC text with all white space ignored, so a phrase split
 * over several text runs or lines still matches ("TM. ỦY BAN NHÂN DÂN", "{{ky_so}}").
 * Throws {@link AppearanceError} `ANCHOR_NOT_FOUND` when it does not occur.
 *
 * The document bytes are copied for pdf.js (which may detach the buffer it is given).
 */
export async function findAnchor(pdf: Uint8Array, text: string, options: FindAnchorOptions = {}): Promise<AnchorMatch> {
  const all = await findAnchors(pdf, text, options);
  const occ = options.occurrence ?? 1;
  const m = occ === 'last' ? all[all.length - 1] : all[occ - 1];
  if (!m) {
    const where = options.page ? `page ${options.page}` : 'any page';
    const which = all.length > 0 ? ` (found ${all.length} time(s), asked for occurrence ${String(occ)})` : '';
    throw new AppearanceError(
      'ANCHOR_NOT_FOUND',
      `The anchor text ${JSON.stringify(text)} was not found on ${where}${which}; check its spelling on the page, or place the signature with a rectangle (--visible PAGE,X,Y,W,H).`,
    );
  }
  return m;
}

/** Every match of `text` (see {@link findAnchor}), in page and reading order; an empty array when none. */
export async function findAnchors(pdf: Uint8Array, text: string, options: Omit<FindAnchorOptions, 'occurrence'> = {}): Promise<AnchorMatch[]> {
  const ignoreCase = options.ignoreCase ?? false;
  const needle = [...fold(text, ignoreCase)].filter((c) => !/\s/u.test(c)).join('');
  if (!needle) throw new AppearanceError('ANCHOR_NOT_FOUND', 'The anchor text is empty; give the text to look for, e.g. "{{ky_so}}".');
  const pdfjs = options.pdfjs ?? (await loadPdfjs());
  const doc = await pdfjs.getDocument({ data: pdf.slice(), verbosity: 0, isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    if (options.page !== undefined && (!Number.isInteger(options.page) || options.page < 1 || options.page > doc.numPages)) {
      throw new AppearanceError('PAGE_NOT_FOUND', `Page ${options.page} does not exist: the document has ${doc.numPages} page(s), numbered from 1.`);
    }
    const pages = options.page ? [options.page] : Array.from({ length: doc.numPages }, (_, i) => i + 1);
    const out: AnchorMatch[] = [];
    for (const p of pages) {
      const page = await doc.getPage(p);
      const view = page.view;
      const geometry: PageGeometry = { mediaBox: [view[0]!, view[1]!, view[2]!, view[3]!], rotate: page.rotate };
      const items = (await page.getTextContent()).items.filter((i): i is PdfjsTextItem => typeof (i as PdfjsTextItem).str === 'string');
      const glyphs: Glyph[] = [];
      items.forEach((it, idx) => {
        const chars = [...it.str.normalize('NFC')];
        const widths = chars.map(charWidth);
        const total = widths.reduce((a, b) => a + b, 0) || 1;
        let acc = 0;
        chars.forEach((c, pos) => {
          const from = acc / total;
          acc += widths[pos]!;
          const f = fold(c, ignoreCase);
          if (/\s/u.test(f)) return;
          for (const ch of f) glyphs.push({ ch, item: idx, from, to: acc / total });
        });
      });
      const hay = glyphs.map((g) => g.ch).join('');
      // glyphs and hay chars match one to one only for BMP chars; map via code unit offsets
      const unitToGlyph: number[] = [];
      glyphs.forEach((g, gi) => {
        for (let k = 0; k < g.ch.length; k++) unitToGlyph.push(gi);
      });
      let from = 0;
      for (;;) {
        const at = hay.indexOf(needle, from);
        if (at < 0) break;
        const first = unitToGlyph[at]!;
        const last = unitToGlyph[at + needle.length - 1]!;
        const rect = boxOf(glyphs.slice(first, last + 1), items);
        out.push({
          page: p,
          rect,
          visual: userToVisualRect(geometry, rect),
          geometry,
          text: items
            .slice(glyphs[first]!.item, glyphs[last]!.item + 1)
            .map((i) => i.str)
            .join(''),
        });
        from = at + needle.length;
      }
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

/** The union of the boxes of matched chars, each estimated along its run's baseline. */
function boxOf(glyphs: readonly Glyph[], items: readonly PdfjsTextItem[]): PdfRect {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const g of glyphs) {
    const it = items[g.item]!;
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = it.transform;
    // Unit vectors along the baseline and up the glyphs, in user space.
    const along = Math.hypot(a, b) || 1;
    const up = Math.hypot(c, d) || 1;
    const ux = a / along;
    const uy = b / along;
    const vx = c / up;
    const vy = d / up;
    const h = it.height || up;
    const s = it.width * g.from;
    const t = it.width * g.to;
    for (const [p, q] of [
      [s, -0.2 * h],
      [t, -0.2 * h],
      [s, 0.8 * h],
      [t, 0.8 * h],
    ] as const) {
      const x = e + ux * p + vx * q;
      const y = f + uy * p + vy * q;
      x1 = Math.min(x1, x);
      y1 = Math.min(y1, y);
      x2 = Math.max(x2, x);
      y2 = Math.max(y2, y);
    }
  }
  return [x1, y1, x2, y2];
}
