import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng, diffImages, inkBox, renderPage } from './helpers/images.js';
import { reference, runScenario, scenarios } from './helpers/scenarios.js';

// Each layout is rendered with pdftoppm and compared pixel by pixel with the reference PNG in
// test-fixtures/appearance/ (made by test-fixtures/scripts/gen-20-appearance.mjs). Tolerance:
// at most 0.5 % of the pixels may differ by more than 64 in a channel (anti-aliasing, poppler
// versions); a misplaced or missing element changes several percent.
const MAX_SHARE = 0.005;

async function compareScenario(scenario: string) {
  const { S } = await scenarios();
  const out = await runScenario(scenario);
  for (const r of S.SCENARIOS[scenario]!.renders) {
    const { png, image } = renderPage(out.bytes, r.dpi, r.crop);
    const ref = decodePng(reference(r.name));
    const d = diffImages(image, ref);
    if (!d.sameSize || d.share > MAX_SHARE) {
      const dir = join(tmpdir(), 'kyso-appearance-failures');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${scenario}-${r.name}.png`), png);
      writeFileSync(join(dir, `${scenario}.pdf`), out.bytes);
    }
    expect(d.sameSize, `${scenario}: ${r.name} render size`).toBe(true);
    expect(d.share, `${scenario}: ${r.name} differs from the reference (render kept in ${join(tmpdir(), 'kyso-appearance-failures')})`).toBeLessThanOrEqual(MAX_SHARE);
  }
  return out;
}

describe('layouts rendered with pdftoppm match their reference images', () => {
  it('approval: the signature image below the title line, details beside it', async () => {
    const out = await compareScenario('approval');
    expect(out.appearance.text).toEqual([
      'Người ký: Nguyễn Văn Ắng',
      'Cơ quan: Ủy ban nhân dân tỉnh Bắc Ninh',
      'Chức vụ: Chủ tịch',
      'Thời gian ký: 04/12/2026 10:38:09 +07:00',
    ]);
  });

  it('issuance: the seal at 36 mm over the left third of the signature image, number and date written', async () => {
    const out = await compareScenario('issuance');
    const seal = out.appearance.images['seal']!;
    // real size: 36 mm = 102.05 pt
    expect(seal.width).toBeCloseTo((36 * 72) / 25.4, 1);
    const sealOnPage = { x: out.placement.visual.x + seal.x, width: seal.width };
    const sig = out.signature!;
    // the seal's right edge is one third into the signature image
    expect(sealOnPage.x + sealOnPage.width).toBeCloseTo(sig.x + sig.width / 3, 1);
    expect(out.placement.visual.y + seal.y + seal.height / 2).toBeCloseTo(sig.y + sig.height / 2, 1);
  });

  it('attachment: number and time at the top right of page 1, 10 pt black', async () => {
    const out = await compareScenario('attachment');
    expect(out.appearance.texts[0]!.size).toBe(10);
    expect(out.appearance.text).toEqual(['15/QĐ-UBND', '04/12/2026 14:05:00 +07:00']);
  });

  it('copy: SAO Y, the copying agency and the time at the top right of page 1', async () => {
    const out = await compareScenario('copy');
    expect(out.appearance.text).toEqual(['SAO Y', 'Văn phòng Ủy ban nhân dân tỉnh Bắc Ninh', '04/12/2026 14:05:00 +07:00']);
  });

  it('the attachment text sits inside the top-right margin: its ink ends 15 mm from the right edge', async () => {
    const out = await runScenario('attachment');
    const dpi = 72;
    const { image } = renderPage(out.bytes, dpi);
    // only the appearance is in the top 40 pt of this page
    const top = { ...image, height: 40, data: image.data.subarray(0, image.width * 40 * 3) };
    const box = inkBox(top)!;
    expect(image.width - 1 - box.x2).toBeGreaterThanOrEqual(42);
    expect(image.width - 1 - box.x2).toBeLessThanOrEqual(46);
  });
});

describe('pages with /Rotate and boxes not at the origin', () => {
  for (const rotate of [0, 90, 180, 270]) {
    it(`/Rotate ${rotate}, MediaBox from (40, 60), CropBox inset: the appearance reads upright, where the reader expects it`, async () => {
      const out = await compareScenario(`rotate-${rotate}`);
      expect(out.placement.rotate).toBe(rotate);
      // the same visual placement on every rotation: below the anchor as displayed
      expect(out.placement.visual.y + out.placement.visual.height).toBeLessThan(out.anchor!.visual.y);
    });
  }
});

describe('tamper twins: the checks above notice a wrong appearance', () => {
  it('a rotated page whose appearance /Matrix is reset to identity no longer matches (the text would read sideways)', async () => {
    const out = await runScenario('rotate-90');
    const text = new TextDecoder('latin1').decode(out.bytes);
    const m = '/Matrix [0 1 -1 0 72 0]';
    expect(text.split(m).length - 1).toBe(1);
    const tampered = new Uint8Array(out.bytes);
    const at = text.indexOf(m);
    const repl = '/Matrix [1 0 0 1 0 0  ]';
    expect(repl.length).toBe(m.length);
    for (let i = 0; i < repl.length; i++) tampered[at + i] = repl.charCodeAt(i);
    const { S } = await scenarios();
    const r = S.SCENARIOS['rotate-90']!.renders[0]!;
    const ref = decodePng(reference(r.name));
    expect(diffImages(renderPage(out.bytes, r.dpi, r.crop).image, ref).share).toBeLessThanOrEqual(MAX_SHARE);
    expect(diffImages(renderPage(tampered, r.dpi, r.crop).image, ref).share).toBeGreaterThan(0.05);
  });

  it('an approval drawn without its signature image no longer matches the reference', async () => {
    const { S } = await scenarios();
    const out = await runScenario('approval');
    const text = new TextDecoder('latin1').decode(out.bytes);
    // hide the image: its "Do" in the (compressed) form is not reachable, so cut the image's width to 1 pixel
    const at = text.lastIndexOf('/Subtype /Image');
    expect(at).toBeGreaterThan(0);
    const w = text.indexOf('/Width ', at);
    const tampered = new Uint8Array(out.bytes);
    const digits = /\/Width (\d+)/.exec(text.slice(w))![1]!;
    const repl = '1'.padEnd(digits.length, ' ');
    for (let i = 0; i < repl.length; i++) tampered[w + 7 + i] = repl.charCodeAt(i);
    const r = S.SCENARIOS['approval']!.renders[0]!;
    const ref = decodePng(reference(r.name));
    expect(diffImages(renderPage(tampered, r.dpi, r.crop).image, ref).share).toBeGreaterThan(MAX_SHARE);
  });
});
