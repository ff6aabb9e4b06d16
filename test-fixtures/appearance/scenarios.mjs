// Scenarios of the visible-signature tests of @kyso/pades: each builds a PDF with one of the
// Decree 30/2020 layouts, placed and copied into an incremental update with @kyso/pdf, and
// says which crops of which pages to render. The tests (packages/pades/test/appearance/) run
// them against the sources; test-fixtures/scripts/gen-20-appearance.mjs runs them against the
// build to write the reference images here. Modules are passed in, so both use one code path.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The signing time of every scenario: 04/12/2026 10:38:09 +07:00. */
export const SIGNING_TIME = new Date('2026-12-04T03:38:09Z');
/** The issuing time: 04/12/2026 14:05:00 +07:00. */
export const ISSUING_TIME = new Date('2026-12-04T07:05:00Z');

export const SIGNER = Object.freeze({
  signerName: 'Nguyễn Văn Ắng',
  title: 'Chủ tịch',
  agency: 'Ủy ban nhân dân tỉnh Bắc Ninh',
});

/**
 * A one- or two-page A4 decision drawn with pdf-lib (an unsigned test input), written in visual
 * coordinates so that it reads upright whatever the page's /Rotate and box origins.
 */
export async function makeDecisionPdf({ pdfLib, fontkit, fonts, rotate = 0, origin = [0, 0], cropInset = 0, kind = 'decision' }) {
  const { PDFDocument, degrees, rgb } = pdfLib;
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setProducer('kyso test-fixtures');
  doc.setCreationDate(new Date('2026-12-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-12-01T00:00:00Z'));
  doc.registerFontkit(fontkit);
  const F = {
    r: await doc.embedFont(fonts.regular, { subset: true }),
    b: await doc.embedFont(fonts.bold, { subset: true }),
    i: await doc.embedFont(fonts.italic, { subset: true }),
  };
  const VW = 595.28;
  const VH = 841.89;
  const turned = rotate === 90 || rotate === 270;
  const [ox, oy] = origin;
  const page = doc.addPage([turned ? VH : VW, turned ? VW : VH]);
  page.setMediaBox(ox, oy, turned ? VH : VW, turned ? VW : VH);
  if (cropInset) page.setCropBox(ox + cropInset, oy + cropInset, (turned ? VH : VW) - 2 * cropInset, (turned ? VW : VH) - 2 * cropInset);
  page.setRotation(degrees(rotate));
  // visual (from the visible box's bottom-left) → user space, as in the appearance geometry
  const W = (turned ? VH : VW) - 2 * cropInset;
  const H = (turned ? VW : VH) - 2 * cropInset;
  const cx = ox + cropInset;
  const cy = oy + cropInset;
  const toUser = (vx, vy) => {
    switch (rotate) {
      case 90:
        return [cx + W - vy, cy + vx];
      case 180:
        return [cx + W - vx, cy + H - vy];
      case 270:
        return [cx + vy, cy + H - vx];
      default:
        return [cx + vx, cy + vy];
    }
  };
  const vis = { width: turned ? H : W, height: turned ? W : H };
  const text = (s, x, y, size, f = 'r', align = 'left') => {
    const font = F[f];
    const w = font.widthOfTextAtSize(s, size);
    const vx = align === 'center' ? x - w / 2 : align === 'right' ? x - w : x;
    const [ux, uy] = toUser(vx, y);
    page.drawText(s, { x: ux, y: uy, size, font, color: rgb(0, 0, 0), rotate: degrees(rotate) });
  };
  const line = (x1, y1, x2, y2) => {
    const [a, b] = toUser(x1, y1);
    const [c, d] = toUser(x2, y2);
    page.drawLine({ start: { x: a, y: b }, end: { x: c, y: d }, thickness: 0.6, color: rgb(0, 0, 0) });
  };
  if (kind === 'decision') {
    text('ỦY BAN NHÂN DÂN', 150, 782, 13, 'b', 'center');
    text('TỈNH BẮC NINH', 150, 766, 13, 'b', 'center');
    line(120, 760, 180, 760);
    text('Số: {{so}}', 150, 738, 13, 'r', 'center');
    text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 400, 782, 12, 'b', 'center');
    text('Độc lập - Tự do - Hạnh phúc', 400, 766, 13, 'b', 'center');
    line(330, 760, 470, 760);
    text('Bắc Ninh, {{ngay}}', 400, 738, 13, 'i', 'center');
    text('QUYẾT ĐỊNH', VW / 2, 696, 14, 'b', 'center');
    text('Phê duyệt Kế hoạch chuyển đổi số năm 2027', VW / 2, 679, 14, 'b', 'center');
    line(VW / 2 - 50, 669, VW / 2 + 50, 669);
    text('CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH', VW / 2, 648, 14, 'b', 'center');
    const body = [
      'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
      'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính',
      'phủ về công tác văn thư;',
      'Xét đề nghị của Giám đốc Sở Khoa học và Công nghệ.',
    ];
    body.forEach((s, k) => text(s, 85, 618 - k * 19, 14));
    text('QUYẾT ĐỊNH:', VW / 2, 532, 14, 'b', 'center');
    const articles = [
      'Điều 1. Phê duyệt Kế hoạch chuyển đổi số năm 2027 của tỉnh Bắc Ninh.',
      'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
      'Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, ngành',
      'và các đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.',
    ];
    articles.forEach((s, k) => text(s, 85, 505 - k * 19, 14));
    text('Nơi nhận:', 60, 392, 12, 'b');
    text('- Như Điều 3;', 60, 378, 11);
    text('- Lưu: VT.', 60, 365, 11);
    text('TM. ỦY BAN NHÂN DÂN', 420, 392, 13, 'b', 'center');
    text('CHỦ TỊCH', 420, 376, 13, 'b', 'center');
    text('Nguyễn Văn Ắng', 420, 272, 13, 'b', 'center');
  } else {
    text('Phụ lục', VW / 2, 760, 14, 'b', 'center');
    text('DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2027', VW / 2, 742, 13, 'b', 'center');
    text('(Kèm theo Quyết định số 15/QĐ-UBND ngày 04 tháng 12 năm 2026', VW / 2, 725, 13, 'i', 'center');
    text('của Ủy ban nhân dân tỉnh Bắc Ninh)', VW / 2, 709, 13, 'i', 'center');
    const rows = ['1. Số hóa hồ sơ, tài liệu lưu trữ của các sở, ngành.', '2. Triển khai chữ ký số cho cán bộ, công chức, viên chức.', '3. Kết nối hệ thống quản lý văn bản với Trục liên thông quốc gia.'];
    rows.forEach((s, k) => text(s, 85, 670 - k * 20, 13));
    text('{{ky_so}}', VW / 2, 560, 13, 'r', 'center');
  }
  return { bytes: await doc.save({ useObjectStreams: false }), visible: vis };
}

