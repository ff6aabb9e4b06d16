import { fromLatin1, latin1 } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { PdfDict, PdfDocument, PdfError, PdfName, PdfNull, PdfRef, PdfString } from '@kyso/pdf';
import { TWO_PAGES, buildPdf } from '../helpers/build-pdf.js';

describe('PdfDocument.open', () => {
  for (const kind of ['table', 'stream'] as const) {
    it(`reads a ${kind} file lazily: revisions, catalog, pages with inherited attributes`, () => {
      const bytes = buildPdf(TWO_PAGES, { kind });
      const doc = PdfDocument.open(bytes);
      expect(doc.stats.objectsParsed).toBe(0);
      expect(doc.revisions).toHaveLength(1);
      const r = doc.revisions[0]!;
      expect(r.start).toBe(0);
      expect(r.end).toBe(bytes.length);
      expect(r.xrefKind).toBe(kind);
      expect(r.objects).toEqual(kind === 'table' ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6]);
      expect(doc.catalog.getName('Type')).toBe('Catalog');
      expect(doc.pageCount).toBe(2);
      const p0 = doc.getPage(0);
      expect(p0.mediaBox).toEqual([0, 0, 595.28, 841.89]);
      expect(p0.rotate).toBe(0);
      expect(p0.resources).toBeInstanceOf(PdfDict);
      expect(p0.ref).toEqual(PdfRef.of(3));
      const p1 = doc.getPage(1);
      expect(p1.mediaBox).toEqual([0, 0, 100, 200]);
      expect(p1.rotate).toBe(90);
      expect(doc.stats.objectsParsed).toBe(4);
      expect(() => doc.getPage(2)).toThrow(/No page 2/);
      expect(doc.pageIndexOf(PdfRef.of(4))).toBe(1);
      expect(doc.repaired).toBe(false);
      expect(doc.version).toBe('1.7');
    });
  }

  it('returns null for free or missing objects and decodes streams', () => {
    const doc = PdfDocument.open(buildPdf(TWO_PAGES));
    expect(doc.getObject(99)).toBe(PdfNull.instance);
    expect(fromLatin1(doc.getPage(0).dict.getStream('Contents', doc)!.decode())).toBe('BT ET');
  });

  it('takes the catalog /Version when it is later than the header', () => {
    const objs = { ...TWO_PAGES, 1: '<< /Type /Catalog /Pages 2 0 R /Version /2.0 >>' };
    expect(PdfDocument.open(buildPdf(objs, { version: '1.4' })).version).toBe('2.0');
  });

  it('refuses an encrypted file with PDF_ENCRYPTED naming qpdf --decrypt', () => {
    const objs = { ...TWO_PAGES, 6: '<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>' };
    const bytes = buildPdf(objs, { trailerExtra: '/Encrypt 6 0 R ' });
    try {
      PdfDocument.open(bytes);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PdfError);
      expect((e as PdfError).code).toBe('PDF_ENCRYPTED');
      expect((e as PdfError).message).toMatch(/qpdf --decrypt/);
    }
    expect(PdfDocument.open(bytes, { allowEncrypted: true }).pageCount).toBe(2);
  });
});

