import { listFields, listSignatures, PdfArray, PdfDict, PdfDocument, PdfName, PdfStream, PdfString } from '@kyso/pdf';
import { loadFixture } from '@kyso/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { preparePdfSignature, signPdf, verifyPdf } from '../../src/index.js';
import { craftUpdate, edit } from '../helpers/craft.js';
import { tempFile } from '../helpers/files.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { expectAllPassed } from '../helpers/verify.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');
const verify = (b: Uint8Array) => verifyPdf(b, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });

/** Adds a Text annotation to page 1 in a new revision. */
function addAnnotation(pdf: Uint8Array): Uint8Array {
  return craftUpdate(pdf, (doc, up) => {
    const page = doc.getPage(0);
    const annot = up.allocate();
    up.set(annot, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Text'), Rect: PdfArray.of([10, 10, 30, 30]), Contents: PdfString.fromText('Ghi chú') }));
    const p = edit(doc, up, page.ref!);
    const annots = p.getArray('Annots', doc)?.clone() ?? PdfArray.of();
    annots.push(annot);
    p.set('Annots', annots);
  });
}

/** Replaces the page content in a new revision: what an attacker would do. */
function changeContent(pdf: Uint8Array): Uint8Array {
  return craftUpdate(pdf, (doc, up) => {
    const page = doc.getPage(0);
    const contents = page.dict.getRef('Contents')!;
    up.set(contents, PdfStream.fromData(new TextEncoder().encode('BT /F1 24 Tf 72 720 Td (Goodbye) Tj ET'), PdfDict.of(), { compress: false }));
  });
}

describe('certification (DocMDP, ISO 32000-2 §12.8.2.2)', () => {
  let nss: NssDb;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
  });

  it('writes the DocMDP reference and the catalog /Perms /DocMDP', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('drafter'), certify: 3 });
    const doc = PdfDocument.open(signed);
    const sig = listSignatures(doc)[0]!;
    const ref = sig.references[0]!;
    expect(ref.transformMethod).toBe('DocMDP');
    expect(ref.transformParams?.getInt('P')).toBe(3);
    expect(ref.transformParams?.getName('V')).toBe('1.2');
    expect(doc.catalog.getDict('Perms', doc)?.getRef('DocMDP')?.equals(sig.ref!)).toBe(true);
    const report = await verify(signed);
    expectAllPassed(report, 1);
    expect(report.signatures[0]!.kind).toBe('certification');
  });

  it('P=1 refuses any later signature with DOCMDP_FORBIDS naming the permission', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('drafter'), certify: 1 });
    const head = await fixtureSigner('head');
    await expect(signPdf(signed, { signer: head })).rejects.toMatchObject({ code: 'DOCMDP_FORBIDS', message: expect.stringMatching(/P=1: no changes are permitted/) });
    await expect(preparePdfSignature(signed, { signer: head })).rejects.toMatchObject({ code: 'DOCMDP_FORBIDS' });
    expectAllPassed(await verify(signed), 1);
  });

  it('P=1: a signature forced in anyway makes the certification TOTAL-FAILED; DSS added after it is allowed', async () => {
    const p1 = await signPdf(minimalPdf(), { signer: await fixtureSigner('drafter'), certify: 1 });
    // A signature dictionary appended without asking signPdf (which refuses): any change breaks P=1.
    const forced = craftUpdate(p1, (_doc, up) => {
      const sig = up.allocate();
      up.set(sig, PdfDict.of({ Type: PdfName.of('Sig'), Filter: PdfName.of('Adobe.PPKLite'), SubFilter: PdfName.of('ETSI.CAdES.detached') }));
    });
    const r = await verify(forced);
    expect(r.signatures[0]).toMatchObject({ modificationsAfter: 'disallowed', indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    const dss = craftUpdate(p1, (doc, up) => {
      const d = up.allocate();
      up.set(d, PdfDict.of({ Type: PdfName.of('DSS'), Certs: PdfArray.of([]) }));
      edit(doc, up, doc.catalogRef).set('DSS', d);
    });
    const r2 = await verify(dss);
    expect(r2.signatures[0]).toMatchObject({ modificationsAfter: 'allowed', indication: 'TOTAL-PASSED' });
    expect(r2.signatures[0]!.changes.map((c) => c.kind)).toContain('dss');
  });

  it('P=2 allows signing (also in a new field) but not annotations; P=3 allows annotations', async () => {
    const drafter = await fixtureSigner('drafter');
    const head = await fixtureSigner('head');
    const p2 = await signPdf(minimalPdf(), { signer: drafter, certify: 2 });
    expectAllPassed(await verify(await signPdf(p2, { signer: head })), 2);
    const annotated2 = await verify(addAnnotation(p2));
    expect(annotated2.signatures[0]).toMatchObject({ modificationsAfter: 'disallowed', indication: 'TOTAL-FAILED' });
    expect(annotated2.signatures[0]!.errors.join()).toMatch(/annotations only with P=3/);
    const p3 = await signPdf(minimalPdf(), { signer: drafter, certify: 3 });
    const annotated3 = await verify(addAnnotation(p3));
    expect(annotated3.signatures[0]).toMatchObject({ modificationsAfter: 'allowed', indication: 'TOTAL-PASSED' });
  });

  it('P=2 allows filling in form fields', async () => {
    const pdf = loadFixture('pdfs', 'forms-annots.pdf');
    const p2 = await signPdf(pdf, { signer: await fixtureSigner('drafter'), certify: 2, field: 'Drafter' });
    const filled = craftUpdate(p2, (doc, up) => {
      const text = listFields(doc).find((f) => f.type === 'Tx')!;
      edit(doc, up, text.ref!).set('V', PdfString.fromText('Nguyễn Văn An'));
    });
    const r = await verify(filled);
    expect(r.signatures[0]).toMatchObject({ modificationsAfter: 'allowed', indication: 'TOTAL-PASSED' });
    expect(r.signatures[0]!.changes.map((c) => c.kind)).toEqual(['form-fill']);
  });

  it('only the first signature may certify (CERTIFICATION_NOT_FIRST)', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('drafter') });
    await expect(signPdf(signed, { signer: await fixtureSigner('head'), certify: 2 })).rejects.toMatchObject({ code: 'CERTIFICATION_NOT_FIRST' });
  });

  it('a page content change after an approval signature is disallowed (TOTAL-FAILED) although pdfsig still calls it valid', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('leader') });
    const changed = changeContent(signed);
    const r = await verify(changed);
    expect(r.signatures[0]).toMatchObject({ integrity: true, coverage: 'entire-revision', modificationsAfter: 'disallowed', indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0]!.changes.filter((c) => !c.allowed).map((c) => c.kind)).toEqual(['object-modified']);
    const ps = pdfsig(tempFile('content-changed.pdf', changed), nss.spec);
    expect(ps[0]).toMatchObject({ valid: true, totalDocumentSigned: false });
  });
});

