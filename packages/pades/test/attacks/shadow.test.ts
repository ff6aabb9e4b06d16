/**
 * Shadow attacks (Mainka, Mladenov, Rohlmann, Schwenk: "Shadow Attacks: Hiding and Replacing
 * Content in Signed PDFs", NDSS 2021). The attacker prepares the document with content the
 * signer does not see — objects that no cross-reference section lists, or a reference to an
 * object nothing defines yet — and after the signature appends an update that brings them into
 * view. In the xref-only variants every malicious byte is signed; only the last update is not.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { verifyPdfFile } from '../../src/node/index.js';
import { tempFile } from '../helpers/files.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot } from '../helpers/pki.js';
import { appendRaw, expectDisallowed, expectPass, kysoSign, nssSpec, onePage, pdfsigSign, rawPdf, stream, text, verify, VERIFY_AT } from './kit.js';

/** The offset of the `n 0 obj` header of a dead object (the last one with that number in the file). */
function deadOffset(pdf: Uint8Array, num: number): number {
  return text(pdf).lastIndexOf(`\n${num} 0 obj\n`) + 1;
}

const BENIGN = 'BT /F1 24 Tf 72 720 Td (Pay 100 VND) Tj ET';
const EVIL = 'BT /F1 24 Tf 72 720 Td (Pay 900 VND) Tj ET';

describe('Shadow Hide: an xref-only update points an object to a hidden body in the signed bytes', () => {
  for (const [who, sign] of [
    ['kyso', (p: Uint8Array) => kysoSign(p)],
    ['pdfsig', async (p: Uint8Array) => pdfsigSign(p, 'shadow-hide')],
  ] as const) {
    it(`signed by ${who}: xref-shadow-entry and the page content change are disallowed; the honest twin passes`, async () => {
      // What the signer sees: an overlay form XObject (Fm1) painted over the real text.
      const overlay = stream('1 1 1 rg 60 700 300 60 re f 0 g BT /F1 24 Tf 72 720 Td (Pay 100 VND) Tj ET', '/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>');
      const base = rawPdf(
        [
          '<< /Type /Catalog /Pages 2 0 R >>',
          '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
          '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> >>',
          stream(`${EVIL} /Fm1 Do`),
          '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
          overlay,
        ],
        // The hidden body of object 4: the same text without the overlay.
        { dead: [{ num: 4, body: stream(EVIL) }] },
      );
      const signed = await sign(base);
      expectPass(await verify(signed), 1);
      // The attack: one xref entry, object 4 at the hidden body (which draws no overlay).
      const attack = appendRaw(signed, { entries: [{ num: 4, at: deadOffset(signed, 4) }] }).pdf;
      expectDisallowed(await verify(attack), 'xref-shadow-entry', /shadow object/);
      expectDisallowed(await verify(attack), 'object-modified', /draws a page/);
      // The attack works on a verifier that checks only the digest.
      expect(pdfsig(tempFile(`shadow-hide-${who}.pdf`, attack), nssSpec())[0]!.valid).toBe(true);
      // Honest twin: an update that changes nothing of the signed revision.
      expectPass(await verify(await kysoSign(signed, 'head')), 2);
    });
  }
});

describe('Shadow Replace: a hidden font is swapped in by an xref-only update', () => {
  it('xref-shadow-entry and the font change are disallowed', async () => {
    // The hidden font maps the glyph of "1" to "9" (/Differences), so "100" shows as "900".
    const evilFont = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [49 /nine] >> >>';
    const signed = await kysoSign(onePage('', BENIGN, [{ num: 5, body: evilFont }]));
    expectPass(await verify(signed), 1);
    const attack = appendRaw(signed, { entries: [{ num: 5, at: deadOffset(signed, 5) }] }).pdf;
    const r = await verify(attack);
    expectDisallowed(r, 'xref-shadow-entry');
    expectDisallowed(r, 'object-modified', /draws a page/);
  });
});

describe('Shadow Hide-and-Replace: a whole hidden document becomes the catalog', () => {
  it('the signature stays, but catalog-replaced and the shadow entries are disallowed', async () => {
    // The prepared document: an empty signature field the victim will sign, and a hidden second
    // document (catalog 20, pages 21, page 22, content 23) that uses the same form.
    const base = rawPdf(
      [
        '<< /Type /Catalog /Pages 2 0 R /AcroForm 7 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>',
        stream(BENIGN),
        '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        '<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sig1) /Rect [0 0 0 0] /F 132 /P 3 0 R >>',
        '<< /Fields [6 0 R] >>',
      ],
      {
        dead: [
          { num: 20, body: '<< /Type /Catalog /Pages 21 0 R /AcroForm 7 0 R >>' },
          { num: 21, body: '<< /Type /Pages /Kids [22 0 R] /Count 1 >>' },
          { num: 22, body: '<< /Type /Page /Parent 21 0 R /MediaBox [0 0 595 842] /Contents 23 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>' },
          { num: 23, body: stream(EVIL) },
        ],
      },
    );
    const signed = await kysoSign(base, 'leader', { field: 'Sig1' });
    expectPass(await verify(signed), 1);
    const attack = appendRaw(signed, {
      entries: [20, 21, 22, 23].map((num) => ({ num, at: deadOffset(signed, num) })),
      root: '20 0 R',
    }).pdf;
    const r = await verify(attack);
    expect(r.signatures.map((s) => s.field)).toEqual(['Sig1']);
    expectDisallowed(r, 'catalog-replaced');
    expectDisallowed(r, 'xref-shadow-entry');
  });
});

