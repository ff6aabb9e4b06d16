// Regenerates the PDF corpus in test-fixtures/pdfs/ (see pdfs/SOURCES.md for what each file is).
// Run after `pnpm build` (it uses @kyso/pdf's dist to write incremental updates). Needs pdf-lib
// (a devDependency of packages/pdf), qpdf, ghostscript and, for the Vietnamese decision,
// LibreOffice (`apt-get install -y --no-install-recommends libreoffice-writer-nogui`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PdfArray, PdfDict, PdfDocument, PdfName, PdfRef, PdfStream, PdfString, serializeIndirectObject } from '../../packages/pdf/dist/index.js';

const require = createRequire(new URL('../../packages/pdf/package.json', import.meta.url));
const { PDFDocument, StandardFonts, rgb, PDFName, PDFString } = require('pdf-lib');

const out = fileURLToPath(new URL('../pdfs/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'kyso-pdfs-'));
const FIXED = new Date('2026-01-15T08:00:00Z');
const path = (name) => join(out, name);
const write = (name, bytes) => {
  writeFileSync(path(name), bytes);
  console.log(`  ${name} (${bytes.length} bytes)`);
};
const run = (cmd, args, okCodes = [0]) => {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    if (!okCodes.includes(e.status)) throw e;
  }
};
const enc = (s) => new TextEncoder().encode(s);

// 1. pdf-lib, classic xref table (no object streams).
async function pdfLibDoc() {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 3; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`kyso test document, page ${i}`, { x: 72, y: 760, size: 18, font, color: rgb(0, 0, 0.4) });
    page.drawRectangle({ x: 72, y: 600, width: 200, height: 100, borderColor: rgb(0.5, 0, 0), borderWidth: 2 });
  }
  doc.setTitle('kyso corpus: pdf-lib');
  doc.setProducer('pdf-lib');
  doc.setCreator('kyso gen-10-pdfs.mjs');
  doc.setCreationDate(FIXED);
  doc.setModificationDate(FIXED);
  return doc;
}
write('pdflib-table.pdf', await (await pdfLibDoc()).save({ useObjectStreams: false }));
write('pdflib-objstm.pdf', await (await pdfLibDoc()).save({ useObjectStreams: true }));

// 2. qpdf transforms of the pdf-lib file.
const qpdf = (name, ...args) => {
  run('qpdf', ['--deterministic-id', ...args, path('pdflib-table.pdf'), path(name)], [0, 3]);
  console.log(`  ${name}`);
};
qpdf('qpdf-objstm.pdf', '--object-streams=generate');
qpdf('qpdf-linearized.pdf', '--linearize');
qpdf('qpdf-qdf.pdf', '--qdf');
qpdf('qpdf-v20.pdf', '--force-version=2.0', '--object-streams=generate');

// 3. Ghostscript pdfwrite, PDF 1.7 and 1.3.
const ps = join(tmp, 'gs.ps');
writeFileSync(ps, '%!PS\n/Times-Roman findfont 20 scalefont setfont\n' + [1, 2].map((i) => `72 720 moveto (Ghostscript page ${i}) show 72 600 200 80 rectstroke showpage\n`).join(''));
run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=pdfwrite', '-o', path('gs-pdfwrite.pdf'), ps]);
run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=pdfwrite', '-dCompatibilityLevel=1.3', '-o', path('gs-v13.pdf'), ps]);
console.log('  gs-pdfwrite.pdf, gs-v13.pdf');

