import { fromLatin1, latin1 } from '@kyso/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '@kyso/test-fixtures';
import { PdfDict, PdfDocument, PdfName } from '@kyso/pdf';
import { readWithPdfJs } from '../helpers/pdfjs.js';
import { tool } from '../helpers/tools.js';

function shift(bytes: Uint8Array): Uint8Array {
  const text = fromLatin1(bytes);
  const nl = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
  return latin1(text.slice(0, nl) + '% a line that shifts every offset\n' + text.slice(nl));
}

describe('repair by scanning', () => {
  it('rebuilds a file with an xref stream and object streams whose offsets are all wrong', async () => {
    const broken = shift(loadFixture('pdfs', 'pdflib-objstm.pdf'));
    const doc = PdfDocument.open(broken);
    expect(doc.repaired).toBe(true);
    expect(doc.warnings[0]).toMatch(/rebuilt by scanning/);
    expect(doc.pageCount).toBe(3);
    expect(doc.getPage(2).mediaBox).toEqual([0, 0, 595.28, 841.89]);
    expect(doc.stats.objectStreamsDecoded).toBeGreaterThan(0);
    expect(doc.revisions[0]!.xrefKind).toBe('stream');

    const up = doc.beginUpdate();
    const ref = up.allocate();
    up.set(ref, PdfDict.of({ Type: PdfName.of('KysoTest') }));
    const res = up.finish();
    expect(res.bytes.subarray(0, broken.length)).toEqual(broken);
    // Objects in object streams can only be listed by an xref stream.
    expect(res.xrefKind).toBe('stream');
    const back = PdfDocument.open(res.bytes);
    expect(back.repaired).toBe(false);
    expect(back.getPage(2).mediaBox).toHaveLength(4);
    expect(back.getObject(ref)).toBeInstanceOf(PdfDict);
    const dir = mkdtempSync(join(tmpdir(), 'kyso-pdf-repair-'));
    try {
      writeFileSync(join(dir, 'in.pdf'), broken);
      writeFileSync(join(dir, 'out.pdf'), res.bytes);
      expect(tool('qpdf', ['--check', join(dir, 'in.pdf')]).status).toBeGreaterThan(0);
      expect(tool('qpdf', ['--check', join(dir, 'out.pdf')]).status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await readWithPdfJs(res.bytes)).numPages).toBe(3);
  });

  it('marks a document repaired when one offset is wrong and checkXref() finds it', () => {
    const ok = PdfDocument.open(loadFixture('pdfs', 'pdflib-table.pdf'));
    expect(ok.checkXref()).toBe(true);
    expect(ok.repaired).toBe(false);
    // Swap two digits of one in-use xref entry.
    const text = fromLatin1(loadFixture('pdfs', 'pdflib-table.pdf'));
    const xref = text.lastIndexOf('\nxref');
    const m = /\n(\d{10}) 00000 n/.exec(text.slice(xref))!;
    const at = xref + m.index + 1;
    const wrong = String(Number(m[1]) + 3).padStart(10, '0');
    const doc = PdfDocument.open(latin1(text.slice(0, at) + wrong + text.slice(at + 10)));
    expect(doc.repaired).toBe(false);
    expect(doc.checkXref()).toBe(false);
    expect(doc.repaired).toBe(true);
    expect(doc.pageCount).toBe(3);
  });
});
