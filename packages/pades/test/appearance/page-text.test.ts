import { describe, expect, it } from 'vitest';
import { isKysoError } from '@kyso/core';
import { PdfArray, PdfDict, PdfDocument } from '@kyso/pdf';
import { addPageText, buildPageText, findAnchor } from '../../src/appearance/index.js';
import { FONTS } from './helpers/assets.js';
import { popplerOn } from './helpers/images.js';
import { blankPdf } from './helpers/place.js';
import { runScenario, scenarios } from './helpers/scenarios.js';

describe('writing the number and date on the page (same update as the issuance signature)', () => {
  it('the issued decision shows "Số: 15/QĐ-UBND" and the date, with the page content wrapped in q … Q', async () => {
    const out = await runScenario('issuance');
    const text = popplerOn('pdftotext', out.bytes, ['-layout']);
    expect(text).toContain('15/QĐ-UBND');
    expect(text).toContain('ngày 04 tháng 12 năm 2026');
    const doc = PdfDocument.open(out.bytes);
    expect(doc.revisions).toHaveLength(3); // original, approval, issuance
    const page = doc.getPage(0);
    const contents = page.dict.get('Contents');
    expect(contents).toBeInstanceOf(PdfArray);
    const streams = (contents as PdfArray).items.map((r) => new TextDecoder().decode((doc.resolve(r) as { decode(): Uint8Array }).decode()));
    expect(streams[0]).toBe('q\n');
    expect(streams[streams.length - 1]).toMatch(/^\nQ\nq 1 0 0 1 0 0 cm \/KysoText1 Do Q\n$/);
    // both widgets (approval, issuance) are on the page: the page text did not lose the update's /Annots
    const annots = doc.resolve(page.dict.get('Annots')) as PdfArray;
    expect(annots.items).toHaveLength(2);
    const xo = (page.dict.get('Resources', doc) as PdfDict).get('XObject', doc) as PdfDict;
    expect(xo.has('KysoText1')).toBe(true);
  });

  it('works on a rotated page with a non-zero box origin: the text reads upright where the anchor was', async () => {
    const { ctx, S } = await scenarios();
    const base = (await S.makeDecisionPdf({ ...(ctx as object), kind: 'appendix', rotate: 270, origin: [40, 60], cropInset: 10 })).bytes;
    const m = await findAnchor(base, '{{ky_so}}');
    const pt = await buildPageText(m.geometry, m.page, [{ text: 'Số: 15/QĐ-UBND', box: { x: m.visual.x, y: m.visual.y - 30, width: 150, height: 16 }, size: 12 }], { fonts: FONTS });
    expect(pt.appearance.rotate).toBe(270);
    const doc = PdfDocument.open(base);
    const up = doc.beginUpdate();
    addPageText(doc, up, pt);
    const bytes = up.finish().bytes;
    const found = await findAnchor(bytes, 'Số: 15/QĐ-UBND');
    // pdf.js sees it upright (wider than tall as displayed) and below the anchor
    expect(found.visual.width).toBeGreaterThan(found.visual.height);
    expect(Math.abs(found.visual.x - m.visual.x)).toBeLessThan(1.5);
    expect(found.visual.y).toBeLessThan(m.visual.y);
  });

  it('refuses a page that does not exist', async () => {
    const base = await blankPdf(300, 300);
    const pt = await buildPageText({ mediaBox: [0, 0, 300, 300] }, 2, [{ text: 'x', box: { x: 0, y: 0, width: 50, height: 20 } }], { fonts: FONTS });
    const doc = PdfDocument.open(base);
    let err: unknown;
    try {
      addPageText(doc, doc.beginUpdate(), pt);
    } catch (e) {
      err = e;
    }
    expect(isKysoError(err, 'PAGE_NOT_FOUND')).toBe(true);
  });
});