/** Adds a signature field's widget showing `apRef` at `placement` (an unsigned field: only its look matters here). */
export function addWidget(pdf, doc, up, placement, apRef, name) {
  const { PdfDict, PdfArray, PdfName, PdfString, PdfRef } = pdf;
  const page = doc.getPage(placement.page - 1);
  const widgetRef = up.allocate();
  up.set(
    widgetRef,
    PdfDict.of({
      Type: PdfName.of('Annot'),
      Subtype: PdfName.of('Widget'),
      FT: PdfName.of('Sig'),
      T: PdfString.fromText(name),
      F: 132,
      Rect: PdfArray.of([...placement.rect]),
      P: page.ref,
      AP: PdfDict.of({ N: apRef }),
    }),
  );
  const current = up.has(page.ref) ? up.get(page.ref) : page.dict.clone();
  const annots = doc.resolve(current.get('Annots'));
  current.set('Annots', PdfArray.of([...(annots instanceof PdfArray ? annots.items : []), widgetRef]));
  up.set(page.ref, current);
  const cat = up.has(doc.catalogRef) ? up.get(doc.catalogRef) : doc.catalog.clone();
  const form = doc.resolve(cat.get('AcroForm'));
  const fields = form instanceof PdfDict ? doc.resolve(form.get('Fields')) : undefined;
  cat.set('AcroForm', PdfDict.of({ Fields: PdfArray.of([...(fields instanceof PdfArray ? fields.items : []), widgetRef]), SigFlags: 0 }));
  up.set(doc.catalogRef, cat);
  if (!(widgetRef instanceof PdfRef)) throw new Error('unreachable');
  return widgetRef;
}

