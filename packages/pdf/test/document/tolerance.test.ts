import { fromLatin1, latin1 } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { PdfDict, PdfDocument, PdfStream } from '@kyso/pdf';
import { TWO_PAGES, buildPdf } from '../helpers/build-pdf.js';

const edit = (b: Uint8Array, fn: (s: string) => string) => latin1(fn(fromLatin1(b)));

describe('common producer mistakes are read without repair', () => {
  it('an xref table that starts at 1 although its first entry is object 0', () => {
    const bytes = edit(buildPdf(TWO_PAGES), (s) => s.replace('xref\n0 6\n', 'xref\n1 6\n'));
    const doc = PdfDocument.open(bytes);
    expect(doc.repaired).toBe(false);
    expect(doc.getPage(1).rotate).toBe(90);
  });

  it('xref entries ending in " \\n" and a comment before startxref', () => {
    const bytes = edit(buildPdf(TWO_PAGES), (s) => s.replace(/\r\n/g, ' \n').replace('startxref', '% a comment\nstartxref'));
    const doc = PdfDocument.open(bytes);
    expect(doc.repaired).toBe(false);
    expect(doc.pageCount).toBe(2);
  });

  it('an object without endobj, and "stream" followed by a lone CR', () => {
    const objs = { ...TWO_PAGES, 6: '<< /A 1 >>', 7: '<< /Length 3 >>\nstream\rabc\nendstream' };
    const bytes = edit(buildPdf(objs), (s) => s.replace('<< /A 1 >>\nendobj', '<< /A 1 >>\n      '));
    const doc = PdfDocument.open(bytes);
    expect((doc.getObject(6) as PdfDict).getInt('A')).toBe(1);
    expect(fromLatin1((doc.getObject(7) as PdfStream).raw)).toBe('abc');
    expect(doc.repaired).toBe(false);
  });

  it('garbage after %%EOF: the last revision ends at %%EOF and updates still work', () => {
    const bytes = new Uint8Array([...buildPdf(TWO_PAGES), ...new Uint8Array(300)]);
    const doc = PdfDocument.open(bytes);
    expect(doc.revisions[0]!.end).toBe(bytes.length - 300);
    const up = doc.beginUpdate();
    up.set(up.allocate(), 1);
    const back = PdfDocument.open(up.finish().bytes);
    expect(back.revisions).toHaveLength(2);
    expect(back.revisions[1]!.start).toBe(bytes.length - 300);
    expect(back.getObject(6)).toBe(1);
  });

  it('an indirect /Length defined after the stream', () => {
    const objs = { ...TWO_PAGES, 6: '<< /Length 7 0 R >>\nstream\nhello\nendstream', 7: '5' };
    const doc = PdfDocument.open(buildPdf(objs));
    expect(fromLatin1((doc.getObject(6) as PdfStream).raw)).toBe('hello');
    expect(doc.warnings).toEqual([]);
  });
});