describe('incremental updates', () => {
  for (const kind of ['table', 'stream'] as const) {
    it(`appends a ${kind} section, keeps the prefix, and reads back three revisions`, () => {
      const original = buildPdf(TWO_PAGES, { kind });
      const doc = PdfDocument.open(original);
      const up = doc.beginUpdate();
      const ref = up.allocate();
      expect(ref.num).toBe(kind === 'table' ? 6 : 7);
      up.set(ref, PdfDict.of({ Type: PdfName.of('Test'), Note: PdfString.fromText('Sở Nội vụ') }));
      const cat = doc.catalog.clone();
      cat.set('Test', ref);
      up.set(doc.catalogRef, cat);
      const r1 = up.finish();
      expect(r1.xrefKind).toBe(kind);
      expect(r1.bytes.subarray(0, original.length)).toEqual(original);
      expect(fromLatin1(r1.bytes.subarray(r1.offsets.get(ref.num)!, r1.offsets.get(ref.num)! + 12))).toBe(`${ref.num} 0 obj\n<< /`);
      expect(fromLatin1(r1.bytes.subarray(-6))).toBe('%%EOF\n');

      const doc1 = PdfDocument.open(r1.bytes);
      expect(doc1.revisions).toHaveLength(2);
      expect(doc1.revisions[1]!.start).toBe(original.length);
      expect(doc1.revisions[1]!.end).toBe(r1.bytes.length);
      expect(doc1.revisions[1]!.xrefKind).toBe(kind);
      expect(doc1.revisions[1]!.trailer.getInt('Prev')).toBe(doc.revisions[0]!.xrefOffset);
      expect(doc1.catalog.getDict('Test', doc1)!.getText('Note')).toBe('Sở Nội vụ');
      // The earlier revision still sees the old catalog.
      expect(doc1.atRevision(0).catalog.has('Test')).toBe(false);
      expect(doc1.atRevision(0).isReadOnly).toBe(true);
      expect(() => doc1.atRevision(0).beginUpdate()).toThrow(/read-only/);
      expect(doc1.revisionOfObject(1)).toBe(1);
      expect(doc1.revisionOfObject(3)).toBe(0);

      const up2 = doc1.beginUpdate();
      up2.set(up2.allocate(), 1);
      const r2 = up2.finish();
      expect(r2.bytes.subarray(0, r1.bytes.length)).toEqual(r1.bytes);
      const doc2 = PdfDocument.open(r2.bytes);
      expect(doc2.revisions.map((r) => r.index)).toEqual([0, 1, 2]);
      expect(doc2.revisions[2]!.objects).toEqual(kind === 'table' ? [7] : [9, 10]);
    });
  }

  it('adds an EOL when the original does not end with one', () => {
    const original = buildPdf(TWO_PAGES, { noEol: true });
    expect(original[original.length - 1]).toBe(0x46);
    const doc = PdfDocument.open(original);
    expect(doc.revisions[0]!.end).toBe(original.length);
    const up = doc.beginUpdate();
    up.set(up.allocate(), PdfNull.instance);
    const r = up.finish();
    expect(r.bytes.subarray(0, original.length)).toEqual(original);
    expect(r.bytes[original.length]).toBe(0x0a);
    const doc1 = PdfDocument.open(r.bytes);
    expect(doc1.revisions[0]!.end).toBe(original.length + 1);
    expect(doc1.revisions[0]!.eofEnd).toBe(original.length);
    expect(doc1.getObject(6)).toBe(PdfNull.instance);
  });

  it('keeps /ID and /Info, and lets the caller override trailer entries', () => {
    const original = buildPdf({ ...TWO_PAGES, 6: '<< /Producer (x) >>' }, { trailerExtra: '/Info 6 0 R /ID [<01> <01>] ' });
    const up = PdfDocument.open(original).beginUpdate();
    up.set(up.allocate(), 1);
    up.setTrailerEntry('ID', PdfDocument.open(original).trailer.get('ID'));
    const text = fromLatin1(up.finish().bytes.subarray(original.length));
    expect(text).toMatch(/trailer\n<< \/Size 8 \/Root 1 0 R \/Info 6 0 R \/ID \[<01> <01>\] \/Prev \d+ >>\nstartxref\n\d+\n%%EOF\n$/);
    expect(() => up.setTrailerEntry('Prev', 1)).toThrow(/computed/);
  });

  it('writes a stable table format', () => {
    const original = buildPdf(TWO_PAGES);
    const up = PdfDocument.open(original).beginUpdate();
    up.set(PdfRef.of(3), PdfDict.of({ Type: PdfName.of('Page') }));
    up.set(up.allocate(), 2);
    const inc = fromLatin1(up.finishIncrement().increment);
    const o3 = original.length;
    const o6 = o3 + '3 0 obj\n<< /Type /Page >>\nendobj\n'.length;
    const x = o6 + '6 0 obj\n2\nendobj\n'.length;
    expect(inc).toBe(
      `3 0 obj\n<< /Type /Page >>\nendobj\n6 0 obj\n2\nendobj\nxref\n3 1\n${String(o3).padStart(10, '0')} 00000 n\r\n6 1\n${String(o6).padStart(10, '0')} 00000 n\r\n` +
        `trailer\n<< /Size 7 /Root 1 0 R /Prev ${PdfDocument.open(original).revisions[0]!.xrefOffset} >>\nstartxref\n${x}\n%%EOF\n`,
    );
    void latin1;
  });
});

describe('many revisions', () => {
  it('reads 60 stacked updates and resolves each object through the right revision', () => {
    let bytes = buildPdf(TWO_PAGES, { kind: 'stream' });
    for (let i = 1; i <= 60; i++) {
      const doc = PdfDocument.open(bytes);
      const up = doc.beginUpdate();
      const cat = doc.catalog.clone();
      cat.set('Step', i);
      up.set(doc.catalogRef, cat);
      bytes = up.finish().bytes;
    }
    const doc = PdfDocument.open(bytes);
    expect(doc.revisions).toHaveLength(61);
    expect(doc.revisions.every((r) => r.xrefKind === 'stream')).toBe(true);
    for (const i of [0, 1, 30, 60]) expect(doc.atRevision(i).catalog.getInt('Step')).toBe(i === 0 ? undefined : i);
    expect(() => doc.atRevision(61)).toThrow(/No revision 61/);
    expect(doc.atRevision(10).revisions).toHaveLength(11);
  });
});