/** Approval: signature image and details between "CHỦ TỊCH" and the name, found by anchor. */
async function approval(ctx, input) {
  const { appearance: A, pdf } = ctx;
  const base = input ?? (await makeDecisionPdf(ctx)).bytes;
  const anchor = await A.findAnchor(base, 'CHỦ TỊCH', { occurrence: 'last' });
  const placement = A.placeNearAnchor(anchor.geometry, anchor.page, anchor.visual, { ...A.APPROVAL_TEMPLATE.size, position: 'below', gap: 6 });
  const ap = await A.buildAppearance(
    A.APPROVAL_TEMPLATE,
    { ...SIGNER, signingTime: SIGNING_TIME, images: { signature: ctx.images.signature } },
    { ...placement, fonts: ctx.fonts },
  );
  const doc = pdf.PdfDocument.open(base);
  const up = doc.beginUpdate();
  addWidget(pdf, doc, up, placement, A.copyGraphInto(up, ap.graph), 'ChuKyLanhDao');
  return { bytes: up.finish().bytes, placement, appearance: ap };
}

/** Issuance: number and date written into the placeholders, then the seal over the signature's left third. */
async function issuance(ctx) {
  const { appearance: A, pdf } = ctx;
  const first = await approval(ctx);
  const base = first.bytes;
  const so = await A.findAnchor(base, '{{so}}');
  const ngay = await A.findAnchor(base, '{{ngay}}');
  const g = so.geometry;
  const pad = (r) => ({ x: r.x - 1.5, y: r.y - 1, width: r.width + 3, height: r.height + 2 });
  const text = await A.buildPageText(
    g,
    so.page,
    [
      { text: '15/QĐ-UBND', box: { x: so.visual.x, y: so.visual.y - 3, width: 110, height: so.visual.height + 6 }, cover: pad(so.visual), size: 13 },
      { text: 'ngày 04 tháng 12 năm 2026', box: { x: ngay.visual.x, y: ngay.visual.y - 3, width: 190, height: ngay.visual.height + 6 }, cover: pad(ngay.visual), font: 'italic', size: 13 },
    ],
    { fonts: ctx.fonts },
  );
  const sig = A.regionOnPage(first.placement, first.appearance.images.signature);
  const placement = A.placeIssuanceOverSignature(g, first.placement.page, sig, A.ISSUANCE_TEMPLATE);
  const ap = await A.buildAppearance(
    A.ISSUANCE_TEMPLATE,
    { agency: SIGNER.agency, signingTime: ISSUING_TIME, images: { seal: ctx.images.seal } },
    { ...placement, fonts: ctx.fonts },
  );
  const doc = pdf.PdfDocument.open(base);
  const up = doc.beginUpdate();
  A.addPageText(doc, up, text);
  addWidget(pdf, doc, up, placement, A.copyGraphInto(up, ap.graph), 'ChuKyCoQuan');
  return { bytes: up.finish().bytes, placement, appearance: ap, signature: sig, pageText: text };
}

async function topRight(ctx, template, data) {
  const { appearance: A, pdf } = ctx;
  const base = (await makeDecisionPdf({ ...ctx, kind: 'appendix' })).bytes;
  const doc = pdf.PdfDocument.open(base);
  const placement = A.placeByTemplate(template, (p) => A.pageGeometry(doc.getPage(p - 1)), doc.pageCount);
  const ap = await A.buildAppearance(template, data, { ...placement, fonts: ctx.fonts });
  const up = doc.beginUpdate();
  addWidget(pdf, doc, up, placement, A.copyGraphInto(up, ap.graph), 'ChuKyCoQuan');
  return { bytes: up.finish().bytes, placement, appearance: ap };
}

/** A page with /Rotate `rotate`, MediaBox origin (40, 60) and a 10 pt CropBox inset; approval over "{{ky_so}}". */
async function rotated(ctx, rotate) {
  const { appearance: A, pdf } = ctx;
  const base = (await makeDecisionPdf({ ...ctx, kind: 'appendix', rotate, origin: [40, 60], cropInset: 10 })).bytes;
  const anchor = await A.findAnchor(base, '{{ky_so}}');
  const placement = A.placeNearAnchor(anchor.geometry, anchor.page, anchor.visual, { ...A.APPROVAL_TEMPLATE.size, position: 'below', gap: 4 });
  const ap = await A.buildAppearance(
    A.APPROVAL_TEMPLATE,
    { ...SIGNER, signingTime: SIGNING_TIME, images: { signature: ctx.images.signature } },
    { ...placement, fonts: ctx.fonts },
  );
  const doc = pdf.PdfDocument.open(base);
  const up = doc.beginUpdate();
  addWidget(pdf, doc, up, placement, A.copyGraphInto(up, ap.graph), 'ChuKy');
  return { bytes: up.finish().bytes, placement, appearance: ap, anchor };
}

