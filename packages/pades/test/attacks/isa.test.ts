/**
 * Incremental Saving Attacks (Mladenov et al., "1 Trillion Dollar Refund", 2019): an update
 * appended after the signature changes what the signed pages show while the signed bytes, and so
 * the signature, stay intact. Each attack is made on a document signed by kyso and on one signed
 * by poppler's pdfsig (NSS), and each has an honest twin — a second signature — that passes.
 */
import { PdfArray, PdfDict, PdfDocument, PdfName, PdfStream, PdfString } from '@kyso/pdf';
import { describe, expect, it } from 'vitest';
import { craftUpdate, edit } from '../helpers/craft.js';
import { tempFile } from '../helpers/files.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { appendRaw, expectDisallowed, expectFormatFailure, expectPass, kysoSign, nssSpec, onePage, pdfsigSign, verify } from './kit.js';

const signers = [
  ['kyso', (pdf: Uint8Array) => kysoSign(pdf, 'leader')],
  ['pdfsig', async (pdf: Uint8Array) => pdfsigSign(pdf, `isa-${Math.random().toString(16).slice(2)}`)],
] as const;

const newText = (s: string) => new TextEncoder().encode(`BT /F1 24 Tf 72 720 Td (${s}) Tj ET`);

describe.each(signers)('Incremental Saving Attack on a document signed by %s', (_who, sign) => {
  it('honest twin: a second signature after it is an allowed change and both pass', async () => {
    const signed = await sign(onePage());
    const twice = await kysoSign(signed, 'head');
    const r = await verify(twice);
    expectPass(r, 2);
    expect(r.signatures[0]!.modificationsAfter).toBe('allowed');
    expect(r.signatures[0]!.changes.every((c) => c.classification !== 'disallowed')).toBe(true);
  });

  it('the page content stream redefined: disallowed (object-modified); pdfsig still calls the signature valid', async () => {
    const signed = await sign(onePage());
    const attack = craftUpdate(signed, (doc, up) => {
      up.set(doc.getPage(0).dict.getRef('Contents')!, PdfStream.fromData(newText('Pay 900 VND'), PdfDict.of(), { compress: false }));
    });
    expectDisallowed(await verify(attack), 'object-modified', /draws a page/);
    // The reason this matters: a verifier that only checks the ByteRange digest accepts it.
    expect(pdfsig(tempFile(`isa-content-${_who}.pdf`, attack), nssSpec())[0]).toMatchObject({ valid: true, totalDocumentSigned: false });
  });

  it('the page pointed to a new content stream: disallowed (page-modified)', async () => {
    const signed = await sign(onePage());
    const attack = craftUpdate(signed, (doc, up) => {
      const c = up.allocate();
      up.set(c, PdfStream.fromData(newText('Pay 900 VND'), PdfDict.of(), { compress: false }));
      edit(doc, up, doc.getPage(0).ref!).set('Contents', c);
    });
    expectDisallowed(await verify(attack), 'page-modified', /\/Contents was changed/);
  });

  it('the font replaced (same object number): disallowed', async () => {
    const signed = await sign(onePage());
    const attack = craftUpdate(signed, (doc, up) => {
      const font = doc.getPage(0).resources!.getDict('Font', doc)!.getRef('F1')!;
      up.set(font, PdfDict.of({ Type: PdfName.of('Font'), Subtype: PdfName.of('Type1'), BaseFont: PdfName.of('Courier') }));
    });
    expectDisallowed(await verify(attack), 'object-modified', /draws a page/);
  });

  it('a page added to the page tree: disallowed (page-tree-modified)', async () => {
    const signed = await sign(onePage());
    const attack = craftUpdate(signed, (doc, up) => {
      const pagesRef = doc.catalog.getRef('Pages')!;
      const c = up.allocate();
      up.set(c, PdfStream.fromData(newText('Annex: the amount is void'), PdfDict.of(), { compress: false }));
      const p = up.allocate();
      up.set(p, PdfDict.of({ Type: PdfName.of('Page'), Parent: pagesRef, MediaBox: PdfArray.of([0, 0, 595, 842]), Contents: c }));
      const pages = edit(doc, up, pagesRef);
      const kids = (pages.getArray('Kids', doc) as PdfArray).clone();
      kids.push(p);
      pages.set('Kids', kids).set('Count', 2);
    });
    expectDisallowed(await verify(attack), 'page-tree-modified', /page tree/);
  });

  it('JavaScript run on opening (catalog /OpenAction): disallowed (catalog-modified)', async () => {
    const signed = await sign(onePage());
    const attack = craftUpdate(signed, (doc, up) => {
      edit(doc, up, doc.catalogRef).set('OpenAction', PdfDict.of({ S: PdfName.of('JavaScript'), JS: PdfString.fromText('app.alert("paid")') }));
    });
    expectDisallowed(await verify(attack), 'catalog-modified', /OpenAction/);
  });

  it('the signature field removed from the page: disallowed', async () => {
    const signed = await sign(onePage());
    const attack = craftUpdate(signed, (doc, up) => {
      const page = edit(doc, up, doc.getPage(0).ref!);
      page.delete('Annots');
    });
    expectDisallowed(await verify(attack), 'annotation-removed');
  });

  it('the signature dictionary redefined in a later update: its /Contents is no longer the signed gap (FORMAT_FAILURE)', async () => {
    const signed = await sign(onePage());
    const attack = craftUpdate(signed, (doc, up) => {
      const sigRef = doc.catalog.getDict('AcroForm', doc)!.getArray('Fields', doc)!.getDict(0, doc)!.getRef('V')!;
      edit(doc, up, sigRef).set('Reason', PdfString.fromText('Approved by the director'));
    });
    // The reader now finds the signature dictionary in the attacker's update, whose /Contents is
    // not the gap of the /ByteRange and which ends after the signed bytes.
    expectFormatFailure(await verify(attack), /ByteRange: .*(\/Contents string|before the end of the signature's revision)/);
  });

  it('the page content object deleted (freed) in a later update: disallowed (object-deleted)', async () => {
    const signed = await sign(onePage());
    const contents = PdfDocument.open(signed).getPage(0).dict.getRef('Contents')!;
    const attack = appendRaw(signed, { entries: [{ num: contents.num, at: 'free', gen: 1 }] }).pdf;
    expectDisallowed(await verify(attack), 'object-deleted');
  });
});
