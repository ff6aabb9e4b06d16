import { beforeAll, describe, expect, it } from 'vitest';
import { PdfDocument } from '@kyso/pdf';
import { signPdf } from '../../src/index.js';
import {
  APPROVAL_TEMPLATE,
  ATTACHMENT_TEMPLATE,
  ISSUANCE_TEMPLATE,
  addPageText,
  buildAppearance,
  buildPageText,
  findAnchor,
  pageGeometry,
  placeByTemplate,
  placeIssuanceOverSignature,
  placeNearAnchor,
  regionOnPage,
} from '../../src/appearance/index.js';
import { tamper, tempFile } from '../helpers/files.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { FONTS, SEAL_PNG, SIGNATURE_PNG } from './helpers/assets.js';
import { popplerOn } from './helpers/images.js';
import { scenarios } from './helpers/scenarios.js';

const APPROVED_AT = new Date('2026-12-04T03:38:09Z');
const ISSUED_AT = new Date('2026-12-04T07:05:00Z');

/**
 * The Decree 30 route end to end with the real signer: the leader's approval signature with its
 * image and details below "CHỦ TỊCH"; the clerk writes number and date (own revision); the
 * agency's issuance signature with the seal over the left third of the leader's signature.
 * pdfsig must find both signatures valid and the text must be searchable.
 */
async function issuedDecision(): Promise<{ approved: Uint8Array; issued: Uint8Array }> {
  const { S, ctx } = await scenarios();
  const draft = (await S.makeDecisionPdf(ctx as object)).bytes;

  const title = await findAnchor(draft, 'CHỦ TỊCH', { occurrence: 'last' });
  const ap1Place = placeNearAnchor(title.geometry, title.page, title.visual, { ...APPROVAL_TEMPLATE.size, position: 'below', gap: 6 });
  const ap1 = await buildAppearance(
    APPROVAL_TEMPLATE,
    { signerName: 'Nguyễn Văn An', title: 'Chủ tịch', agency: 'Ủy ban nhân dân tỉnh Bắc Ninh', signingTime: APPROVED_AT, images: { signature: SIGNATURE_PNG } },
    { ...ap1Place, fonts: FONTS },
  );
  const approved = await signPdf(draft, {
    signer: await fixtureSigner('leader'),
    signingTime: APPROVED_AT,
    field: { name: 'ChuKyLanhDao', page: ap1Place.page - 1, rect: ap1Place.rect },
    appearance: ap1,
  });

  // the clerk numbers the document: its own revision, before the agency's signature
  const so = await findAnchor(approved, '{{so}}');
  const ngay = await findAnchor(approved, '{{ngay}}');
  const pad = (r: { x: number; y: number; width: number; height: number }) => ({ x: r.x - 1.5, y: r.y - 1, width: r.width + 3, height: r.height + 2 });
  const text = await buildPageText(
    so.geometry,
    so.page,
    [
      { text: '15/QĐ-UBND', box: { ...so.visual, y: so.visual.y - 3, width: 110, height: so.visual.height + 6 }, cover: pad(so.visual) },
      { text: 'ngày 04 tháng 12 năm 2026', box: { ...ngay.visual, y: ngay.visual.y - 3, width: 190, height: ngay.visual.height + 6 }, cover: pad(ngay.visual), font: 'italic' },
    ],
    { fonts: FONTS },
  );
  const doc = PdfDocument.open(approved);
  const up = doc.beginUpdate();
  addPageText(doc, up, text);
  const numbered = up.finish().bytes;

  const sig = regionOnPage(ap1Place, ap1.images['signature']!);
  const ap2Place = placeIssuanceOverSignature(pageGeometry(PdfDocument.open(numbered).getPage(0)), 1, sig, ISSUANCE_TEMPLATE);
  const ap2 = await buildAppearance(ISSUANCE_TEMPLATE, { agency: 'Ủy ban nhân dân tỉnh Bắc Ninh', signingTime: ISSUED_AT, images: { seal: SEAL_PNG } }, { ...ap2Place, fonts: FONTS });
  const issued = await signPdf(numbered, {
    signer: await fixtureSigner('seal'),
    signingTime: ISSUED_AT,
    field: { name: 'ChuKyCoQuan', page: 0, rect: ap2Place.rect },
    appearance: ap2,
  });
  return { approved, issued };
}

describe('visible signatures made by signPdf stay valid', () => {
  let nss: NssDb;
  let docs: { approved: Uint8Array; issued: Uint8Array };
  beforeAll(async () => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
    docs = await issuedDecision();
    // KYSO_APPEARANCE_OUT=dir keeps the signed files, e.g. to look at them
    if (process.env['KYSO_APPEARANCE_OUT']) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${process.env['KYSO_APPEARANCE_OUT']}/issued.pdf`, docs.issued);
    }
  });

  it('approval then issuance: pdfsig finds both signatures valid; the last one covers the whole file', () => {
    const ps = pdfsig(tempFile('issued.pdf', docs.issued), nss.spec);
    expect(ps).toHaveLength(2);
    expect(ps.map((s) => s.valid)).toEqual([true, true]);
    expect(ps[0]!.fieldName).toBe('ChuKyLanhDao');
    expect(ps[1]).toMatchObject({ fieldName: 'ChuKyCoQuan', totalDocumentSigned: true });
  });

  it('the appearances’ text is searchable in the signed file', () => {
    const text = popplerOn('pdftotext', docs.issued);
    for (const s of ['Người ký: Nguyễn Văn An', 'Thời gian ký: 04/12/2026 10:38:09 +07:00', '04/12/2026 14:05:00 +07:00', '15/QĐ-UBND']) expect(text).toContain(s);
  });

  it('tamper twin: one byte changed inside the approval appearance’s font makes pdfsig report a digest mismatch', () => {
    const d = PdfDocument.open(docs.approved);
    // a byte of the embedded font program (written by the approval's update)
    const at = new TextDecoder('latin1').decode(docs.approved).lastIndexOf('/FontFile2');
    expect(at).toBeGreaterThan(d.revisions[0]!.end);
    const ps = pdfsig(tempFile('tampered.pdf', tamper(docs.approved, at + 300)), nss.spec);
    expect(ps[0]!.valid).toBe(false);
    expect(ps[0]!.validation).toMatch(/Digest Mismatch/);
  });

  it('an attachment signed at the top right of page 1 (default place) verifies', async () => {
    const { S, ctx } = await scenarios();
    const appendix = (await S.makeDecisionPdf({ ...(ctx as object), kind: 'appendix' })).bytes;
    const doc = PdfDocument.open(appendix);
    const place = placeByTemplate(ATTACHMENT_TEMPLATE, (p) => pageGeometry(doc.getPage(p - 1)), doc.pageCount);
    const ap = await buildAppearance(ATTACHMENT_TEMPLATE, { docNumber: '15/QĐ-UBND', signingTime: ISSUED_AT }, { ...place, fonts: FONTS });
    const signed = await signPdf(appendix, { signer: await fixtureSigner('seal'), signingTime: ISSUED_AT, field: { page: 0, rect: place.rect }, appearance: ap });
    const ps = pdfsig(tempFile('attachment.pdf', signed), nss.spec);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ valid: true, totalDocumentSigned: true });
    expect(popplerOn('pdftotext', signed)).toContain('15/QĐ-UBND\n04/12/2026 14:05:00 +07:00');
  });
});
