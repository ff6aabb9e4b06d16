import { latin1 } from '@kyso/core';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PdfDocument, PdfError, PdfNull, PdfStream } from '@kyso/pdf';
import { TWO_PAGES, buildPdf } from '../helpers/build-pdf.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof PdfError) return e.code;
    throw e;
  }
  return 'no error';
}

/** Runs `fn` and checks it finished quickly (bounded time against hostile input). */
function quick<T>(fn: () => T, ms = 3000): T {
  const t = Date.now();
  const r = fn();
  expect(Date.now() - t).toBeLessThan(ms);
  return r;
}

describe('hostile input gives a PdfError in bounded time and memory', () => {
  it('deep nesting: PDF_TOO_DEEP, no stack overflow', () => {
    const doc = PdfDocument.open(buildPdf({ ...TWO_PAGES, 6: '['.repeat(200_000) + ']'.repeat(200_000) }));
    expect(quick(() => code(() => doc.getObject(6)))).toBe('PDF_TOO_DEEP');
    const doc2 = PdfDocument.open(buildPdf({ ...TWO_PAGES, 6: '<< /A '.repeat(5000) + '>>'.repeat(5000) }));
    expect(code(() => doc2.getObject(6))).toBe('PDF_TOO_DEEP');
  });

  it('reference cycles: PDF_REFERENCE_CYCLE', () => {
    const doc = PdfDocument.open(buildPdf({ ...TWO_PAGES, 6: '7 0 R', 7: '6 0 R', 8: '8 0 R' }));
    expect(code(() => doc.resolve(doc.getObject(6)))).toBe('PDF_REFERENCE_CYCLE');
    expect(code(() => doc.resolve(doc.getObject(8)))).toBe('PDF_REFERENCE_CYCLE');
  });

  it('a stream whose /Length refers to itself or is absurd is read up to endstream', () => {
    const doc = PdfDocument.open(
      buildPdf({ ...TWO_PAGES, 6: '<< /Length 6 0 R >>\nstream\nabc\nendstream', 7: '<< /Length 99999999999999 >>\nstream\nxyz\nendstream', 8: '<< /Length -5 >>\nstream\nq\nendstream' }),
    );
    expect(latin1Text((doc.getObject(6) as PdfStream).raw)).toBe('abc');
    expect(latin1Text((doc.getObject(7) as PdfStream).raw)).toBe('xyz');
    expect(latin1Text((doc.getObject(8) as PdfStream).raw)).toBe('q');
    expect(doc.warnings.some((w) => /wrong \/Length/.test(w))).toBe(true);
  });

  it('a stream with no endstream reads as null, with a warning', () => {
    const doc = PdfDocument.open(buildPdf({ ...TWO_PAGES, 6: '<< /Length 1000000 >>\nstream\nabc' }));
    expect(doc.getObject(6)).toBe(PdfNull.instance);
    expect(doc.warnings.join()).toMatch(/no "endstream"/);
  });

  it('an absurd trailer /Size is ignored for allocation', () => {
    const bytes = latin1(latin1Text(buildPdf(TWO_PAGES)).replace('/Size 6', '/Size 999999999999'));
    const d = PdfDocument.open(bytes);
    expect(d.size).toBe(6);
    expect(d.beginUpdate().allocate().num).toBe(6);
  });

  it('an xref subsection claiming a billion entries: repaired by scanning', () => {
    const bytes = latin1(latin1Text(buildPdf(TWO_PAGES)).replace('xref\n0 6', 'xref\n0 999999999'));
    const doc = quick(() => PdfDocument.open(bytes));
    expect(doc.repaired).toBe(true);
    expect(doc.getPage(1).rotate).toBe(90);
  });

  it('an xref stream whose /Index claims more rows than it has is truncated with a warning', () => {
    const bytes = latin1(latin1Text(buildPdf(TWO_PAGES, { kind: 'stream' })).replace('/W [1 3 1]', '/W [1 3 1] /Index [0 900000000]'));
    const doc = quick(() => PdfDocument.open(bytes));
    expect(doc.warnings.join()).toMatch(/claims 900000000 entries/);
    expect(doc.pageCount).toBe(2);
  });

  it('more cross-reference entries than maxObjects: PDF_LIMIT', () => {
    expect(code(() => PdfDocument.open(buildPdf(TWO_PAGES), { maxObjects: 3 }))).toBe('PDF_LIMIT');
  });

  it('a /Prev chain that loops is cut with a warning', () => {
    const text = latin1Text(buildPdf(TWO_PAGES));
    const xrefAt = Number(/startxref\n(\d+)/.exec(text)![1]);
    const doc = PdfDocument.open(latin1(text.replace('/Root 1 0 R', `/Root 1 0 R /Prev ${xrefAt}`)));
    expect(doc.revisions).toHaveLength(1);
    expect(doc.warnings.join()).toMatch(/loops/);
  });

  it('an object stream claiming a billion objects: PDF_LIMIT', () => {
    const data = latin1('6 0 ');
    const objs = { ...TWO_PAGES, 7: `<< /Type /ObjStm /N 1000000000 /First 4 /Length ${data.length} >>\nstream\n6 0 \nendstream` };
    const doc = PdfDocument.open(buildPdf(objs));
    // Point object 6 into the object stream by hand: the reader must refuse the stream's /N.
    const entry = { type: 'compressed', stream: 7, index: 0 } as const;
    (doc.core.revisions[0]!.entries as Map<number, unknown>).set(6, entry);
    expect(quick(() => code(() => doc.getObject(6)))).toBe('PDF_LIMIT');
  });

  it('a decompression bomb in a content stream: PDF_LIMIT', () => {
    const bomb = zlibSync(new Uint8Array(8 * 1024 * 1024), { level: 9 });
    const text = latin1Text(bomb);
    const objs = { ...TWO_PAGES, 6: `<< /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n${text}\nendstream` };
    const doc = PdfDocument.open(buildPdf(objs), { maxDecodedSize: 1 << 20 });
    expect(code(() => (doc.getObject(6) as PdfStream).decode({ maxDecodedSize: 1 << 20 }))).toBe('PDF_LIMIT');
  });

  it('a page tree that loops: a PdfError, not a hang', () => {
    const objs = { ...TWO_PAGES, 2: '<< /Type /Pages /Kids [2 0 R] /Count 5 >>' };
    const doc = PdfDocument.open(buildPdf(objs));
    expect(['PDF_REFERENCE_CYCLE', 'PDF_NO_PAGE']).toContain(quick(() => code(() => doc.getPage(3))));
    expect(doc.pageIndexOf(doc.catalogRef)).toBeUndefined();
  });

  it('an entry that points at another object: the object is found by scanning, never the wrong one', () => {
    const text = latin1Text(buildPdf({ ...TWO_PAGES, 6: '(six)' }));
    const off1 = String(text.indexOf('1 0 obj')).padStart(10, '0');
    const lines = text.split('\r\n');
    // Make the entry of object 6 point at object 1.
    const i = lines.findIndex((l, k) => k > 0 && /^\d{10} 00000 n$/.test(l) && lines.slice(0, k).filter((x) => /^\d{10} \d{5} [nf]$/.test(x.slice(-18))).length === 6);
    expect(i).toBeGreaterThan(0);
    lines[i] = `${off1} 00000 n`;
    const doc = PdfDocument.open(latin1(lines.join('\r\n')));
    // The offset holds object 1, so the reader repairs by scanning and finds object 6 itself.
    expect(latin1Text((doc.getObject(6) as { bytes: Uint8Array }).bytes)).toBe('six');
    expect(doc.repaired).toBe(true);
    expect(doc.getObject(77)).toBe(PdfNull.instance);
  });

  it('not a PDF at all: PDF_NOT_PDF', () => {
    expect(code(() => PdfDocument.open(latin1('hello, this is not a PDF\n'.repeat(100))))).toBe('PDF_NOT_PDF');
    expect(code(() => PdfDocument.open(new Uint8Array(0)))).toBe('PDF_NOT_PDF');
    expect(() => PdfDocument.open(new Uint8Array(0))).toThrow(/empty/); // e.g. a pipe that gave nothing
  });
});

function latin1Text(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
