import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { PdfDict, PdfDocument, PdfError, PdfName, PdfRef, PdfStream, PdfString, listFields, listSignatures } from '@kyso/pdf';
import { openPdfFile, writeIncrementalCopy } from '@kyso/pdf/node';
import { readWithPdfJs } from '../helpers/pdfjs.js';
import { tool } from '../helpers/tools.js';

/** What each corpus file must read as. `qpdf` is the exit code of `qpdf --check` on the input. */
const EXPECT: Record<string, { revisions: number; kind: 'table' | 'stream'; pages: number; version: string; repaired?: boolean; qpdf: number; fields?: string[] }> = {
  'pdflib-table.pdf': { revisions: 1, kind: 'table', pages: 3, version: '1.7', qpdf: 0 },
  'pdflib-objstm.pdf': { revisions: 1, kind: 'stream', pages: 3, version: '1.7', qpdf: 0 },
  'qpdf-objstm.pdf': { revisions: 1, kind: 'stream', pages: 3, version: '1.7', qpdf: 0 },
  'qpdf-linearized.pdf': { revisions: 1, kind: 'table', pages: 3, version: '1.7', qpdf: 0 },
  'qpdf-qdf.pdf': { revisions: 1, kind: 'table', pages: 3, version: '1.7', qpdf: 0 },
  'qpdf-v20.pdf': { revisions: 1, kind: 'stream', pages: 3, version: '2.0', qpdf: 0 },
  'gs-pdfwrite.pdf': { revisions: 1, kind: 'table', pages: 2, version: '1.7', qpdf: 0 },
  'gs-v13.pdf': { revisions: 1, kind: 'table', pages: 2, version: '1.3', qpdf: 0 },
  'libreoffice-vi.pdf': { revisions: 1, kind: 'table', pages: 1, version: '1.6', qpdf: 0 },
  'forms-annots.pdf': { revisions: 1, kind: 'table', pages: 3, version: '1.7', qpdf: 0, fields: ['applicant.name', 'applicant.agree', 'unit', 'Signature1'] },
  'revisions-4-table.pdf': { revisions: 4, kind: 'table', pages: 3, version: '1.7', qpdf: 0 },
  'revisions-3-stream.pdf': { revisions: 3, kind: 'stream', pages: 3, version: '1.7', qpdf: 0 },
  'hybrid-update.pdf': { revisions: 2, kind: 'table', pages: 3, version: '1.7', qpdf: 0 },
  'broken-xref-offsets.pdf': { revisions: 1, kind: 'table', pages: 3, version: '1.7', repaired: true, qpdf: 3 },
  'broken-no-xref.pdf': { revisions: 1, kind: 'table', pages: 3, version: '1.7', repaired: true, qpdf: 2 },
};

