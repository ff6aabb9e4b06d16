import { fromLatin1, latin1 } from '@kyso/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadFixture } from '@kyso/test-fixtures';
import { PdfArray, PdfDict, PdfDocument, PdfName, PdfRaw, PdfRef, PdfString, findField, formatPdfDate, listSignatures, listFields, serializeIndirectObject } from '@kyso/pdf';
import { buildPdf, TWO_PAGES } from '../helpers/build-pdf.js';
import { tool } from '../helpers/tools.js';

const CONTENTS_HEX = 2 * 4096;

/** What a signer does with the API: a placeholder signature in an incremental update, patched in place. */
function signPlaceholder(bytes: Uint8Array, target: string | PdfRef, type: 'Sig' | 'DocTimeStamp' = 'Sig') {
  const doc = PdfDocument.open(bytes);
  const field = typeof target === 'string' ? findField(doc, target)! : { ref: target, dict: doc.getObject(target) as PdfDict };
  const up = doc.beginUpdate();
  const sigRef = up.allocate();
  const sig = PdfDict.of({
    Type: PdfName.of(type),
    Filter: PdfName.of('Adobe.PPKLite'),
    SubFilter: PdfName.of(type === 'Sig' ? 'ETSI.CAdES.detached' : 'ETSI.RFC3161'),
    ByteRange: PdfRaw.fromString('[0 ********** ********** **********]'),
    Contents: PdfRaw.fromString('<' + '0'.repeat(CONTENTS_HEX) + '>'),
    M: PdfString.fromLatin1(formatPdfDate(new Date('2026-12-04T09:00:00Z'))),
    Name: PdfString.fromText('Nguyễn Thị Hồng Nhung'),
    Reason: PdfString.fromText('Phê duyệt'),
    Reference: PdfArray.of([PdfDict.of({ Type: PdfName.of('SigRef'), TransformMethod: PdfName.of('DocMDP'), TransformParams: PdfDict.of({ Type: PdfName.of('TransformParams'), P: 2, V: PdfName.of('1.2') }) })]),
  });
  up.set(sigRef, sig);
  const f = field.dict.clone();
  f.set('V', sigRef);
  up.set(field.ref!, f);
  const res = up.finish();
  const out = res.bytes.slice();
  // Find the placeholders inside the bytes the writer wrote for the signature dictionary.
  const objText = fromLatin1(serializeIndirectObject(sigRef, sig));
  const start = res.offsets.get(sigRef.num)!;
  expect(fromLatin1(out.subarray(start, start + objText.length))).toBe(objText);
  const contentsAt = start + objText.indexOf('/Contents <') + '/Contents '.length;
  const contentsEnd = contentsAt + CONTENTS_HEX + 2;
  const br = [0, contentsAt, contentsEnd, out.length - contentsEnd];
  const brText = `[${br.join(' ')}]`.padEnd('[0 ********** ********** **********]'.length, ' ');
  out.set(latin1(brText), start + objText.indexOf('/ByteRange [') + '/ByteRange '.length);
  out.set(latin1('DEADBEEF'), contentsAt + 1);
  return { out, br, contentsAt, contentsEnd, sigRef, originalLength: bytes.length };
}

