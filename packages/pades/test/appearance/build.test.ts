import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKysoError } from '@kyso/core';
import { PdfDocument, PdfDict, PdfStream } from '@kyso/pdf';
import {
  APPROVAL_TEMPLATE,
  buildAppearance,
  copyGraphInto,
  encodePng,
  imageInfo,
  ISSUANCE_TEMPLATE,
  loadTemplate,
  pageGeometry,
  placeByRect,
  serializeGraph,
  type AppearanceTemplate,
} from '../../src/appearance/index.js';
import { loadDefaultFonts } from '../../src/appearance/node/index.js';
import { FONTS, SEAL_PNG, SIGNATURE_PNG } from './helpers/assets.js';
import { blankPdf, withAppearance } from './helpers/place.js';
import { popplerOn } from './helpers/images.js';

const T = new Date('2026-12-04T03:38:09Z');

async function rejects(p: Promise<unknown>, code: string): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(isKysoError(e, code), `expected ${code}, got ${String(e)}`).toBe(true);
  return e as Error;
}

function qpdfCheck(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-ap-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), pdf);
    return execFileSync('qpdf', ['--check', join(dir, 'a.pdf')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('buildAppearance', () => {
  it('builds a Form XObject whose graph holds the subset font, its ToUnicode map and the PNG with its SMask', async () => {
    const ap = await buildAppearance(APPROVAL_TEMPLATE, { signerName: 'Nguyễn Văn Ắng', signingTime: T, images: { signature: SIGNATURE_PNG } }, { width: 230, height: 72, fonts: FONTS });
    const root = ap.graph.objects[ap.graph.root]!;
    const dict = root.value as { kind: 'dict'; entries: [string, unknown][] };
    const get = (k: string) => dict.entries.find((e) => e[0] === k)?.[1];
    expect(get('Subtype')).toEqual({ kind: 'name', value: 'Form' });
    expect(get('BBox')).toEqual({ kind: 'array', items: [0, 0, 230, 72] });
    const names = ap.graph.objects.flatMap((o) => (o.value && typeof o.value === 'object' && o.value.kind === 'dict' ? o.value.entries.map((e) => e[0]) : []));
    for (const k of ['SMask', 'ToUnicode', 'FontFile2', 'DescendantFonts', 'CIDToGIDMap']) expect(names, k).toContain(k);
    expect(ap.images['signature']).toBeDefined();
    expect(ap.text).toEqual(['Người ký: Nguyễn Văn Ắng', 'Thời gian ký: 04/12/2026 10:38:09 +07:00']);
    expect(ap.content).toMatch(/\/Im0 Do/);
  });

  it('hide leaves elements out; the image keeps its aspect ratio inside its box', async () => {
    const ap = await buildAppearance(APPROVAL_TEMPLATE, { signerName: 'A', images: { signature: SIGNATURE_PNG } }, { width: 230, height: 72, fonts: FONTS, hide: ['details'] });
    expect(ap.text).toEqual([]);
    const info = imageInfo(SIGNATURE_PNG);
    const r = ap.images['signature']!;
    expect(r.width / r.height).toBeCloseTo(info.width / info.height, 3);
    expect(r.width).toBeLessThanOrEqual(0.46 * 230 + 1e-9);
    expect(r.height).toBeLessThanOrEqual(72 + 1e-9);
  });

  it('draws the seal at its real size and warns when the box is too small for it', async () => {
    const big = await buildAppearance(ISSUANCE_TEMPLATE, { agency: 'UBND', images: { seal: SEAL_PNG } }, { width: 130, height: 124, fonts: FONTS });
    expect(big.images['seal']!.width).toBeCloseTo((36 * 72) / 25.4, 6);
    expect(big.warnings).toEqual([]);
    const small = await buildAppearance(ISSUANCE_TEMPLATE, { agency: 'UBND', images: { seal: SEAL_PNG } }, { width: 60, height: 60, fonts: FONTS });
    expect(small.images['seal']!.width).toBeLessThan(60);
    expect(small.warnings.join()).toMatch(/36 mm wide but its box allows/);
    const forty = await buildAppearance(ISSUANCE_TEMPLATE, { images: { seal: SEAL_PNG } }, { width: 130, height: 140, fonts: FONTS, realWidthMm: { seal: 40 } });
    expect(forty.images['seal']!.width).toBeCloseTo((40 * 72) / 25.4, 6);
  });

  it('reports missing fonts, missing images and unreadable images with what to do', async () => {
    expect((await rejects(buildAppearance(APPROVAL_TEMPLATE, { signerName: 'A', images: { signature: SIGNATURE_PNG } }, { width: 230, height: 72, fonts: {} }), 'MISSING_FONT')).message).toMatch(/fonts: \{ regular: … \}/);
    expect((await rejects(buildAppearance(APPROVAL_TEMPLATE, { signerName: 'A' }, { width: 230, height: 72, fonts: FONTS }), 'MISSING_IMAGE')).message).toMatch(/data\.images\.signature is missing/);
    await rejects(buildAppearance(APPROVAL_TEMPLATE, { images: { signature: new Uint8Array([1, 2, 3, 4, 5]) } }, { width: 230, height: 72, fonts: FONTS }), 'BAD_IMAGE');
    await rejects(buildAppearance(APPROVAL_TEMPLATE, { images: { signature: SIGNATURE_PNG } }, { width: 0, height: 72, fonts: FONTS }), 'BAD_PLACEMENT');
    await rejects(buildAppearance(APPROVAL_TEMPLATE, { signerName: 'A', images: { signature: SIGNATURE_PNG } }, { width: 230, height: 72, fonts: { regular: new Uint8Array(100) } }), 'MISSING_FONT');
    const optional: AppearanceTemplate = { ...APPROVAL_TEMPLATE, elements: [{ ...(APPROVAL_TEMPLATE.elements[0] as object), required: false } as never, APPROVAL_TEMPLATE.elements[1]!] };
    const ap = await buildAppearance(optional, { signerName: 'A' }, { width: 230, height: 72, fonts: FONTS });
    expect(ap.images).toEqual({});
  });

  it('copies into a @kyso/pdf incremental update: fresh numbers, references renumbered, qpdf finds the file sound', async () => {
    const base = await blankPdf(400, 300);
    const placement = placeByRect({ mediaBox: [0, 0, 400, 300] }, { page: 1, x: 20, y: 20, width: 230, height: 72 });
    const ap = await buildAppearance(APPROVAL_TEMPLATE, { signerName: 'Nguyễn Văn Ắng', signingTime: T, images: { signature: SIGNATURE_PNG } }, { ...placement, fonts: FONTS });
    const out = withAppearance(base, placement, ap);
    expect(out.subarray(0, base.length)).toEqual(base); // earlier bytes untouched
    expect(qpdfCheck(out)).toMatch(/No syntax or stream encoding errors/);
    const doc = PdfDocument.open(out);
    const widgetRef = (doc.getPage(0).dict.get('Annots', doc) as { items: unknown[] }).items[0];
    const widget = doc.resolve(widgetRef as never) as PdfDict;
    const form = doc.resolve((widget.get('AP', doc) as PdfDict).get('N')) as PdfStream;
    expect(form).toBeInstanceOf(PdfStream);
    expect(form.dict.getName('Subtype')).toBe('Form');
    expect(new TextDecoder().decode(form.decode())).toBe(ap.content);
    expect(pageGeometry(doc.getPage(0))).toEqual({ mediaBox: [0, 0, 400, 300], cropBox: [0, 0, 400, 300], rotate: 0 });

    // copying twice gives two independent sets of objects
    const up = PdfDocument.open(base).beginUpdate();
    const r1 = copyGraphInto(up, ap.graph);
    const r2 = copyGraphInto(up, ap.graph);
    expect(r2.num - r1.num).toBe(ap.graph.objects.length);
  });

  it('serializeGraph gives raw object bodies for writers that take bytes', async () => {
    const ap = await buildAppearance(APPROVAL_TEMPLATE, { signerName: 'A', images: { signature: SIGNATURE_PNG } }, { width: 230, height: 72, fonts: FONTS });
    const numbers = ap.graph.objects.map((_, i) => 100 + i);
    const bodies = serializeGraph(ap.graph, numbers);
    const root = new TextDecoder('latin1').decode(bodies[ap.graph.root]!.body);
    expect(root).toMatch(/^<< \/Type \/XObject \/Subtype \/Form .*\/Resources << \/Font << \/F0 1\d\d 0 R >> \/XObject << \/Im0 1\d\d 0 R >> >>.* \/Length \d+ >>\nstream\n/s);
    expect(root.endsWith('\nendstream')).toBe(true);
    expect(() => serializeGraph(ap.graph, [1])).toThrow(/numbers were given/);
  });
});

describe('images and fonts', () => {
  it('a JPEG signature (a scan without transparency) is drawn too, as DCT data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-ap-'));
    let jpeg: Uint8Array;
    try {
      writeFileSync(join(dir, 'a.pdf'), await blankPdf(200, 80));
      execFileSync('pdftoppm', ['-jpeg', '-r', '30', '-singlefile', join(dir, 'a.pdf'), join(dir, 'out')]);
      jpeg = new Uint8Array(readFileSync(join(dir, 'out.jpg')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(imageInfo(jpeg)).toMatchObject({ format: 'jpeg', width: 84, height: 34, transparent: false });
    const ap = await buildAppearance(APPROVAL_TEMPLATE, { images: { signature: jpeg } }, { width: 230, height: 72, fonts: FONTS, hide: ['details'] });
    const filters = ap.graph.objects.flatMap((o) => (o.value && typeof o.value === 'object' && o.value.kind === 'dict' ? o.value.entries.filter((e) => e[0] === 'Filter').map((e) => e[1]) : []));
    expect(filters).toContainEqual({ kind: 'name', value: 'DCTDecode' });
    expect(ap.images['signature']!.width / ap.images['signature']!.height).toBeCloseTo(84 / 34, 2);
  });

  it('encodePng writes an RGBA PNG whose pHYs gives the real size; imageInfo reads it back', () => {
    const px = new Uint8Array(4 * 4 * 3).fill(200);
    const png = encodePng(px, 4, 3, { pixelsPerMm: 300 / 25.4 });
    expect(imageInfo(png)).toEqual({ format: 'png', width: 4, height: 3, transparent: true, pixelsPerMm: 11.811 });
    const seal = imageInfo(SEAL_PNG);
    expect(seal.width / seal.pixelsPerMm!).toBeCloseTo(36, 0);
    expect(seal.transparent).toBe(true);
    expect(() => imageInfo(new Uint8Array([0x47, 0x49, 0x46, 0x38]))).toThrow(/neither PNG nor JPEG/);
  });

  it('an agency template with its own font key, colours, border and background (no code), via loadTemplate', async () => {
    const t = loadTemplate(
      JSON.stringify({
        kyso: 'appearance-template/1',
        name: 'so-tu-phap',
        size: { width: 200, height: 50 },
        background: '#FFF8E1',
        border: { width: 1, color: '#B71C1C' },
        elements: [
          { type: 'text', box: { x: 0, y: 0, width: 1, height: 0.5 }, lines: ['{agency}'], font: 'sans', size: 12, color: '#B71C1C', transform: 'uppercase', align: 'center' },
          { type: 'text', box: { x: 0, y: 0.5, width: 1, height: 0.5 }, lines: ['Ký lúc {signingTime|HH:mm} ngày {signingTime|dd/MM/yyyy}'], font: 'regular', size: 9, align: 'center' },
        ],
      }),
    );
    const sans = new Uint8Array(readFileSync('/usr/share/fonts/truetype/croscore/Arimo-Regular.ttf'));
    const ap = await buildAppearance(t, { agency: 'Sở Tư pháp', signingTime: T }, { width: 200, height: 50, fonts: { ...FONTS, sans } });
    expect(ap.text).toEqual(['SỞ TƯ PHÁP', 'Ký lúc 10:38 ngày 04/12/2026']);
    expect(ap.content).toMatch(/^1 0\.973 0\.882 rg\n0 0 200 50 re f/);
    expect(ap.content).toMatch(/0\.718 0\.11 0\.11 RG\n1 w\n0\.5 0\.5 199 49 re S$/);
    const base = await blankPdf(300, 100);
    const placement = placeByRect({ mediaBox: [0, 0, 300, 100] }, { page: 1, x: 50, y: 25, width: 200, height: 50 });
    const ap2 = await buildAppearance(t, { agency: 'Sở Tư pháp', signingTime: T }, { ...placement, fonts: { ...FONTS, sans } });
    const fonts = popplerOn('pdffonts', withAppearance(base, placement, ap2));
    expect(fonts).toMatch(/[A-Z]{6}\+Arimo\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/[A-Z]{6}\+Tinos\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  });

  it('loadDefaultFonts (Node) reads the shipped Tinos fonts', async () => {
    const fonts = await loadDefaultFonts();
    expect(Object.keys(fonts).sort()).toEqual(['bold', 'italic', 'regular']);
    expect(fonts['regular']!.length).toBe(FONTS['regular']!.length);
  });
});
