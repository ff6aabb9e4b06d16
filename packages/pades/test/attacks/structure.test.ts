/**
 * What the cross-reference chain can hide after a signature (ISO 32000-2 §7.5.4–§7.5.8): the
 * objects a reader resolves depend on which sections it reads and how. Each attack below leaves
 * every object a naive diff would compare unchanged, so only the structural check catches it.
 */
import { PdfDict, PdfDocument, PdfStream } from '@kyso/pdf';
import { describe, expect, it } from 'vitest';
import { pdfLibPdf } from '../helpers/pdfs.js';
import { appendRaw, bytes, concat, expectDisallowed, expectPass, kysoSign, offsetOf, onePage, patch, rawPdf, stream, text, verify } from './kit.js';

const EVIL = 'BT /F1 24 Tf 72 720 Td (Pay 900 VND) Tj ET';

describe('an object listed twice in one xref table', () => {
  it('first entry unchanged, second to new content: xref-duplicate-entry; the same update without the duplicate passes', async () => {
    const signed = await kysoSign(onePage());
    const old = offsetOf(signed, 4);
    // Write the new body unlisted, then list object 4 twice: our reader keeps the first entry, others the last.
    const attack = appendRaw(signed, { objects: [{ num: 4, body: stream(EVIL), unlisted: true }] });
    const at = attack.offsets.get(4)!;
    const dup = appendRaw(signed, {
      objects: [{ num: 4, body: stream(EVIL), unlisted: true }],
      entries: [
        { num: 4, at: old },
        { num: 4, at },
      ],
    }).pdf;
    expectDisallowed(await verify(dup), 'xref-duplicate-entry', /lists object 4 twice/);
    // Twin: the unlisted body alone, with the one honest entry (object 4 unchanged).
    const honest = appendRaw(signed, { objects: [{ num: 4, body: stream(EVIL), unlisted: true }], entries: [{ num: 4, at: old }] }).pdf;
    expectPass(await verify(honest), 1);
  });

  it('overlapping /Index ranges in an xref stream: xref-duplicate-entry', async () => {
    const signed = await kysoSign(await pdfLibPdf({ objectStreams: true }));
    const doc = PdfDocument.open(signed);
    const last = doc.revisions[doc.revisions.length - 1]!;
    const start = last.end;
    const self = doc.size;
    const row = (t: number, f2: number, f3: number) => String.fromCharCode(t, (f2 >>> 24) & 255, (f2 >>> 16) & 255, (f2 >>> 8) & 255, f2 & 255, (f3 >>> 8) & 255, f3 & 255);
    const data = row(1, start, 0) + row(1, start, 0);
    const obj = `${self} 0 obj\n<< /Type /XRef /W [1 4 2] /Index [${self} 1 ${self} 1] /Size ${self + 1} /Root ${doc.catalogRef.toString()} /Prev ${last.xrefOffset} /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\nstartxref\n${start}\n%%EOF\n`;
    const attack = concat(signed, bytes(obj));
    expectDisallowed(await verify(attack), 'xref-duplicate-entry', /overlapping \/Index/);
  });
});