// 4. A Vietnamese decision converted by LibreOffice (source kept beside it).
const fodt = readFileSync(path('src/quyet-dinh.fodt'));
const lo = join(tmp, 'lo');
writeFileSync(join(tmp, 'quyet-dinh.fodt'), fodt);
run('soffice', [`-env:UserInstallation=file://${join(tmp, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', lo, join(tmp, 'quyet-dinh.fodt')]);
write('libreoffice-vi.pdf', readFileSync(join(lo, 'quyet-dinh.pdf')));

// 5. Form fields and annotations (pdf-lib), with an empty signature field made by hand.
{
  const doc = await pdfLibDoc();
  const form = doc.getForm();
  const page = doc.getPage(0);
  const name = form.createTextField('applicant.name');
  name.setText('Nguyen Van A');
  name.addToPage(page, { x: 72, y: 500, width: 250, height: 24 });
  const agree = form.createCheckBox('applicant.agree');
  agree.addToPage(page, { x: 72, y: 460, width: 16, height: 16 });
  agree.check();
  const unit = form.createDropdown('unit');
  unit.addOptions(['So Noi vu', 'So Tai chinh']);
  unit.select('So Noi vu');
  unit.addToPage(doc.getPage(1), { x: 72, y: 500, width: 200, height: 24 });
  const ctx = doc.context;
  const widget = ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFString.of('Signature1'), Rect: [300, 100, 500, 160], F: 4, P: page.ref });
  const wref = ctx.register(widget);
  page.node.addAnnot(wref);
  form.acroForm.addField(wref);
  form.acroForm.dict.set(PDFName.of('SigFlags'), ctx.obj(1));
  const note = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Text', Rect: [400, 700, 420, 720], Contents: PDFString.of('A sticky note'), Open: false }));
  page.node.addAnnot(note);
  const link = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Link', Rect: [72, 750, 300, 780], Border: [0, 0, 0], A: { S: 'URI', URI: PDFString.of('https://example.gov.vn/') } }));
  page.node.addAnnot(link);
  write('forms-annots.pdf', await doc.save({ useObjectStreams: false }));
}

// 6. Incremental updates written by @kyso/pdf: 3 updates on a table file and 2 on a stream file.
function addRevisions(bytes, n, label) {
  for (let i = 1; i <= n; i++) {
    const doc = PdfDocument.open(bytes);
    const up = doc.beginUpdate();
    const note = up.allocate();
    up.set(note, PdfDict.of({ Type: PdfName.of('KysoNote'), Text: PdfString.fromText(`${label} cập nhật ${i}`) }));
    const cat = doc.catalog.clone();
    const notes = cat.getArray('KysoNotes')?.clone() ?? PdfArray.of();
    notes.push(note);
    cat.set('KysoNotes', notes);
    up.set(doc.catalogRef, cat);
    if (i === 2) {
      const page = doc.getPage(0);
      const d = page.dict.clone();
      const content = up.allocate();
      up.set(content, PdfStream.fromData(enc(`q 1 0 0 RG 72 60 m 300 60 l S Q`)));
      const old = d.get('Contents');
      d.set('Contents', PdfArray.of([...(old instanceof PdfArray ? old.items : old ? [old] : []), content]));
      up.set(page.ref, d);
    }
    bytes = up.finish().bytes;
  }
  return bytes;
}
write('revisions-4-table.pdf', addRevisions(readFileSync(path('pdflib-table.pdf')), 3, 'table'));
write('revisions-3-stream.pdf', addRevisions(readFileSync(path('pdflib-objstm.pdf')), 2, 'stream'));

// 7. A hybrid-reference update (ISO 32000-2 §7.5.8.4): a table whose trailer has /XRefStm pointing
//    at an xref stream that lists an object kept in an object stream.
{
  const base = new Uint8Array(readFileSync(path('pdflib-table.pdf')));
  const doc = PdfDocument.open(base);
  const size = doc.size;
  const hidden = size; // in the object stream
  const objStm = size + 1;
  const xrefStm = size + 2;
  const catNum = doc.catalogRef.num;
  const cat = doc.catalog.clone();
  cat.set('KysoHidden', PdfRef.of(hidden));
  const parts = [];
  let pos = base.length;
  const offsets = new Map();
  const push = (num, bytes) => {
    offsets.set(num, pos);
    parts.push(bytes);
    pos += bytes.length;
  };
  push(catNum, serializeIndirectObject(PdfRef.of(catNum, 0), cat));
  const body = enc('(kept in an object stream)');
  const header = enc(`${hidden} 0 `);
  push(objStm, serializeIndirectObject(PdfRef.of(objStm), PdfStream.of(PdfDict.of({ Type: PdfName.of('ObjStm'), N: 1, First: header.length }), new Uint8Array([...header, ...body]))));
  const rows = new Uint8Array([2, 0, 0, objStm >> 8, objStm & 255, 0, 0]);
  const xsOff = pos;
  push(xrefStm, serializeIndirectObject(PdfRef.of(xrefStm), PdfStream.of(PdfDict.of({ Type: PdfName.of('XRef'), Size: xrefStm + 1, Index: PdfArray.of([hidden, 1]), W: PdfArray.of([1, 4, 2]) }), rows.slice(0, 7))));
  const pad = (n, w) => String(n).padStart(w, '0');
  const xrefAt = pos;
  let table = `xref\n${catNum} 1\n${pad(offsets.get(catNum), 10)} 00000 n\r\n${hidden} 3\n0000000000 00000 f\r\n${pad(offsets.get(objStm), 10)} 00000 n\r\n${pad(xsOff, 10)} 00000 n\r\n`;
  table += `trailer\n<< /Size ${xrefStm + 1} /Root ${catNum} 0 R /Info ${doc.trailer.get('Info')} /Prev ${doc.revisions[0].xrefOffset} /XRefStm ${xsOff} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  parts.push(enc(table));
  write('hybrid-update.pdf', new Uint8Array([...base, ...parts.flatMap((p) => [...p])]));
}

// 8. Damaged files: shifted offsets (every xref offset wrong), and no xref/trailer at all.
{
  const base = readFileSync(path('pdflib-table.pdf'));
  const text = base.toString('latin1');
  const nl = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
  write('broken-xref-offsets.pdf', Buffer.from(text.slice(0, nl) + '% inserted line shifts every object\n' + text.slice(nl), 'latin1'));
  const cut = text.lastIndexOf('\nxref');
  write('broken-no-xref.pdf', Buffer.from(text.slice(0, cut + 1) + '%%EOF\n', 'latin1'));
}

// 9. Encrypted (AES-256, user password "user").
run('qpdf', ['--encrypt', 'user', 'owner', '256', '--', path('pdflib-table.pdf'), path('encrypted-aes256.pdf')]);
console.log('  encrypted-aes256.pdf');

rmSync(tmp, { recursive: true, force: true });
