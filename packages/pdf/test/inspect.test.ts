import { describe, expect, it } from 'vitest';
import { loadFixture } from '@kyso/test-fixtures';
import { PdfDocument, PdfError, inspectPdf } from '@kyso/pdf';

describe('inspectPdf', () => {
  it('summarises revisions, objects per revision and fields as JSON', () => {
    const r = inspectPdf(PdfDocument.open(loadFixture('pdfs', 'revisions-4-table.pdf')));
    expect(r.revisions).toBe(4);
    expect(r.revisionList.map((x) => x.objects.length)).toEqual([10, 2, 4, 2]);
    expect(r.revisionList[3]!.end).toBe(loadFixture('pdfs', 'revisions-4-table.pdf').length);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const f = inspectPdf(PdfDocument.open(loadFixture('pdfs', 'forms-annots.pdf')));
    expect(f.fields).toContainEqual({ name: 'Signature1', type: 'Sig', pages: [0], signed: false });
    expect(f.signatures).toEqual([]);
  });

  it('stops at maxRevisions with PDF_LIMIT', () => {
    try {
      PdfDocument.open(loadFixture('pdfs', 'revisions-4-table.pdf'), { maxRevisions: 2 });
      expect.unreachable();
    } catch (e) {
      expect((e as PdfError).code).toBe('PDF_LIMIT');
    }
  });
});
