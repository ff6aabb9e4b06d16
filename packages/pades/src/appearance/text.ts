import { formatVietnamTime } from '@kyso/core';
import { parseLine } from './template.js';

/** The three kinds of copy of Decree 30/2020 Article 25: sao y, sao lục, trích sao. */
export const COPY_TYPES: readonly string[] = Object.freeze(['SAO Y', 'SAO LỤC', 'TRÍCH SAO']);

/**
 * What the `{placeholders}` of a template are filled with (see `PLACEHOLDERS`), and the images
 * it draws. Text may be NFC or NFD: it is normalised to NFC before it is drawn.
 */
export interface AppearanceData {
  /** The signer's full name ("Người ký"), e.g. "Nguyễn Văn Ắng". */
  readonly signerName?: string;
  /** The signer's position ("Chức vụ"), e.g. "Chủ tịch". */
  readonly title?: string;
  /** The agency ("Cơ quan"), e.g. "Ủy ban nhân dân tỉnh Bắc Ninh". */
  readonly agency?: string;
  /** The signing time, shown in Vietnam time (+07:00); use the same instant as the signature's /M. */
  readonly signingTime?: Date;
  /** Number and symbol of the document, e.g. "15/QĐ-UBND". */
  readonly docNumber?: string;
  /** SAO Y, SAO LỤC or TRÍCH SAO (see {@link COPY_TYPES}). */
  readonly copyType?: string;
  /** The copying agency; defaults to `agency`. */
  readonly copyAgency?: string;
  readonly location?: string;
  readonly reason?: string;
  /** Values for `{fields.NAME}` placeholders. */
  readonly fields?: Readonly<Record<string, string>>;
  /**
   * Images by key: `signature` (the handwritten signature, a PNG with transparency), `seal`
   * (the red seal, a PNG with transparency), or keys a custom template uses. PNG or JPEG bytes.
   */
  readonly images?: Readonly<Record<string, Uint8Array | undefined>>;
}

/** Text in Unicode NFC: precomposed Vietnamese letters, which the embedded font draws as single glyphs. */
export function nfc(text: string): string {
  return text.normalize('NFC');
}

function placeholderValue(name: string, pattern: string | undefined, data: AppearanceData, timeFormat: string): string {
  switch (name) {
    case 'signingTime':
      return data.signingTime ? formatVietnamTime(data.signingTime, pattern ?? timeFormat) : '';
    case 'copyAgency':
      return data.copyAgency ?? data.agency ?? '';
    case 'signerName':
    case 'title':
    case 'agency':
    case 'docNumber':
    case 'copyType':
    case 'location':
    case 'reason':
      return data[name] ?? '';
    default:
      return name.startsWith('fields.') ? (data.fields?.[name.slice(7)] ?? '') : '';
  }
}

/**
 * Fills the placeholders of template lines. A line with placeholders that all came out empty is
 * dropped; the result is NFC, with runs of white space collapsed and `transform` applied.
 */
export function resolveLines(
  lines: readonly string[],
  data: AppearanceData,
  options: { timeFormat?: string; transform?: 'none' | 'uppercase' | 'lowercase' } = {},
): string[] {
  const timeFormat = options.timeFormat ?? 'dd/MM/yyyy HH:mm:ss +07:00';
  const out: string[] = [];
  for (const line of lines) {
    const parts = parseLine(line);
    let text = '';
    let placeholders = 0;
    let filled = 0;
    for (const p of parts) {
      if (typeof p === 'string') text += p;
      else {
        placeholders++;
        const v = nfc(placeholderValue(p.name, p.pattern, data, timeFormat)).trim();
        if (v) filled++;
        text += v;
      }
    }
    if (placeholders > 0 && filled === 0) continue;
    text = nfc(text).replace(/\s+/g, ' ').trim();
    if (options.transform === 'uppercase') text = text.toLocaleUpperCase('vi');
    else if (options.transform === 'lowercase') text = text.toLocaleLowerCase('vi');
    out.push(text);
  }
  return out;
}

/** How wide text is and how tall the font is: `width(text)` at 1 pt; ascent/descent per 1 pt. */
export interface TextMeasure {
  width(text: string): number;
  /** Height above the baseline, per point of size (positive). */
  readonly ascent: number;
  /** Depth below the baseline, per point of size (negative). */
  readonly descent: number;
}