describe('signature dictionaries', () => {
  it('lists a signature written with placeholders, with the /Contents span and the revision', () => {
    const { out, br, contentsAt, contentsEnd, sigRef, originalLength } = signPlaceholder(loadFixture('pdfs', 'forms-annots.pdf'), 'Signature1');
    const doc = PdfDocument.open(out);
    const [sig, ...rest] = listSignatures(doc);
    expect(rest).toEqual([]);
    expect(sig!.field.name).toBe('Signature1');
    expect(sig!.ref).toEqual(sigRef);
    expect(sig!.type).toBe('Sig');
    expect(sig!.filter).toBe('Adobe.PPKLite');
    expect(sig!.subFilter).toBe('ETSI.CAdES.detached');
    expect(sig!.byteRange).toEqual(br);
    expect(sig!.contentsSpan).toEqual({ start: contentsAt, end: contentsEnd });
    expect(out[contentsAt]).toBe(0x3c);
    expect(out[contentsEnd - 1]).toBe(0x3e);
    expect(sig!.contents!.length).toBe(CONTENTS_HEX / 2);
    expect([...sig!.contents!.subarray(0, 5)]).toEqual([0xde, 0xad, 0xbe, 0xef, 0]);
    expect(sig!.name).toBe('Nguyễn Thị Hồng Nhung');
    expect(sig!.reason).toBe('Phê duyệt');
    expect(sig!.signingTime).toBe("D:20261204160000+07'00'");
    expect(sig!.references.map((r) => [r.transformMethod, r.transformParams?.getInt('P')])).toEqual([['DocMDP', 2]]);
    expect(sig!.revision).toBe(1);
    // pdf-lib ends without an EOL after %%EOF: the writer adds one, counted into revision 0.
    expect(doc.revisions[0]!.eofEnd).toBe(originalLength);
    expect(doc.revisions[0]!.end).toBe(originalLength + 1);
    expect(doc.revisions[1]!.start).toBe(originalLength + 1);
    expect(doc.revisions[1]!.eofEnd).toBe(out.length - 1);
    expect(doc.revisions[1]!.end).toBe(out.length);
    // The ByteRange covers the whole file except the /Contents string.
    expect(br[0]! + br[1]!).toBe(sig!.contentsSpan!.start);
    expect(br[2]).toBe(sig!.contentsSpan!.end);
    expect(br[2]! + br[3]!).toBe(out.length);
    // The field as it was before signing had no value.
    expect(listSignatures(doc.atRevision(0))).toEqual([]);
  });

  it('a document timestamp and a second signature stack as revisions; qpdf accepts the file', () => {
    const first = signPlaceholder(loadFixture('pdfs', 'forms-annots.pdf'), 'Signature1').out;
    // Add a second signature field on page 2 in another update, then a timestamp into it.
    const doc = PdfDocument.open(first);
    const up = doc.beginUpdate();
    const fieldRef = up.allocate();
    const page = doc.getPage(1);
    up.set(fieldRef, PdfDict.of({ FT: PdfName.of('Sig'), T: PdfString.fromText('Dấu thời gian'), Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), Rect: PdfArray.of([0, 0, 0, 0]), P: page.ref!, F: 132 }));
    const form = doc.catalog.getDict('AcroForm', doc)!.clone();
    form.getArray('Fields')!.push(fieldRef);
    const formRef = doc.catalog.getRef('AcroForm');
    if (formRef) up.set(formRef, form);
    else {
      const cat = doc.catalog.clone();
      cat.set('AcroForm', form);
      up.set(doc.catalogRef, cat);
    }
    const pd = page.dict.clone();
    const annots = (doc.resolve(pd.get('Annots')) as PdfArray | undefined)?.clone() ?? PdfArray.of();
    annots.push(fieldRef);
    pd.set('Annots', annots);
    up.set(page.ref!, pd);
    const withField = up.finish().bytes;
    const ts = signPlaceholder(withField, 'Dấu thời gian', 'DocTimeStamp');
    const final = PdfDocument.open(ts.out);
    expect(final.revisions).toHaveLength(4);
    const sigs = listSignatures(final);
    expect(sigs.map((s) => [s.field.name, s.type, s.revision])).toEqual([
      ['Signature1', 'Sig', 1],
      ['Dấu thời gian', 'DocTimeStamp', 3],
    ]);
    expect(sigs[0]!.byteRange![2]! + sigs[0]!.byteRange![3]!).toBe(final.revisions[1]!.end);
    const dir = mkdtempSync(join(tmpdir(), 'kyso-pdf-sig-'));
    try {
      writeFileSync(join(dir, 'ts.pdf'), ts.out);
      expect(tool('qpdf', ['--check', join(dir, 'ts.pdf')]).status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Adds an empty signature widget to page `pageIndex`'s /Annots, and to the AcroForm's /Fields
 * only when `inForm`. `onPage: false` leaves it out of the page's /Annots too (its /P still
 * names the page). Returns the file and the widget's reference.
 */
function addSignatureWidget(bytes: Uint8Array, name: string, opts: { pageIndex?: number; inForm?: boolean; onPage?: boolean } = {}) {
  const doc = PdfDocument.open(bytes);
  const up = doc.beginUpdate();
  const ref = up.allocate();
  const page = doc.getPage(opts.pageIndex ?? 0);
  up.set(ref, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), FT: PdfName.of('Sig'), T: PdfString.fromText(name), Rect: PdfArray.of([0, 0, 0, 0]), P: page.ref!, F: 132 }));
  if (opts.onPage !== false) {
    const pd = page.dict.clone();
    const annots = (doc.resolve(pd.get('Annots')) as PdfArray | undefined)?.clone() ?? PdfArray.of();
    annots.push(ref);
    pd.set('Annots', annots);
    up.set(page.ref!, pd);
  }
  if (opts.inForm) {
    const cat = doc.catalog.clone();
    cat.set('AcroForm', PdfDict.of({ Fields: PdfArray.of([ref]), SigFlags: 3 }));
    up.set(doc.catalogRef, cat);
  }
  return { bytes: up.finish().bytes, ref };
}

describe('signature fields that only a page\'s /Annots holds', () => {
  it('are listed when the AcroForm lists no signature field: every page is read (pdfsig lists them too)', () => {
    const { bytes, ref } = addSignatureWidget(buildPdf(TWO_PAGES), 'Chữ ký ngoài form', { pageIndex: 1 });
    const doc = PdfDocument.open(signPlaceholder(bytes, ref).out);
    expect(listFields(doc)).toEqual([]);
    const [sig, ...rest] = listSignatures(doc, { unlisted: true });
    expect(rest).toEqual([]);
    expect(sig!.field.name).toBe('Chữ ký ngoài form');
    expect(sig!.field.ref).toEqual(ref);
    expect(sig!.field.widgets[0]!.pageIndex).toBe(1);
    expect(sig!.inAcroForm).toBe(false);
    expect(sig!.revision).toBe(2);
    expect(sig!.subFilter).toBe('ETSI.CAdES.detached');
    // Only on request: signing does not read every page of a long document for them.
    expect(listSignatures(doc)).toEqual([]);
  });

  it('are listed after the AcroForm\'s signatures when an incremental update wrote them, and not twice', () => {
    const first = signPlaceholder(loadFixture('pdfs', 'forms-annots.pdf'), 'Signature1').out;
    const { bytes, ref } = addSignatureWidget(first, 'Orphan', { pageIndex: 1 });
    const doc = PdfDocument.open(signPlaceholder(bytes, ref).out);
    const sigs = listSignatures(doc, { unlisted: true });
    expect(sigs.map((s) => [s.field.name, s.inAcroForm, s.revision])).toEqual([
      ['Signature1', true, 1],
      ['Orphan', false, 3],
    ]);
  });

  it('are not listed when no page\'s /Annots holds the widget (nothing shows it), nor when unsigned', () => {
    const hidden = addSignatureWidget(buildPdf(TWO_PAGES), 'Hidden', { onPage: false });
    expect(listSignatures(PdfDocument.open(signPlaceholder(hidden.bytes, hidden.ref).out), { unlisted: true })).toEqual([]);
    // Written by an update, with a /P that names a page which does not list it.
    const first = signPlaceholder(loadFixture('pdfs', 'forms-annots.pdf'), 'Signature1').out;
    const later = addSignatureWidget(first, 'Hidden', { onPage: false });
    expect(listSignatures(PdfDocument.open(signPlaceholder(later.bytes, later.ref).out), { unlisted: true }).map((s) => s.field.name)).toEqual(['Signature1']);
    const unsigned = addSignatureWidget(buildPdf(TWO_PAGES), 'Empty');
    expect(listSignatures(PdfDocument.open(unsigned.bytes), { unlisted: true })).toEqual([]);
  });

  it('reads the pages only when asked to and when the AcroForm lists no signature field (signing a long file reads none)', () => {
    const objects: Record<number, string> = { 1: '<< /Type /Catalog /Pages 2 0 R >>' };
    const kids: string[] = [];
    for (let i = 0; i < 200; i++) {
      objects[3 + i] = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';
      kids.push(`${3 + i} 0 R`);
    }
    objects[2] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count 200 >>`;
    const reads = (list: (doc: PdfDocument) => unknown) => {
      const doc = PdfDocument.open(buildPdf(objects));
      const spy = vi.spyOn(doc, 'getObject');
      list(doc);
      return spy.mock.calls.length;
    };
    expect(reads((d) => listSignatures(d))).toBeLessThan(5);
    expect(reads((d) => listSignatures(d, { unlisted: true }))).toBeGreaterThanOrEqual(200);
  });

  it('a page tree whose /Count overstates it ends the search at the last readable page, without an error', () => {
    const lying = { ...TWO_PAGES, 2: TWO_PAGES[2]!.replace('/Count 2', '/Count 9') };
    const { bytes, ref } = addSignatureWidget(buildPdf(lying), 'Trang 2', { pageIndex: 1 });
    const sigs = listSignatures(PdfDocument.open(signPlaceholder(bytes, ref).out), { unlisted: true });
    expect(sigs.map((s) => [s.field.name, s.field.widgets[0]!.pageIndex])).toEqual([['Trang 2', 1]]);
  });

  it('a field in the AcroForm is listed once, as in it', () => {
    const { bytes, ref } = addSignatureWidget(buildPdf(TWO_PAGES), 'Listed', { inForm: true });
    const sigs = listSignatures(PdfDocument.open(signPlaceholder(bytes, ref).out), { unlisted: true });
    expect(sigs.map((s) => [s.field.name, s.inAcroForm])).toEqual([['Listed', true]]);
  });
});

describe('readByteRanges', () => {
  it('yields the covered bytes in chunks and refuses ranges outside the file', async () => {
    const { MemoryByteSource, readByteRanges } = await import('@kyso/pdf');
    const src = new MemoryByteSource(Uint8Array.from({ length: 100 }, (_, i) => i));
    const chunks = [...readByteRanges(src, [0, 10, 50, 50], 16)];
    expect(chunks.map((c) => c.length)).toEqual([10, 16, 16, 16, 2]);
    expect(chunks.flatMap((c) => [...c])).toEqual([...Array(10).keys(), ...Array.from({ length: 50 }, (_, i) => 50 + i)]);
    expect(() => [...readByteRanges(src, [0, 10, 95, 10])]).toThrow(RangeError);
  });
});
