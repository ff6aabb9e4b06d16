/**
 * Attacks on certified documents (Mainka, Mladenov, Rohlmann, Schwenk: "Breaking the
 * Specification: PDF Certification", IEEE S&P 2021): the certifier allows form filling (P=2) or
 * annotations (P=3), and the attacker uses exactly that permission to paint over the page.
 * Evil Annotation Attack: an annotation whose appearance replaces content. Sneaky Signature
 * Attack: a signature field whose widget appearance does the same. kyso accepts comment
 * annotations where annotations are allowed, visible signature fields only when they are signed,
 * and nothing that redraws the page otherwise (packages/pades/ATTACKS.md).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signerFromPem } from '@kyso/cms';
import { PdfArray, PdfDict, PdfDocument, PdfName, PdfStream, PdfString, type IncrementalUpdate } from '@kyso/pdf';
import { describe, expect, it } from 'vitest';
import { signPdf } from '../../src/index.js';
import { craftUpdate, edit } from '../helpers/craft.js';
import { fixtureSigner } from '../helpers/pki.js';
import { expectDisallowed, expectPass, kysoSign, onePage, verify } from './kit.js';

/** An appearance that paints a white box and new text over the amount. */
function overlay(up: IncrementalUpdate) {
  const ap = up.allocate();
  up.set(
    ap,
    PdfStream.fromData(new TextEncoder().encode('1 1 1 rg 0 0 300 60 re f 0 g BT /Helv 24 Tf 12 20 Td (Pay 900 VND) Tj ET'), PdfDict.of({
      Type: PdfName.of('XObject'),
      Subtype: PdfName.of('Form'),
      BBox: PdfArray.of([0, 0, 300, 60]),
      Resources: PdfDict.of({ Font: PdfDict.of({ Helv: PdfDict.of({ Type: PdfName.of('Font'), Subtype: PdfName.of('Type1'), BaseFont: PdfName.of('Helvetica') }) }) }),
    }), { compress: false }),
  );
  return ap;
}

/** Adds an annotation of `subtype` over the amount, with an overlay appearance. */
function annotate(pdf: Uint8Array, subtype: string, extra: Record<string, PdfDict | PdfString | PdfArray | PdfName | number> = {}): Uint8Array {
  return craftUpdate(pdf, (doc, up) => {
    const a = up.allocate();
    up.set(a, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of(subtype), Rect: PdfArray.of([60, 700, 360, 760]), F: 4, AP: PdfDict.of({ N: overlay(up) }), Contents: PdfString.fromText('x'), ...extra }));
    const page = edit(doc, up, doc.getPage(0).ref!);
    const annots = page.getArray('Annots', doc)?.clone() ?? PdfArray.of();
    annots.push(a);
    page.set('Annots', annots);
  });
}

/** Adds a visible signature field over the amount, not signed (the Sneaky Signature Attack). */
function sneakyField(pdf: Uint8Array): Uint8Array {
  return craftUpdate(pdf, (doc, up) => {
    const w = up.allocate();
    const page = doc.getPage(0);
    up.set(w, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), FT: PdfName.of('Sig'), T: PdfString.fromText('Sneaky'), Rect: PdfArray.of([60, 700, 360, 760]), F: 4, P: page.ref!, AP: PdfDict.of({ N: overlay(up) }) }));
    const p = edit(doc, up, page.ref!);
    const annots = p.getArray('Annots', doc)?.clone() ?? PdfArray.of();
    annots.push(w);
    p.set('Annots', annots);
    const formRef = doc.catalog.getRef('AcroForm')!;
    const form = edit(doc, up, formRef);
    const fields = form.getArray('Fields', doc)!.clone();
    fields.push(w);
    form.set('Fields', fields);
  });
}

describe('Evil Annotation Attack', () => {
  it('P=2: no annotation at all, comment or not; the honest twin (a second signature) passes', async () => {
    const p2 = await kysoSign(onePage(), 'drafter', { certify: 2 });
    expectDisallowed(await verify(annotate(p2, 'FreeText', { DA: PdfString.fromLatin1('/Helv 24 Tf 0 g') })), 'annotation-added', /Evil Annotation/);
    expectDisallowed(await verify(annotate(p2, 'Text')), 'annotation-added', /annotations only with P=3/);
    expectPass(await verify(await kysoSign(p2, 'head')), 2);
  });

  it('P=3: comments are allowed, FreeText and Stamp that paint over the page are not', async () => {
    const p3 = await kysoSign(onePage(), 'drafter', { certify: 3 });
    for (const subtype of ['FreeText', 'Stamp', 'Square', 'Redact']) {
      expectDisallowed(await verify(annotate(p3, subtype)), 'annotation-added', new RegExp(`/${subtype} annotation was added: it can paint over`));
    }
    const commented = await verify(annotate(p3, 'Text'));
    expectPass(commented, 1);
    expect(commented.signatures[0]!.changes.map((c) => [c.kind, c.classification])).toEqual([['annotation-added', 'allowed-by-certification']]);
  });

  it('after an approval signature (no certification): the same rule', async () => {
    const signed = await kysoSign(onePage());
    expectDisallowed(await verify(annotate(signed, 'FreeText')), 'annotation-added', /Evil Annotation/);
    expectPass(await verify(annotate(signed, 'Highlight', { QuadPoints: PdfArray.of([60, 760, 360, 760, 60, 700, 360, 700]) })), 1);
  });

  it('a widget that belongs to no field, with an appearance: disallowed under every permission', async () => {
    const p3 = await kysoSign(onePage(), 'drafter', { certify: 3 });
    expectDisallowed(await verify(annotate(p3, 'Widget')), 'annotation-added', /belongs to no form field/);
  });
});