/** The result of {@link fitText}: the size used and the lines after wrapping. */
export interface FittedText {
  readonly size: number;
  readonly lines: readonly string[];
  /** True when a line had to be broken. */
  readonly wrapped: boolean;
  /** True when even wrapped text needed a size below `minSize` (the build warns). */
  readonly belowMinSize: boolean;
  /** Height of the block of lines, in points. */
  readonly height: number;
}

/** Height of `n` lines at `size`: the first line's ascent, the line gaps, the last line's descent. */
export function blockHeight(n: number, size: number, lineHeight: number, m: TextMeasure): number {
  if (n === 0) return 0;
  return (n - 1) * size * lineHeight + (m.ascent - m.descent) * size;
}

const STEP = 0.25;

/**
 * Lays lines out in a `width` × `height` box, in this order of preference:
 * 1. the largest size in [minSize, size] at which every line fits unbroken (shrink);
 * 2. the largest size in [minSize, size] at which the lines, broken at spaces (and inside words
 *    longer than the box), fit (wrap);
 * 3. smaller than minSize, wrapped, down to 1 pt, with `belowMinSize` set.
 * The text never leaves the box.
 */
export function fitText(
  lines: readonly string[],
  box: { readonly width: number; readonly height: number },
  m: TextMeasure,
  opts: { readonly size: number; readonly minSize: number; readonly lineHeight: number },
): FittedText {
  const n = lines.length;
  if (n === 0) return { size: opts.size, lines: [], wrapped: false, belowMinSize: false, height: 0 };
  const unitWidths = lines.map((l) => m.width(l));
  const byWidth = Math.min(...unitWidths.map((w) => (w > 0 ? box.width / w : Infinity)));
  const byHeight = box.height / blockHeight(n, 1, opts.lineHeight, m);
  const unbroken = floorTo(Math.min(opts.size, byWidth, byHeight), 0.01);
  if (unbroken >= opts.minSize) {
    return { size: unbroken, lines: [...lines], wrapped: false, belowMinSize: false, height: blockHeight(n, unbroken, opts.lineHeight, m) };
  }
  const tryWrapped = (size: number): FittedText | undefined => {
    const wrapped = lines.flatMap((l) => wrapLine(l, box.width / size, m));
    const h = blockHeight(wrapped.length, size, opts.lineHeight, m);
    if (h > box.height + 1e-6) return undefined;
    return { size, lines: wrapped, wrapped: wrapped.length > n, belowMinSize: size < opts.minSize, height: h };
  };
  for (let s = opts.size; s >= opts.minSize - 1e-9; s -= STEP) {
    const r = tryWrapped(floorTo(s, 0.01));
    if (r) return r;
  }
  for (let s = floorTo(opts.minSize - STEP, STEP); s >= 1; s -= STEP) {
    const r = tryWrapped(s);
    if (r) return r;
  }
  // A box too small for any text at 1 pt: draw nothing rather than spill.
  return { size: 1, lines: [], wrapped: true, belowMinSize: true, height: 0 };
}

function floorTo(v: number, step: number): number {
  return Math.floor(v / step + 1e-9) * step;
}

/** Breaks one line into lines no wider than `maxWidth` (in 1-pt units): at spaces, else inside a word. */
export function wrapLine(line: string, maxWidth: number, m: TextMeasure): string[] {
  const words = line.split(' ').filter((w) => w.length > 0);
  const out: string[] = [];
  let cur = '';
  for (const word of words) {
    const candidate = cur ? `${cur} ${word}` : word;
    if (m.width(candidate) <= maxWidth) {
      cur = candidate;
      continue;
    }
    if (cur) out.push(cur);
    cur = '';
    if (m.width(word) <= maxWidth) {
      cur = word;
      continue;
    }
    // A word longer than the box: break between characters, never before a combining mark.
    let piece = '';
    for (const ch of clusters(word)) {
      if (piece && m.width(piece + ch) > maxWidth) {
        out.push(piece);
        piece = '';
      }
      piece += ch;
    }
    cur = piece;
  }
  if (cur) out.push(cur);
  return out;
}

/** Characters with their combining marks attached (enough for NFC Vietnamese). */
function clusters(s: string): string[] {
  const out: string[] = [];
  for (const ch of s) {
    if (out.length > 0 && /\p{M}/u.test(ch)) out[out.length - 1] += ch;
    else out.push(ch);
  }
  return out;
}
