import { describe, expect, it } from 'vitest';
import { isKysoError } from '@kyso/core';
import { PDFDocument, degrees } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { findAnchor, findAnchors, placeNearAnchor, visibleSize } from '../../src/appearance/index.js';
import { FONTS } from './helpers/assets.js';
import { runScenario, scenarios } from './helpers/scenarios.js';

async function textPdf(runs: { text: string; x: number; y: number; size?: number }[], opts: { rotate?: number; pages?: number } = {}) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(FONTS.regular!, { subset: true });
  for (let p = 0; p < (opts.pages ?? 1); p++) {
    const page = doc.addPage([400, 300]);
    if (opts.rotate) page.setRotation(degrees(opts.rotate));
    for (const r of runs) page.drawText(r.text, { x: r.x, y: r.y, size: r.size ?? 12, font });
  }
  return doc.save({ useObjectStreams: false });
}

describe('findAnchor (pdf.js text positions)', () => {
  it('finds a placeholder and returns its box in user space and as displayed', async () => {
    const pdf = await textPdf([{ text: 'Ký số tại đây: {{ky_so}}', x: 50, y: 100 }]);
    const m = await findAnchor(pdf, '{{ky_so}}');
    expect(m.page).toBe(1);
    expect(m.text).toContain('{{ky_so}}');
    // x: after "Ký số tại đây: " (within a point: chars are split by Times widths), y: baseline 100 with -20 %/+80 % of the size
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(FONTS.regular!);
    const start = 50 + font.widthOfTextAtSize('Ký số tại đây: ', 12);
    const end = start + font.widthOfTextAtSize('{{ky_so}}', 12);
    expect(Math.abs(m.rect[0] - start)).toBeLessThan(1);
    expect(Math.abs(m.rect[2] - end)).toBeLessThan(1);
    expect(m.rect[1]).toBeCloseTo(100 - 2.4, 0);
    expect(m.rect[3]).toBeCloseTo(100 + 9.6, 0);
    expect(m.visual).toEqual({ x: m.rect[0], y: m.rect[1], width: m.rect[2] - m.rect[0], height: m.rect[3] - m.rect[1] });
  });

  it('matches NFD text on the page against NFC anchors, ignoring white space and split runs', async () => {
    const pdf = await textPdf([
      { text: 'TM. ỦY BAN'.normalize('NFD'), x: 50, y: 200 },
      { text: 'NHÂN   DÂN', x: 130, y: 200 },
    ]);
    const m = await findAnchor(pdf, 'TM. ỦY BAN NHÂN DÂN');
    expect(m.rect[0]).toBeCloseTo(50, 0);
    expect(m.rect[2]).toBeGreaterThan(180);
    await expect(findAnchor(pdf, 'tm. ủy ban', { ignoreCase: true })).resolves.toMatchObject({ page: 1 });
  });

  it('chooses the occurrence and the page', async () => {
    const pdf = await textPdf([{ text: 'CHỦ TỊCH', x: 50, y: 250 }, { text: 'CHỦ TỊCH', x: 200, y: 80 }], { pages: 2 });
    const all = await findAnchors(pdf, 'CHỦ TỊCH');
    expect(all.map((m) => m.page)).toEqual([1, 1, 2, 2]);
    expect((await findAnchor(pdf, 'CHỦ TỊCH', { occurrence: 2 })).rect[0]).toBeCloseTo(200, 0);
    const last = await findAnchor(pdf, 'CHỦ TỊCH', { occurrence: 'last' });
    expect(last.page).toBe(2);
    expect((await findAnchor(pdf, 'CHỦ TỊCH', { page: 2 })).page).toBe(2);
  });

  it('a missing anchor is a KysoError ANCHOR_NOT_FOUND that says what to do', async () => {
    const pdf = await textPdf([{ text: 'Nơi nhận:', x: 50, y: 100 }]);
    const err = await findAnchor(pdf, '{{ky_so}}').catch((e: unknown) => e);
    expect(isKysoError(err, 'ANCHOR_NOT_FOUND')).toBe(true);
    expect((err as Error).message).toMatch(/"\{\{ky_so\}\}" was not found on any page.*--visible/);
    const err2 = await findAnchor(pdf, 'Nơi nhận:', { occurrence: 2 }).catch((e: unknown) => e);
    expect(isKysoError(err2, 'ANCHOR_NOT_FOUND')).toBe(true);
    expect((err2 as Error).message).toMatch(/found 1 time/);
    const err3 = await findAnchor(pdf, 'Nơi nhận:', { page: 3 }).catch((e: unknown) => e);
    expect(isKysoError(err3, 'PAGE_NOT_FOUND')).toBe(true);
  });

  it('on a rotated page the anchor box is given as displayed, and placement below it is below on screen', async () => {
    const { ctx, S } = await scenarios();
    const base = (await S.makeDecisionPdf({ ...(ctx as object), kind: 'appendix', rotate: 90, origin: [40, 60], cropInset: 10 })).bytes;
    const m = await findAnchor(base, '{{ky_so}}');
    expect(m.geometry.rotate).toBe(90);
    const vs = visibleSize(m.geometry);
    expect(vs.width).toBeLessThan(vs.height); // portrait as displayed
    // the text was drawn centred at visual x 297.64, baseline y 560 from the visible bottom-left
    expect(Math.abs(m.visual.x + m.visual.width / 2 - 297.64)).toBeLessThan(1);
    expect(m.visual.y).toBeGreaterThan(540);
    expect(m.visual.y).toBeLessThan(560);
    expect(m.visual.width).toBeGreaterThan(m.visual.height);
    const p = placeNearAnchor(m.geometry, m.page, m.visual, { width: 100, height: 40, position: 'below' });
    expect(p.visual.y + p.visual.height).toBeLessThan(m.visual.y);
    expect(p.matrix).toEqual([0, 1, -1, 0, 40, 0]);
    // in user space the rectangle is turned: 40 wide and 100 tall
    expect(p.rect[2] - p.rect[0]).toBeCloseTo(40, 6);
    expect(p.rect[3] - p.rect[1]).toBeCloseTo(100, 6);
  });

  it('the anchored approval in the decision scenario sits between "CHỦ TỊCH" and the signer’s name', async () => {
    const out = await runScenario('approval');
    const title = await findAnchor(out.bytes, 'CHỦ TỊCH', { occurrence: 'last' });
    const name = await findAnchor(out.bytes, 'Nguyễn Văn Ắng', { occurrence: 'last' });
    const v = out.placement.visual;
    expect(v.y + v.height).toBeLessThanOrEqual(title.visual.y);
    expect(v.y).toBeGreaterThanOrEqual(name.visual.y + name.visual.height);
  });
});