describe('Shadow Hide via a dangling reference: the signed page refers to an object nothing defined yet', () => {
  it('defining it later is disallowed (dangling-reference); the honest twin passes', async () => {
    // Object 50 is referenced by the page but undefined: a reference to null (ISO 32000-2 §7.3.10).
    const base = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 50 0 R] /Resources << /Font << /F1 5 0 R >> >> >>',
      stream(BENIGN),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
    const signed = await kysoSign(base);
    expectPass(await verify(signed), 1);
    const attack = appendRaw(signed, { objects: [{ num: 50, body: stream('1 1 1 rg 60 700 300 60 re f 0 g BT /F1 24 Tf 72 720 Td (VOID) Tj ET') }] }).pdf;
    expectDisallowed(await verify(attack), 'dangling-reference', /object 3 of an earlier revision refers to object 50/);
    // From a file, the references are searched on the chunks the hash pass reads.
    const fromFile = await verifyPdfFile(tempFile('dangling.pdf', attack), { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectDisallowed(fromFile, 'dangling-reference', /object 3 of an earlier revision refers to object 50/);
    // Twin: the same new object, but nothing old refers to it (an orphan) — harmless.
    const orphan = appendRaw(signed, { objects: [{ num: 51, body: stream('BT ET') }] }).pdf;
    expectPass(await verify(orphan), 1);
  });

  it('also when the referring object is inside an object stream', async () => {
    const objstm = (objs: [number, string][]) => {
      let head = '';
      let body = '';
      for (const [n, b] of objs) {
        head += `${n} ${body.length} `;
        body += `${b}\n`;
      }
      // Compressed, so the reference is found only by decoding the stream.
      const z = deflateSync(Buffer.from(head + body, 'latin1')).toString('latin1');
      return stream(z, `/Type /ObjStm /N ${objs.length} /First ${head.length} /Filter /FlateDecode`);
    };
    // Objects 2 and 3 (page tree and page) live in object stream 6; the page refers to 50.
    const pdf = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      null,
      null,
      stream(BENIGN),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      objstm([
        [2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
        [3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 50 0 R] /Resources << /Font << /F1 5 0 R >> >> >>'],
      ]),
    ]);
    // A hybrid-free way to list compressed objects: an update with an xref stream is overkill,
    // so put the compressed entries in a first update written as an xref stream by hand.
    const withStm = xrefStreamUpdate(pdf, [
      [2, 2, 6, 0],
      [3, 2, 6, 1],
    ]);
    const signed = await kysoSign(withStm);
    expectPass(await verify(signed), 1);
    const attack = appendRaw(signed, { objects: [{ num: 50, body: stream('BT /F1 24 Tf 72 700 Td (VOID) Tj ET') }] }).pdf;
    expectDisallowed(await verify(attack), 'dangling-reference', /object 3 of an earlier revision refers to object 50/);
    // From a file, the references are searched on the chunks the hash pass reads.
    const fromFile = await verifyPdfFile(tempFile('dangling.pdf', attack), { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectDisallowed(fromFile, 'dangling-reference', /object 3 of an earlier revision refers to object 50/);
  });
});

/** Appends an update whose cross-reference section is an xref stream listing `[num, type, f2, f3]` rows. */
function xrefStreamUpdate(pdf: Uint8Array, rows: [number, number, number, number][]): Uint8Array {
  const t = text(pdf);
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(t)![1]);
  const selfNum = 40;
  const at = pdf.length;
  const all = [...rows, [selfNum, 1, at, 0] as [number, number, number, number]].sort((a, b) => a[0] - b[0]);
  let data = '';
  for (const [, type, f2, f3] of all) data += String.fromCharCode(type, (f2 >>> 24) & 255, (f2 >>> 16) & 255, (f2 >>> 8) & 255, f2 & 255, (f3 >>> 8) & 255, f3 & 255);
  const index = all.flatMap(([n]) => [n, 1]).join(' ');
  const obj = `${selfNum} 0 obj\n<< /Type /XRef /W [1 4 2] /Index [${index}] /Size ${selfNum + 1} /Root 1 0 R /Prev ${prev} /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n`;
  const tail = `startxref\n${at}\n%%EOF\n`;
  const out = new Uint8Array(pdf.length + obj.length + tail.length);
  out.set(pdf, 0);
  for (let i = 0; i < obj.length; i++) out[pdf.length + i] = obj.charCodeAt(i);
  for (let i = 0; i < tail.length; i++) out[pdf.length + obj.length + i] = tail.charCodeAt(i);
  return out;
}
