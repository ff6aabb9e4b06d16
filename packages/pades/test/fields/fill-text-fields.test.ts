import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { fillTextFields, signPdf, verifyPdf } from '@kyso/pades';
import { loadDefaultFonts } from '@kyso/pades/node';
import { tempFile, tamper } from '../helpers/files.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { requireTool, run } from '../helpers/tools.js';

async function draftWithFields(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const form = doc.getForm();
  form.createTextField('so_van_ban').addToPage(page, { x: 60, y: 740, width: 180, height: 18, borderWidth: 0 });
  form.createTextField('ngay_ban_hanh').addToPage(page, { x: 300, y: 740, width: 240, height: 18, borderWidth: 0 });
  return doc.save({ useObjectStreams: false });
}

describe('fillTextFields: number and date of issuance under a DocMDP P=2 certification', () => {
  it('fills the fields as allowed form filling; the text is extractable Vietnamese; pdfsig agrees', async () => {
    const fonts = await loadDefaultFonts();
    const certified = await signPdf(await draftWithFields(), { signer: await fixtureSigner('drafter'), certify: 2 });
    const filled = await fillTextFields(certified, { so_van_ban: 'Số: 15/QĐ-UBND', ngay_ban_hanh: { text: 'Bắc Ninh, ngày 04 tháng 12 năm 2026', font: 'italic' } }, { fonts });
    expect(Buffer.from(filled.subarray(0, certified.length)).equals(Buffer.from(certified))).toBe(true);
    const issued = await signPdf(filled, { signer: await fixtureSigner('clerk') });
    const report = await verifyPdf(issued, { trustAnchors: [fixtureRoot().der] });
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED']);
    expect(report.signatures[0]!.modificationsAfter).toBe('allowed');
    expect(report.signatures[0]!.changes.some((c) => c.kind === 'form-fill')).toBe(true);
    requireTool('pdftotext');
    const file = tempFile('issued.pdf', issued);
    const text = run('pdftotext', [file, '-']).stdout;
    expect(text).toContain('Số: 15/QĐ-UBND');
    expect(text).toContain('Bắc Ninh, ngày 04 tháng 12 năm 2026');
    requireTool('pdfsig');
    expect(run('pdfsig', [file]).stdout.match(/Signature is Valid\./g)).toHaveLength(2);
    // tamper twin: a changed byte in the filled revision breaks the issuance signature
    const at = Buffer.from(issued).indexOf('/V', certified.length);
    const bad = await verifyPdf(tamper(issued, at + 1), { trustAnchors: [fixtureRoot().der] });
    expect(bad.signatures[1]!.indication).toBe('TOTAL-FAILED');
  });

  it('names a missing field and a field that is not a text field', async () => {
    const fonts = await loadDefaultFonts();
    const pdf = await draftWithFields();
    await expect(fillTextFields(pdf, { nope: 'x' }, { fonts })).rejects.toThrow(/no form field "nope".*so_van_ban/);
    const signed = await signPdf(pdf, { signer: await fixtureSigner('head') });
    await expect(fillTextFields(signed, { Signature1: 'x' }, { fonts })).rejects.toThrow(/not a text field/);
  });
});
