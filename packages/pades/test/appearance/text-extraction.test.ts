import { describe, expect, it } from 'vitest';
import { buildAppearance, placeByRect, type AppearanceTemplate } from '../../src/appearance/index.js';
import { FONTS } from './helpers/assets.js';
import { popplerOn } from './helpers/images.js';
import { blankPdf, withAppearance } from './helpers/place.js';

// Every Vietnamese vowel with every tone (none, huyền, sắc, hỏi, ngã, nặng), in both cases, and đ/Đ.
const VOWELS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
const TONES = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
const LETTERS = VOWELS.flatMap((v) => TONES.map((t) => (v.normalize('NFD') + t).normalize('NFC')));
const LINES = [
  ...Array.from({ length: 6 }, (_, i) => LETTERS.slice(i * 12, i * 12 + 12).join(' ')),
  ...Array.from({ length: 6 }, (_, i) => LETTERS.slice(i * 12, i * 12 + 12).join(' ').toLocaleUpperCase('vi')),
  'đ Đ — Người ký: Nguyễn Văn Ắng, Ủy ban nhân dân tỉnh Bắc Ninh',
  'Thời gian ký: 04/12/2026 10:38:09 +07:00; Số: 15/QĐ-UBND',
];

function template(lines: readonly string[], font = 'regular'): AppearanceTemplate {
  return {
    kyso: 'appearance-template/1',
    name: 'test',
    size: { width: 380, height: 280 },
    elements: [{ type: 'text', box: { x: 0, y: 0, width: 1, height: 1 }, lines: lines.map((l) => l.replace(/\{/g, '{{').replace(/\}/g, '}}')), font, size: 11, minSize: 6, lineHeight: 1.4 }],
  };
}

async function pdfWith(lines: readonly string[], font = 'regular') {
  const base = await blankPdf(400, 300);
  const placement = placeByRect({ mediaBox: [0, 0, 400, 300] }, { page: 1, x: 10, y: 10, width: 380, height: 280 });
  const ap = await buildAppearance(template(lines, font), {}, { ...placement, fonts: FONTS });
  return { bytes: withAppearance(base, placement, ap), ap };
}

function extractedLines(pdf: Uint8Array): string[] {
  return popplerOn('pdftotext', pdf, ['-layout'])
    .split('\n')
    .map((l) => l.trim().replace(/ {2,}/g, ' '))
    .filter((l) => l.length > 0);
}

describe('Vietnamese text in appearances', () => {
  expect(LETTERS).toHaveLength(72);

  it('pdftotext gives back exactly the NFC text written (every vowel with every tone, both cases)', async () => {
    const { bytes, ap } = await pdfWith(LINES);
    expect(ap.texts[0]!.wrapped).toBe(false);
    expect(extractedLines(bytes)).toEqual(LINES);
  });

  it('NFD input gives the same NFC text and the same glyphs', async () => {
    const nfd = LINES.map((l) => l.normalize('NFD'));
    expect(nfd.join('')).not.toBe(LINES.join(''));
    const a = await pdfWith(LINES);
    const b = await pdfWith(nfd);
    expect(extractedLines(b.bytes)).toEqual(LINES);
    expect(b.ap.content).toBe(a.ap.content);
  });

  it('bold and italic text round-trips too', async () => {
    for (const font of ['bold', 'italic']) {
      const { bytes } = await pdfWith(LINES.slice(0, 3), font);
      expect(extractedLines(bytes), font).toEqual(LINES.slice(0, 3));
    }
  });

  it('pdffonts shows each appearance font embedded, subset (ABCDEF+ name) and with a ToUnicode map', async () => {
    const { bytes } = await pdfWith(LINES);
    const rows = popplerOn('pdffonts', bytes).split('\n').slice(2).filter((l) => l.trim());
    expect(rows).toHaveLength(1);
    const [name, ...rest] = rows[0]!.trim().split(/\s+/);
    expect(name).toMatch(/^[A-Z]{6}\+Tinos$/);
    // type "CID TrueType", encoding "Identity-H", then emb sub uni
    expect(rest.slice(3, 6)).toEqual(['yes', 'yes', 'yes']);
  });

  it('the subset is small: only the glyphs used', async () => {
    const { ap } = await pdfWith(['Người ký']);
    const total = ap.graph.objects.reduce((n, o) => n + (o.stream?.length ?? 0), 0);
    expect(total).toBeLessThan(40_000); // the whole Tinos-Regular.ttf is 535 KB
  });

  it('the same input gives the same objects (subset tag derived from the text, no random suffix)', async () => {
    const a = await pdfWith(['Người ký: Nguyễn Văn Ắng']);
    const b = await pdfWith(['Người ký: Nguyễn Văn Ắng']);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
  });
});

describe('text never leaves its box (checked on the rendered page with pdftotext -bbox)', () => {
  it('a long agency name in a small box shrinks, wraps, and every word stays inside the widget rectangle', async () => {
    const base = await blankPdf(400, 300);
    const placement = placeByRect({ mediaBox: [0, 0, 400, 300] }, { page: 1, x: 50, y: 100, width: 120, height: 40 });
    const t: AppearanceTemplate = {
      kyso: 'appearance-template/1',
      name: 'narrow',
      size: { width: 120, height: 40 },
      elements: [{ type: 'text', id: 'details', box: { x: 0, y: 0, width: 1, height: 1 }, lines: ['Cơ quan: {agency}', 'Thời gian ký: {signingTime}'], size: 10, minSize: 6 }],
    };
    const agency = 'Trung tâm Công nghệ thông tin và Truyền thông thuộc Sở Khoa học và Công nghệ tỉnh Bắc Ninh';
    const ap = await buildAppearance(t, { agency, signingTime: new Date('2026-12-04T03:38:09Z') }, { ...placement, fonts: FONTS });
    const drawn = ap.texts[0]!;
    expect(drawn.wrapped).toBe(true);
    expect(drawn.size).toBeLessThan(10);
    const bytes = withAppearance(base, placement, ap);
    const html = popplerOn('pdftotext', bytes, ['-bbox']);
    const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)];
    expect(words.map((w) => w[5]).join(' ')).toBe(`Cơ quan: ${agency} Thời gian ký: 04/12/2026 10:38:09 +07:00`);
    // the rectangle in pdftotext's top-left coordinates
    const [x1, y1, x2, y2] = placement.rect;
    for (const w of words) {
      const [xMin, yMin, xMax, yMax] = w.slice(1, 5).map(Number) as [number, number, number, number];
      expect(xMin, w[5]).toBeGreaterThanOrEqual(x1 - 0.5);
      expect(xMax, w[5]).toBeLessThanOrEqual(x2 + 0.5);
      expect(yMin, w[5]).toBeGreaterThanOrEqual(300 - y2 - 0.5);
      expect(yMax, w[5]).toBeLessThanOrEqual(300 - y1 + 0.5);
    }
  });

  it('text too long even at 1 pt is left out with a warning, never drawn outside', async () => {
    const t: AppearanceTemplate = {
      kyso: 'appearance-template/1',
      name: 'tiny',
      size: { width: 10, height: 3 },
      elements: [{ type: 'text', box: { x: 0, y: 0, width: 1, height: 1 }, lines: ['{agency}'], size: 10, minSize: 6 }],
    };
    const ap = await buildAppearance(t, { agency: 'Ủy ban nhân dân tỉnh Bắc Ninh '.repeat(5) }, { width: 10, height: 3, fonts: FONTS });
    expect(ap.text).toEqual([]);
    expect(ap.warnings.join('\n')).toMatch(/does not fit/);
  });
});