const dir = mkdtempSync(join(tmpdir(), 'kyso-pdf-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the corpus is complete', () => {
  it('has every file listed here and in SOURCES.md, and nothing unlisted', () => {
    const files = readdirSync(fixturePath('pdfs')).filter((f) => f.endsWith('.pdf'));
    expect(files.sort()).toEqual([...Object.keys(EXPECT), 'encrypted-aes256.pdf'].sort());
    const sources = readFileSync(fixturePath('pdfs', 'SOURCES.md'), 'utf8');
    for (const f of files) expect(sources).toContain(`\`${f}\``);
  });
});

describe.each(Object.entries(EXPECT))('corpus %s', (name, exp) => {
  const bytes = loadFixture('pdfs', name);

  it('qpdf --check on the input gives the expected code', () => {
    expect(tool('qpdf', ['--check', fixturePath('pdfs', name)]).status).toBe(exp.qpdf);
  });

  it('reads revisions, catalog, pages and fields', () => {
    const doc = PdfDocument.open(bytes);
    expect(doc.repaired).toBe(exp.repaired ?? false);
    expect(doc.version).toBe(exp.version);
    const revs = doc.revisions;
    expect(revs).toHaveLength(exp.revisions);
    expect(revs[revs.length - 1]!.xrefKind).toBe(exp.kind);
    expect(revs[0]!.start).toBe(0);
    for (let i = 1; i < revs.length; i++) expect(revs[i]!.start).toBe(revs[i - 1]!.end);
    expect(revs[revs.length - 1]!.end).toBe(bytes.length);
    for (const r of revs) expect(r.objects.length).toBeGreaterThan(0);
    expect(doc.catalog.getName('Type')).toBe('Catalog');
    expect(doc.pageCount).toBe(exp.pages);
    for (let i = 0; i < exp.pages; i++) {
      const p = doc.getPage(i);
      expect(p.mediaBox).toHaveLength(4);
      expect(p.ref).toBeInstanceOf(PdfRef);
      expect(doc.pageIndexOf(p.ref!)).toBe(i);
      const contents = doc.resolve(p.dict.get('Contents'));
      if (contents instanceof PdfStream) expect(contents.decode().length).toBeGreaterThan(0);
    }
    const fields = listFields(doc);
    expect(fields.map((f) => f.name)).toEqual(exp.fields ?? []);
    expect(listSignatures(doc)).toEqual([]);
    // Every earlier revision can be read on its own.
    for (let i = 0; i < revs.length; i++) expect(doc.atRevision(i).catalog.getName('Type')).toBe('Catalog');
  });

  it('appends an update: prefix byte-identical, qpdf --check clean, renders, reads back', () => {
    const doc = PdfDocument.open(bytes);
    const up = doc.beginUpdate();
    const note = up.allocate();
    up.set(note, PdfDict.of({ Type: PdfName.of('KysoTest'), Text: PdfString.fromText('Kiểm tra cập nhật') }));
    const cat = doc.catalog.clone();
    cat.set('KysoTest', note);
    up.set(doc.catalogRef, cat);
    const res = up.finish();
    expect(res.bytes.subarray(0, bytes.length)).toEqual(bytes);
    expect(res.xrefKind).toBe(exp.repaired ? res.xrefKind : exp.kind);
    const out = join(dir, name);
    writeFileSync(out, res.bytes);

    const check = tool('qpdf', ['--check', out]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const png = join(dir, name.replace('.pdf', ''));
    const render = tool('pdftoppm', ['-r', '20', '-f', '1', '-l', '1', '-png', out, png]);
    expect(render.status, render.stderr).toBe(0);
    expect(readdirSync(dir).some((f) => f.startsWith(name.replace('.pdf', '')) && f.endsWith('.png'))).toBe(true);

    const back = PdfDocument.open(new Uint8Array(readFileSync(out)));
    expect(back.repaired).toBe(false);
    // A repaired input gets a complete section without /Prev, so the result reads as one revision.
    expect(back.revisions).toHaveLength(exp.repaired ? 1 : exp.revisions + 1);
    expect(back.catalog.getDict('KysoTest', back)!.getText('Text')).toBe('Kiểm tra cập nhật');
    expect(back.pageCount).toBe(exp.pages);
    expect(back.getPage(exp.pages - 1).mediaBox).toHaveLength(4);
    expect(back.revisions[back.revisions.length - 1]!.objects).toEqual(expect.arrayContaining([note.num, doc.catalogRef.num]));
  });

  it('pdf.js reads the updated file like the original', async () => {
    const doc = PdfDocument.open(bytes);
    const up = doc.beginUpdate();
    up.set(up.allocate(), PdfDict.of({ A: 1 }));
    const after = await readWithPdfJs(up.finish().bytes);
    expect(after.numPages).toBe(exp.pages);
    // pdf.js cannot open broken-no-xref.pdf itself; our update (a complete xref) makes it readable.
    if (name !== 'broken-no-xref.pdf') expect(after).toEqual(await readWithPdfJs(bytes));
    else await expect(readWithPdfJs(bytes)).rejects.toThrow(/Invalid PDF/);
  });

  it('the Node file API writes the same bytes as the in-memory writer', async () => {
    const file = openPdfFile(fixturePath('pdfs', name));
    try {
      const up = file.doc.beginUpdate();
      up.set(up.allocate(), PdfDict.of({ A: 1 }));
      const dest = join(dir, `node-${name}`);
      const inc = await writeIncrementalCopy(file, up, dest);
      const mem = PdfDocument.open(bytes).beginUpdate();
      mem.set(mem.allocate(), PdfDict.of({ A: 1 }));
      expect(new Uint8Array(readFileSync(dest))).toEqual(mem.finish().bytes);
      expect(inc.baseLength).toBe(bytes.length);
    } finally {
      file.close();
    }
  });
});

describe('special corpus files', () => {
  it('encrypted-aes256.pdf: PDF_ENCRYPTED, naming qpdf --decrypt; qpdf-decrypted copy works', () => {
    const bytes = loadFixture('pdfs', 'encrypted-aes256.pdf');
    expect(() => PdfDocument.open(bytes)).toThrow(PdfError);
    try {
      PdfDocument.open(bytes);
    } catch (e) {
      expect((e as PdfError).code).toBe('PDF_ENCRYPTED');
      expect((e as PdfError).message).toContain('qpdf --decrypt');
    }
    const open = PdfDocument.open(bytes, { allowEncrypted: true });
    expect(open.revisions).toHaveLength(1);
    const dec = join(dir, 'decrypted.pdf');
    expect(tool('qpdf', ['--decrypt', '--password=user', fixturePath('pdfs', 'encrypted-aes256.pdf'), dec]).status).toBe(0);
    expect(PdfDocument.open(new Uint8Array(readFileSync(dec))).pageCount).toBe(3);
  });

  it('hybrid-update.pdf: the object kept in the /XRefStm object stream resolves', () => {
    const doc = PdfDocument.open(loadFixture('pdfs', 'hybrid-update.pdf'));
    expect(doc.revisions[1]!.hybrid).toBe(true);
    expect(doc.catalog.getString('KysoHidden', doc)!.toText()).toBe('kept in an object stream');
    expect(doc.stats.objectStreamsDecoded).toBe(1);
  });

  it('qpdf-linearized.pdf: two xref sections make one revision', () => {
    const doc = PdfDocument.open(loadFixture('pdfs', 'qpdf-linearized.pdf'));
    expect(doc.revisions[0]!.sectionOffsets).toHaveLength(2);
    expect(doc.resolve(PdfRef.of(doc.revisions[0]!.objects[0]!))).toBeDefined();
  });

  it('revisions-4-table.pdf: each revision sees its own catalog', () => {
    const doc = PdfDocument.open(loadFixture('pdfs', 'revisions-4-table.pdf'));
    const counts = doc.revisions.map((r) => doc.atRevision(r.index).catalog.getArray('KysoNotes')?.length ?? 0);
    expect(counts).toEqual([0, 1, 2, 3]);
    const contents = (i: number) => {
      const c = doc.atRevision(i).getPage(0).dict.get('Contents');
      return c && 'items' in c ? c.items.length : 1;
    };
    expect(contents(3)).toBe(contents(1) + 1);
    expect(contents(2)).toBe(contents(1) + 1);
  });

  it('forms-annots.pdf: field details, widgets and pages', () => {
    const doc = PdfDocument.open(loadFixture('pdfs', 'forms-annots.pdf'));
    const fields = listFields(doc);
    const by = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(by['applicant.name']!.type).toBe('Tx');
    expect(by['applicant.name']!.partialName).toBe('name');
    expect((by['applicant.name']!.value as PdfString).toText()).toBe('Nguyen Van A');
    expect(by['applicant.agree']!.type).toBe('Btn');
    expect(by['unit']!.widgets[0]!.pageIndex).toBe(1);
    expect(by['Signature1']!.type).toBe('Sig');
    expect(by['Signature1']!.widgets[0]!.rect).toEqual([300, 100, 500, 160]);
    expect(by['Signature1']!.widgets[0]!.pageIndex).toBe(0);
    expect(by['Signature1']!.value).toBeUndefined();
  });

  it('libreoffice-vi.pdf: Vietnamese text is in the file (checked with pdftotext)', () => {
    const r = tool('pdftotext', [fixturePath('pdfs', 'libreoffice-vi.pdf'), '-']);
    expect(Buffer.from(r.stdout, 'latin1').toString('utf8')).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(existsSync(fixturePath('pdfs', 'src', 'quyet-dinh.fodt'))).toBe(true);
  });
});