describe('Sneaky Signature Attack', () => {
  it('P=2: a visible signature field without a signature is disallowed; a visible signed one passes', async () => {
    const p2 = await kysoSign(onePage(), 'drafter', { certify: 2 });
    expectDisallowed(await verify(sneakyField(p2)), 'signature-field-added', /Sneaky Signature/);
    const twin = await kysoSign(p2, 'head', { field: { name: 'Head', page: 0, rect: [60, 600, 260, 660] }, appearance: true });
    const r = await verify(twin);
    expectPass(r, 2);
    expect(r.signatures[0]!.changes.map((c) => c.kind).sort()).toEqual(['signature-added', 'signature-field-added']);
  });

  it('an empty signature field prepared by the certifier gets an appearance without a signature: disallowed', async () => {
    // The certifier leaves a visible, empty field for the next signer.
    const withField = craftUpdate(onePage(), (doc, up) => {
      const w = up.allocate();
      up.set(w, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), FT: PdfName.of('Sig'), T: PdfString.fromText('Next'), Rect: PdfArray.of([60, 700, 360, 760]), F: 4, P: doc.getPage(0).ref! }));
      edit(doc, up, doc.getPage(0).ref!).set('Annots', PdfArray.of([w]));
      const form = up.allocate();
      up.set(form, PdfDict.of({ Fields: PdfArray.of([w]) }));
      edit(doc, up, doc.catalogRef).set('AcroForm', form);
    });
    const p2 = await kysoSign(withField, 'drafter', { certify: 2, field: 'Certifier' });
    const attack = craftUpdate(p2, (doc, up) => {
      const field = PdfDocument.open(p2).catalog.getDict('AcroForm', doc)!.getArray('Fields', doc)!.getRef(0)!;
      edit(doc, up, field).set('AP', PdfDict.of({ N: overlay(up) }));
    });
    expectDisallowed(await verify(attack), 'field-modified', /without being signed.*Sneaky Signature/);
    // Twin: signing that field (its rectangle was set before the certification) is allowed.
    expectPass(await verify(await kysoSign(p2, 'head', { field: 'Next', appearance: true })), 2);
  });

  it('the appearance of a visible signature replaced after signing: signature-modified', async () => {
    const signed = await kysoSign(onePage(), 'leader', { field: { name: 'Leader', page: 0, rect: [60, 600, 260, 660] }, appearance: true });
    const attack = craftUpdate(signed, (doc, up) => {
      const field = doc.catalog.getDict('AcroForm', doc)!.getArray('Fields', doc)!.getRef(0)!;
      edit(doc, up, field).set('AP', PdfDict.of({ N: overlay(up) }));
    });
    expectDisallowed(await verify(attack), 'signature-modified', /after it was signed/);
  });

  it('signed by the attacker\'s own key: the certification still allows it, but the new signature cannot pass', async () => {
    // What remains of the attack (as in Acrobat): a visible signature by someone else. The
    // certification's report says "allowed"; the document as a whole does not verify, because
    // the attacker's signature has no trusted chain.
    const dir = mkdtempSync(join(tmpdir(), 'kyso-sneaky-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-subj', '/CN=Trần Thị Bình/C=VN', '-days', '30', '-utf8'], { stdio: 'ignore' });
    const evil = await signerFromPem(readFileSync(join(dir, 'k.pem'), 'utf8'), readFileSync(join(dir, 'c.pem'), 'utf8'));
    const p2 = await signPdf(onePage(), { signer: await fixtureSigner('drafter'), certify: 2 });
    const attack = await signPdf(p2, { signer: evil, field: { name: 'Sneaky', page: 0, rect: [60, 700, 360, 760] }, appearance: true });
    const r = await verify(attack);
    expect(r.signatures.map((s) => [s.modificationsAfter, s.indication])).toEqual([
      ['allowed', 'TOTAL-PASSED'],
      ['none', 'INDETERMINATE'],
    ]);
    expect(r.signatures.every((s) => s.indication === 'TOTAL-PASSED')).toBe(false);
  });
});
