import { loadFixture } from '@kyso/test-fixtures';
import { describe, expect, it } from 'vitest';
import { PdfDict, PdfDocument, PdfStream } from '@kyso/pdf';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/**
 * Regression: decoded object streams were cached by stream number in a cache shared by every
 * revision view, so once the latest revision had been read, `atRevision(0)` returned objects from
 * a later redefinition of the same stream number (a changed font looked unchanged to the diff).
 */
describe('an object stream number redefined by a later revision', () => {
  it('each revision view reads its own object stream, whatever was read first', () => {
    const original = loadFixture('pdfs', 'pdflib-objstm.pdf');
    const doc = PdfDocument.open(original);
    const fontRef = doc.getPage(0).resources!.getDict('Font', doc)!.entries()[0]![1] as { num: number };
    const entry = doc.getXrefEntry(fontRef.num) as { type: string; stream: number; index: number };
    expect(entry.type).toBe('compressed');
    const stm = doc.getObject(entry.stream) as PdfStream;
    const data = latin1(stm.decode());
    const first = stm.dict.getInt('First')!;
    const changed = data.slice(0, first) + data.slice(first).replace('/Helvetica', '/Courier  ');
    // An update that redefines the stream (same number) and lists the font in it again.
    const last = doc.revisions.at(-1)!;
    const self = doc.size;
    let body = `${entry.stream} 0 obj\n<< /Type /ObjStm /N ${stm.dict.getInt('N')} /First ${first} /Length ${changed.length} >>\nstream\n${changed}\nendstream\nendobj\n`;
    const xrefAt = original.length + body.length;
    const rows = [
      [entry.stream, 1, original.length, 0],
      [fontRef.num, 2, entry.stream, entry.index],
      [self, 1, xrefAt, 0],
    ].sort((a, b) => a[0]! - b[0]!);
    const row = (t: number, f2: number, f3: number) => String.fromCharCode(t, (f2 >>> 24) & 255, (f2 >>> 16) & 255, (f2 >>> 8) & 255, f2 & 255, (f3 >>> 8) & 255, f3 & 255);
    const d = rows.map(([, t, f2, f3]) => row(t!, f2!, f3!)).join('');
    body += `${self} 0 obj\n<< /Type /XRef /W [1 4 2] /Index [${rows.flatMap(([x]) => [x, 1]).join(' ')}] /Size ${self + 1} /Root ${doc.catalogRef.toString()} /Prev ${last.xrefOffset} /Length ${d.length} >>\nstream\n${d}\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`;
    const updated = new Uint8Array([...original, ...Buffer.from(body, 'latin1')]);

    const both = PdfDocument.open(updated);
    expect((both.getObject(fontRef.num) as PdfDict).getName('BaseFont')).toBe('Courier');
    expect((both.atRevision(0).getObject(fontRef.num) as PdfDict).getName('BaseFont')).toBe('Helvetica');
  });
});