/**
 * The scenarios, each with the crops to render: `{ name, dpi, crop: [x, y, w, h] }` in pixels of
 * the page as displayed at that resolution (pdftoppm -x -y -W -H).
 */
export const SCENARIOS = {
  approval: { run: (ctx) => approval(ctx), renders: [{ name: 'approval', dpi: 150, crop: [560, 880, 640, 300] }] },
  issuance: {
    run: (ctx) => issuance(ctx),
    renders: [
      { name: 'issuance', dpi: 150, crop: [420, 920, 780, 330] },
      { name: 'issuance-header', dpi: 100, crop: [100, 50, 700, 120] },
    ],
  },
  attachment: {
    run: (ctx) => topRight(ctx, ctx.appearance.ATTACHMENT_TEMPLATE, { docNumber: '15/QĐ-UBND', signingTime: ISSUING_TIME }),
    renders: [{ name: 'attachment', dpi: 150, crop: [640, 0, 600, 160] }],
  },
  copy: {
    run: (ctx) => topRight(ctx, ctx.appearance.COPY_TEMPLATE, { copyType: 'SAO Y', copyAgency: 'Văn phòng Ủy ban nhân dân tỉnh Bắc Ninh', signingTime: ISSUING_TIME }),
    renders: [{ name: 'copy', dpi: 150, crop: [640, 0, 600, 160] }],
  },
  'rotate-0': { run: (ctx) => rotated(ctx, 0), renders: [{ name: 'rotated', dpi: 100, crop: [230, 330, 380, 170] }] },
  'rotate-90': { run: (ctx) => rotated(ctx, 90), renders: [{ name: 'rotated', dpi: 100, crop: [230, 330, 380, 170] }] },
  'rotate-180': { run: (ctx) => rotated(ctx, 180), renders: [{ name: 'rotated', dpi: 100, crop: [230, 330, 380, 170] }] },
  'rotate-270': { run: (ctx) => rotated(ctx, 270), renders: [{ name: 'rotated', dpi: 100, crop: [230, 330, 380, 170] }] },
};

/** Renders page 1 of `pdf` with pdftoppm as PNG bytes (optionally a crop, in pixels). */
export function renderPng(pdfBytes, { dpi, crop }) {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-render-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdfBytes);
    const args = ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile'];
    if (crop) args.push('-x', String(crop[0]), '-y', String(crop[1]), '-W', String(crop[2]), '-H', String(crop[3]));
    execFileSync('pdftoppm', [...args, join(dir, 'in.pdf'), join(dir, 'out')]);
    return readFileSync(join(dir, 'out.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The context the scenarios need, from the given modules and the shipped assets. */
export async function scenarioContext({ root, appearance, pdf, pdfLib, fontkit }) {
  const assets = join(root, 'packages/pades/assets');
  const read = (p) => new Uint8Array(readFileSync(join(assets, p)));
  return {
    appearance,
    pdf,
    pdfLib,
    fontkit,
    fonts: { regular: read('fonts/Tinos-Regular.ttf'), bold: read('fonts/Tinos-Bold.ttf'), italic: read('fonts/Tinos-Italic.ttf') },
    images: { signature: read('samples/signature.png'), seal: read('samples/seal.png') },
  };
}

/** Writes every scenario's renders as the reference images (rotate-0 gives the one "rotated" reference). */
export async function writeReferences({ root, appearance, pdf, pdfLib, fontkit }) {
  const ctx = await scenarioContext({ root, appearance, pdf, pdfLib, fontkit });
  for (const [name, s] of Object.entries(SCENARIOS)) {
    if (name.startsWith('rotate-') && name !== 'rotate-0') continue;
    const out = await s.run(ctx);
    for (const r of s.renders) {
      const file = join(root, 'test-fixtures/appearance', `${r.name}.png`);
      writeFileSync(file, renderPng(out.bytes, r));
      console.log(`reference: test-fixtures/appearance/${r.name}.png`);
    }
  }
}
