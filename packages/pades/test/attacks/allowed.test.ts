/**
 * What stays allowed after every signature, even a certification with P=1 (ETSI EN 319 142-1
 * §5.4: long-term validation data and document timestamps), and the twins that dress up a
 * forbidden change as one of them.
 */
import { PdfArray, PdfDict, PdfName, PdfStream, PdfString } from '@kyso/pdf';
import { describe, expect, it } from 'vitest';
import { addDocumentTimestamp } from '../../src/index.js';
import { craftUpdate, edit } from '../helpers/craft.js';
import { opensslTimeStamper } from '../helpers/openssl-tsa.js';
import { expectDisallowed, kysoSign, onePage, verify } from './kit.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** Adds a DSS with one certificate stream and a VRI entry (`vriKey`), as a B-LT extension does. */
function addDss(pdf: Uint8Array, vriKey = 'A'.repeat(40), extra: Record<string, PdfArray> = {}): Uint8Array {
  return craftUpdate(pdf, (doc, up) => {
    const cert = up.allocate();
    up.set(cert, PdfStream.fromData(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01), PdfDict.of(), { compress: false }));
    const vri = PdfDict.of({ [vriKey]: PdfDict.of({ Cert: PdfArray.of([cert]) }) });
    const dss = up.allocate();
    up.set(dss, PdfDict.of({ Type: PdfName.of('DSS'), Certs: PdfArray.of([cert]), VRI: vri, ...extra }));
    edit(doc, up, doc.catalogRef).set('DSS', dss);
  });
}

describe('always allowed, even after a certification with P=1', () => {
  it('a document timestamp (invisible field, /DocTimeStamp)', async () => {
    const p1 = await kysoSign(onePage(), 'drafter', { certify: 1 });
    const stamped = await addDocumentTimestamp(p1, { timeStamper: opensslTimeStamper() });
    const r = await verify(stamped);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', modificationsAfter: 'allowed' });
    expect(r.signatures[0]!.changes.map((c) => [c.kind, c.classification]).sort()).toEqual([
      ['document-timestamp-added', 'allowed'],
      ['signature-field-added', 'allowed'],
    ]);
  });

  it('a DSS with VRI; but a DSS with other keys, or a VRI key that is not a hash, is disallowed', async () => {
    const p1 = await kysoSign(onePage(), 'drafter', { certify: 1 });
    const r = await verify(addDss(p1));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', modificationsAfter: 'allowed' });
    expect(r.signatures[0]!.changes.map((c) => c.kind)).toEqual(['dss']);
    expectDisallowed(await verify(addDss(p1, 'A'.repeat(40), { XObject: PdfArray.of([]) })), 'dss', /unexpected key \/XObject/);
    // A second update adds a VRI entry in place: a key that is no SHA-1 hash is refused.
    const once = addDss(p1);
    const badKey = craftUpdate(once, (doc, up) => {
      const dssRef = doc.catalog.getRef('DSS')!;
      const dss = edit(doc, up, dssRef);
      const vri = (dss.getDict('VRI', doc) as PdfDict).clone();
      vri.set('Evil', PdfDict.of({}));
      const vriRef = up.allocate();
      up.set(vriRef, vri);
      dss.set('VRI', vriRef);
    });
    expectDisallowed(await verify(badKey), 'dss', /the \/VRI key \/Evil is not a SHA-1 hash/);
  });

  it('the document information dictionary and XMP metadata; not when /Info smuggles a dictionary', async () => {
    const p1 = await kysoSign(onePage(), 'drafter', { certify: 1 });
    const info = craftUpdate(p1, (_doc, up) => {
      const i = up.allocate();
      up.set(i, PdfDict.of({ ModDate: PdfString.fromLatin1("D:20261203100000+07'00'"), Producer: PdfString.fromText('kyso') }));
      up.setTrailerEntry('Info', i);
    });
    const ri = await verify(info);
    expect(ri.signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', modificationsAfter: 'allowed' });
    expect(ri.signatures[0]!.changes.map((c) => [c.kind, c.classification])).toEqual([['metadata', 'allowed']]);
    const xmp = craftUpdate(p1, (doc, up) => {
      const m = up.allocate();
      up.set(m, PdfStream.fromData(enc('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>'), PdfDict.of({ Type: PdfName.of('Metadata'), Subtype: PdfName.of('XML') }), { compress: false }));
      edit(doc, up, doc.catalogRef).set('Metadata', m);
    });
    expect((await verify(xmp)).signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', modificationsAfter: 'allowed' });
    const smuggled = craftUpdate(p1, (_doc, up) => {
      const i = up.allocate();
      up.set(i, PdfDict.of({ Title: PdfString.fromText('x'), XObject: PdfDict.of({}) }));
      up.setTrailerEntry('Info', i);
    });
    expectDisallowed(await verify(smuggled), 'metadata', /\/XObject is a dictionary, not text/);
  });

  it('an empty, invisible signature field for a later signer (P=2)', async () => {
    const p2 = await kysoSign(onePage(), 'drafter', { certify: 2 });
    const withField = craftUpdate(p2, (doc, up) => {
      const w = up.allocate();
      up.set(w, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), FT: PdfName.of('Sig'), T: PdfString.fromText('Later'), Rect: PdfArray.of([0, 0, 0, 0]), F: 132, P: doc.getPage(0).ref! }));
      const form = edit(doc, up, doc.catalog.getRef('AcroForm')!);
      const fields = form.getArray('Fields', doc)!.clone();
      fields.push(w);
      form.set('Fields', fields);
    });
    const r = await verify(withField);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', modificationsAfter: 'allowed' });
    expect(r.signatures[0]!.changes.map((c) => [c.kind, c.classification])).toEqual([['signature-field-added', 'allowed']]);
  });
});
