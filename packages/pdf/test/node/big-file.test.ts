import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfDict, PdfDocument, PdfName, getAcroForm, listFields } from '@kyso/pdf';
import type { ByteSource } from '@kyso/pdf';
import { FileByteSource, openPdfFile, writeIncrementalCopy } from '@kyso/pdf/node';
// @ts-expect-error: a plain .mjs helper shared with the bench, without type declarations.
import { writeBigPdf } from '../../../../test-fixtures/scripts/pdfs-big.mjs';
import { tool } from '../helpers/tools.js';

let dir: string;
let big: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyso-pdf-big-'));
  big = join(dir, 'big.pdf');
  writeBigPdf(big);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Counts what the reader reads. */
class CountingSource implements ByteSource {
  bytesRead = 0;
  reads = 0;
  constructor(private readonly inner: ByteSource) {}
  get length() {
    return this.inner.length;
  }
  get inMemory() {
    return this.inner.inMemory;
  }
  read(start: number, end: number): Uint8Array {
    const b = this.inner.read(start, end);
    this.bytesRead += b.length;
    this.reads++;
    return b;
  }
}

describe('the 2,000-page, ~40 MB file', () => {
  it('is about 40 MB', () => {
    expect(statSync(big).size).toBeGreaterThan(38_000_000);
  });

  it('opening and reading catalog, first page and AcroForm parses a handful of objects (in memory)', () => {
    const doc = PdfDocument.open(new Uint8Array(readFileSync(big)));
    expect(doc.stats.objectsParsed).toBe(0);
    expect(doc.catalog.getName('Type')).toBe('Catalog');
    const p = doc.getPage(0);
    expect(p.mediaBox).toEqual([0, 0, 595.28, 841.89]);
    expect(p.resources?.getDict('Font')).toBeDefined();
    expect(getAcroForm(doc)?.getArray('Fields')?.length).toBe(1);
    // catalog, root Pages, first intermediate node, page 1, AcroForm.
    expect(doc.stats.objectsParsed).toBe(5);
    expect(doc.pageCount).toBe(2000);
    expect(doc.stats.objectsParsed).toBeLessThanOrEqual(5);
    expect(listFields(doc).map((f) => [f.name, f.widgets[0]!.pageIndex])).toEqual([['ref', 0]]);
    expect(doc.stats.objectsParsed).toBeLessThan(10);
  });

  it('reads through positional file reads: well under 1 MB of the 40 MB is read', () => {
    const counting = new CountingSource(FileByteSource.open(big));
    try {
      const doc = PdfDocument.open(counting);
      doc.getPage(0);
      getAcroForm(doc);
      expect(doc.stats.objectsParsed).toBe(5);
      expect(counting.bytesRead).toBeLessThan(500_000);
      // The last page: the 20 intermediate nodes are read for their /Count, then the page.
      expect(doc.getPage(1999).ref).toBeDefined();
      expect(doc.stats.objectsParsed).toBeLessThan(30);
      expect(counting.bytesRead).toBeLessThan(1_000_000);
    } finally {
      (counting as unknown as { inner: FileByteSource }).inner.close();
    }
  });

  it('appends an update to a copy without reading the file whole; qpdf accepts it', async () => {
    const file = openPdfFile(big);
    const dest = join(dir, 'big-updated.pdf');
    try {
      const t = Date.now();
      const up = file.doc.beginUpdate();
      const ref = up.allocate();
      up.set(ref, PdfDict.of({ Type: PdfName.of('KysoTest') }));
      const inc = await writeIncrementalCopy(file, up, dest);
      expect(Date.now() - t).toBeLessThan(5000);
      expect(inc.increment.length).toBeLessThan(1000);
      expect(statSync(dest).size).toBe(statSync(big).size + inc.increment.length);
    } finally {
      file.close();
    }
    expect(tool('qpdf', ['--check', dest]).status).toBe(0);
    const back = openPdfFile(dest);
    try {
      expect(back.doc.revisions).toHaveLength(2);
      expect(back.doc.getPage(1999).index).toBe(1999);
    } finally {
      back.close();
    }
  });
});

describe('writeIncrementalCopy', () => {
  it('leaves no partial file when it fails', async () => {
    const { writeFileSync, existsSync, readdirSync } = await import('node:fs');
    const src = join(dir, 'small.pdf');
    const { loadFixture } = await import('@kyso/test-fixtures');
    writeFileSync(src, loadFixture('pdfs', 'pdflib-table.pdf'));
    const file = openPdfFile(src);
    try {
      const up = file.doc.beginUpdate();
      up.set(up.allocate(), 1);
      await expect(writeIncrementalCopy(file, up, join(dir, 'no-such-dir', 'out.pdf'))).rejects.toThrow();
      expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
      const other = file.doc.beginUpdate();
      other.set(other.allocate(), 2);
      const dest = join(dir, 'ok.pdf');
      await writeIncrementalCopy(file, other, dest);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(PdfDocument.open(new Uint8Array(readFileSync(dest))).revisions).toHaveLength(2);
    } finally {
      file.close();
    }
  });
});