describe('a hybrid /XRefStm that contradicts its xref table', () => {
  it('table keeps object 4, the stream moves it: hybrid-xref-conflict', async () => {
    const signed = await kysoSign(onePage());
    const old = offsetOf(signed, 4);
    const doc = PdfDocument.open(signed);
    const stmNum = doc.size;
    // Body of the new content, then the xref stream object, both unlisted in the table.
    let body = signed[signed.length - 1] === 0x0a ? '' : '\n';
    const contentAt = signed.length + body.length;
    body += `4 0 obj\n${stream(EVIL)}\nendobj\n`;
    const stmAt = signed.length + body.length;
    const row = (t: number, f2: number, f3: number) => String.fromCharCode(t, (f2 >>> 24) & 255, (f2 >>> 16) & 255, (f2 >>> 8) & 255, f2 & 255, (f3 >>> 8) & 255, f3 & 255);
    const data = row(1, contentAt, 0) + row(1, stmAt, 0);
    body += `${stmNum} 0 obj\n<< /Type /XRef /W [1 4 2] /Index [4 1 ${stmNum} 1] /Size ${stmNum + 1} /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\n`;
    const xrefAt = signed.length + body.length;
    const last = doc.revisions[doc.revisions.length - 1]!;
    body += `xref\n4 1\n${String(old).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${stmNum + 1} /Root ${doc.catalogRef.toString()} /Prev ${last.xrefOffset} /XRefStm ${stmAt} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
    const attack = concat(signed, bytes(body));
    expectDisallowed(await verify(attack), 'hybrid-xref-conflict', /object 4/);
  });
});

describe('a /Prev that skips an incremental update', () => {
  it('the second signature disappears from the chain: hidden-revision is disallowed for the first', async () => {
    const one = await kysoSign(onePage(), 'drafter');
    const two = await kysoSign(one, 'head');
    expectPass(await verify(two), 2);
    // An empty update whose /Prev points to the first signature's section, skipping the second.
    const first = PdfDocument.open(one);
    const attack = appendRaw(two, { prev: first.revisions[first.revisions.length - 1]!.xrefOffset }).pdf;
    const r = await verify(attack);
    expect(r.signatures).toHaveLength(1);
    expectDisallowed(r, 'hidden-revision', /skips it/);
  });
});

describe('a cross-reference section hidden in the signed bytes', () => {
  it('a later /Prev to it merges it into the signed revision: xref-chain-mismatch', async () => {
    // The prepared document hides an xref section H (object 4 → a hidden body) in its body;
    // H's /Prev must name the signature's own section, which the attacker learns by signing a copy.
    const make = (prevDigits: string) =>
      rawPdf(
        [
          '<< /Type /Catalog /Pages 2 0 R >>',
          '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
          '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
          stream('BT /F1 24 Tf 72 720 Td (Pay 100 VND) Tj ET'),
          '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        ],
        { dead: [{ num: 4, body: `${stream(EVIL)}\nendobj\nxref\n4 1\nXXXXXXXXXX 00000 n \ntrailer\n<< /Size 6 /Root 1 0 R /Prev ${prevDigits} >>\n%` }] },
      );
    const fill = (pdf: Uint8Array) => {
      const t = text(pdf);
      const dead = t.lastIndexOf('\n4 0 obj\n') + 1;
      return patch(pdf, 'XXXXXXXXXX', String(dead).padStart(10, '0'));
    };
    const signingTime = new Date('2026-12-02T01:00:00Z');
    const probe = await kysoSign(fill(make('0000000000')), 'leader', { signingTime });
    const sigXref = PdfDocument.open(probe).revisions[1]!.xrefOffset;
    const base = fill(make(String(sigXref).padStart(10, '0')));
    const signed = await kysoSign(base, 'leader', { signingTime });
    expect(PdfDocument.open(signed).revisions[1]!.xrefOffset).toBe(sigXref);
    expectPass(await verify(signed), 1);
    const hidden = text(signed).indexOf('xref\n4 1\n');
    const attack = appendRaw(signed, { prev: hidden }).pdf;
    expectDisallowed(await verify(attack), 'xref-chain-mismatch', /differs from the one in the signed bytes/);
  });
});

describe('an object of the signed revision located past the signed bytes', () => {
  it('the signed xref names an offset that a later update fills: xref-entry-outside-signature', async () => {
    const far = 90_000;
    // Object 6 is the page's second content stream; its entry points far past the end of the file.
    let base = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 6 0 R] /Resources << /Font << /F1 5 0 R >> >> >>',
      stream('BT /F1 24 Tf 72 720 Td (Pay 100 VND) Tj ET'),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      null,
    ]);
    base = patch(base, '0000000000 00001 f \n', `${String(far).padStart(10, '0')} 00000 n \n`, text(base).indexOf('xref'));
    const signed = await kysoSign(base);
    const r0 = await verify(signed);
    expectDisallowed(r0, 'xref-entry-outside-signature', /after the signed bytes end/);
    // The update pads itself so that "6 0 obj" lands at that offset, and does not list it.
    const { pdf: attack, offsets } = appendRaw(signed, { padding: far - signed.length, objects: [{ num: 6, body: stream(EVIL), unlisted: true }] });
    expect(offsets.get(6)).toBe(far);
    expect(PdfDocument.open(attack).repaired).toBe(false);
    expectDisallowed(await verify(attack), 'xref-entry-outside-signature');
  });
});

describe('bytes after the last %%EOF', () => {
  it('an object after %%EOF that a repairing reader would pick up is disallowed; whitespace is not', async () => {
    const signed = await kysoSign(onePage());
    const attack = concat(signed, bytes(`4 0 obj\n${stream(EVIL)}\nendobj\n`));
    expectDisallowed(await verify(attack), 'trailing-data', /no cross-reference section lists/);
    const harmless = concat(signed, bytes('\r\n\n\0\0'));
    expectPass(await verify(harmless), 1);
  });
});

describe('an object stream number reused while old objects still live in it', () => {
  it('the font inside the old stream now reads from the new one: object-stream-redefined', async () => {
    const signed = await kysoSign(await pdfLibPdf({ objectStreams: true }));
    const doc = PdfDocument.open(signed);
    // Find an object stream that holds the font dictionary.
    const fontRef = doc.getPage(0).resources!.getDict('Font', doc)!.entries()[0]![1];
    const fontNum = (fontRef as { num: number }).num;
    const e = doc.getXrefEntry(fontNum);
    expect(e?.type).toBe('compressed');
    const stmNum = (e as { stream: number }).stream;
    const old = doc.getObject(stmNum) as PdfStream;
    const data = text(old.decode());
    const first = old.dict.getInt('First')!;
    const evil = data.slice(first).replace('/Helvetica', '/Courier  ');
    const attack = appendRaw(signed, { objects: [{ num: stmNum, body: stream(data.slice(0, first) + evil, `/Type /ObjStm /N ${old.dict.getInt('N')!} /First ${first}`) }] }).pdf;
    expectDisallowed(await verify(attack), 'object-stream-redefined', /of an earlier revision still lives in it/);
  });
});

describe('an object stream number reused with every object in it listed again', () => {
  it('the changed font inside is found (object-modified), although its entry is the same', async () => {
    // Same stream number, same index for each object: only the stream's contents differ. A
    // reader that caches object streams by number, or compares entries only, sees no change.
    const signed = await kysoSign(await pdfLibPdf({ objectStreams: true }));
    const doc = PdfDocument.open(signed);
    const fontNum = (doc.getPage(0).resources!.getDict('Font', doc)!.entries()[0]![1] as { num: number }).num;
    const stmNum = (doc.getXrefEntry(fontNum) as { stream: number }).stream;
    const old = doc.getObject(stmNum) as PdfStream;
    const data = text(old.decode());
    const first = old.dict.getInt('First')!;
    const nums = data.slice(0, first).trim().split(/\s+/).map(Number).filter((_, i) => i % 2 === 0);
    const last = doc.revisions[doc.revisions.length - 1]!;
    const stmAt = signed.length;
    let body = `${stmNum} 0 obj\n${stream(data.slice(0, first) + data.slice(first).replace('/Helvetica', '/Courier  '), `/Type /ObjStm /N ${old.dict.getInt('N')!} /First ${first}`)}\nendobj\n`;
    const self = doc.size;
    const xrefAt = signed.length + body.length;
    const live = nums.map((x, i) => [x, 2, stmNum, i] as const).filter(([x]) => {
      const e = doc.getXrefEntry(x);
      return e?.type === 'compressed' && e.stream === stmNum;
    });
    const rows = [[stmNum, 1, stmAt, 0] as const, [self, 1, xrefAt, 0] as const, ...live].sort((a, b) => a[0] - b[0]);
    const row = (t: number, f2: number, f3: number) => String.fromCharCode(t, (f2 >>> 24) & 255, (f2 >>> 16) & 255, (f2 >>> 8) & 255, f2 & 255, (f3 >>> 8) & 255, f3 & 255);
    const d = rows.map(([, t, f2, f3]) => row(t, f2, f3)).join('');
    body += `${self} 0 obj\n<< /Type /XRef /W [1 4 2] /Index [${rows.flatMap(([x]) => [x, 1]).join(' ')}] /Size ${self + 1} /Root ${doc.catalogRef.toString()} /Prev ${last.xrefOffset} /Length ${d.length} >>\nstream\n${d}\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`;
    const attack = concat(signed, bytes(body));
    expect((PdfDocument.open(attack).getObject(fontNum) as PdfDict).getName('BaseFont')).toBe('Courier');
    expectDisallowed(await verify(attack), 'object-modified', new RegExp(`object ${fontNum} 0`));
  });
});

describe('the chain of sections after a signature', () => {
  it('a /Prev that skips the signature\'s own section: the signature is gone, so nothing can pass', async () => {
    const signed = await kysoSign(onePage());
    const doc = PdfDocument.open(signed);
    // /Prev to the original's section: the signature's section is skipped, yet its bytes are still there.
    const attack = appendRaw(signed, { prev: doc.revisions[0]!.xrefOffset }).pdf;
    const r = await verify(attack);
    expect(r.signatures.length).toBe(0);
    // Listing the signature's objects again at their old offsets brings it back, but not as a pass.
    const sig = doc.revisions[1]!.objects.map((num) => ({ num, at: offsetOf(signed, num) }));
    const relisted = appendRaw(signed, { prev: doc.revisions[0]!.xrefOffset, entries: sig }).pdf;
    const r2 = await verify(relisted);
    expect(r2.signatures).toHaveLength(1);
    expect(r2.signatures[0]!.indication).not.toBe('TOTAL-PASSED');
  });

  it('an object reused with a new generation number is a change like any other', async () => {
    const signed = await kysoSign(onePage());
    const attack = appendRaw(signed, { objects: [{ num: 4, gen: 1, body: stream(EVIL) }] }).pdf;
    expectDisallowed(await verify(attack), 'object-modified', /draws a page/);
  });
});