describe('FieldMDP locks (ISO 32000-2 §12.7.5.5, §12.8.2.4)', () => {
  it('writes /Lock on the field and a FieldMDP reference; a locked field cannot be signed, a new one can', async () => {
    const pdf = loadFixture('pdfs', 'forms-annots.pdf');
    const drafter = await fixtureSigner('drafter');
    const locked = await signPdf(pdf, { signer: drafter, field: 'Drafter', lock: { action: 'Include', fields: ['Signature1'] } });
    const doc = PdfDocument.open(locked);
    const sig = listSignatures(doc).find((s) => s.field.name === 'Drafter')!;
    expect(sig.field.lock?.getName('Type')).toBe('SigFieldLock');
    expect(sig.field.lock?.getName('Action')).toBe('Include');
    const fieldMdp = sig.references.find((r) => r.transformMethod === 'FieldMDP')!;
    expect((fieldMdp.transformParams?.get('Fields') as PdfArray).getString(0)?.toText()).toBe('Signature1');

    const head = await fixtureSigner('head');
    await expect(signPdf(locked, { signer: head, field: 'Signature1' })).rejects.toMatchObject({ code: 'FIELD_LOCKED', message: expect.stringMatching(/Signature1.*Drafter/) });
    const second = await signPdf(locked, { signer: head, field: 'Head' });
    expectAllPassed(await verify(second), 2);
  });

  it('signing a field that already carries /Lock records the FieldMDP reference; action All locks every field', async () => {
    const drafter = await fixtureSigner('drafter');
    const all = await signPdf(loadFixture('pdfs', 'forms-annots.pdf'), { signer: drafter, field: 'Drafter', lock: { action: 'All' } });
    await expect(signPdf(all, { signer: await fixtureSigner('head'), field: 'Signature1' })).rejects.toMatchObject({ code: 'FIELD_LOCKED' });
  });

  it('a locked field changed anyway makes the locking signature TOTAL-FAILED', async () => {
    const locked = await signPdf(loadFixture('pdfs', 'forms-annots.pdf'), {
      signer: await fixtureSigner('drafter'),
      field: 'Drafter',
      lock: { action: 'Exclude', fields: ['Signature1'] },
    });
    const filled = craftUpdate(locked, (doc, up) => {
      const text = listFields(doc).find((f) => f.type === 'Tx')!;
      edit(doc, up, text.ref!).set('V', PdfString.fromText('changed'));
    });
    const r = await verify(filled);
    expect(r.signatures[0]).toMatchObject({ modificationsAfter: 'disallowed', indication: 'TOTAL-FAILED' });
    expect(r.signatures[0]!.changes.map((c) => c.kind)).toEqual(['locked-field-modified']);
  });
});
