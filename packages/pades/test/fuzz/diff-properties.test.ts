/**
 * Property-based tests of the difference analysis: random sequences of incremental updates after
 * a signature, drawn from changes the signature's permissions allow and changes they do not. The
 * first signature must pass exactly when every update was allowed, and each disallowed update
 * must be reported against its own revision.
 */
import { PdfArray, PdfDict, PdfName, PdfStream, PdfString } from '@kyso/pdf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signPdf, verifyPdf } from '../../src/index.js';
import { craftUpdate, edit } from '../helpers/craft.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { onePage } from '../attacks/kit.js';
import { fuzzParams, fuzzTimeout } from './mutations.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');

type Op = { readonly name: string; readonly allowed: (p: 2 | 3 | null) => boolean; readonly apply: (pdf: Uint8Array, i: number) => Promise<Uint8Array> };

function addAnnotation(pdf: Uint8Array, subtype: string): Uint8Array {
  return craftUpdate(pdf, (doc, up) => {
    const a = up.allocate();
    up.set(a, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of(subtype), Rect: PdfArray.of([10, 10, 40, 40]), Contents: PdfString.fromText('ghi chú') }));
    const p = edit(doc, up, doc.getPage(0).ref!);
    const annots = p.getArray('Annots', doc)?.clone() ?? PdfArray.of();
    annots.push(a);
    p.set('Annots', annots);
  });
}

const OPS: readonly Op[] = [
  { name: 'sign invisibly', allowed: () => true, apply: async (pdf, i) => signPdf(pdf, { signer: await fixtureSigner('head'), field: `Extra${i}` }) },
  { name: 'sign visibly', allowed: () => true, apply: async (pdf, i) => signPdf(pdf, { signer: await fixtureSigner('clerk'), field: { name: `Visible${i}`, page: 0, rect: [20, 20 + 70 * i, 220, 80 + 70 * i] }, appearance: true }) },
  {
    name: 'add a DSS',
    allowed: () => true,
    apply: async (pdf) =>
      craftUpdate(pdf, (doc, up) => {
        const d = up.allocate();
        up.set(d, PdfDict.of({ Type: PdfName.of('DSS'), Certs: PdfArray.of([]) }));
        edit(doc, up, doc.catalogRef).set('DSS', d);
      }),
  },
  { name: 'add a comment', allowed: (p) => p !== 2, apply: async (pdf) => addAnnotation(pdf, 'Text') },
  { name: 'add a FreeText', allowed: () => false, apply: async (pdf) => addAnnotation(pdf, 'FreeText') },
  {
    name: 'change the content',
    allowed: () => false,
    apply: async (pdf, i) =>
      craftUpdate(pdf, (doc, up) => {
        up.set(doc.getPage(0).dict.getRef('Contents')!, PdfStream.fromData(new TextEncoder().encode(`BT /F1 24 Tf 72 720 Td (v${i}) Tj ET`), PdfDict.of(), { compress: false }));
      }),
  },
  { name: 'change the MediaBox', allowed: () => false, apply: async (pdf, i) => craftUpdate(pdf, (doc, up) => void edit(doc, up, doc.getPage(0).ref!).set('MediaBox', PdfArray.of([0, 0, 300 + i, 300]))) },
  { name: 'add an OpenAction', allowed: () => false, apply: async (pdf, i) => craftUpdate(pdf, (doc, up) => void edit(doc, up, doc.catalogRef).set('OpenAction', PdfArray.of([doc.getPage(0).ref!, PdfName.of('XYZ'), 0, 800 - i, 1]))) },
];

describe('difference analysis properties', () => {
  it.each([
    ['approval', null],
    ['certification P=2', 2],
    ['certification P=3', 3],
  ] as const)('after an %s signature: passes exactly when every later update is allowed', async (_what, certify) => {
    const base = await signPdf(onePage(), { signer: await fixtureSigner('drafter'), ...(certify ? { certify } : {}) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: OPS.length - 1 }), { minLength: 1, maxLength: 3 }), async (picks) => {
        let pdf = base;
        const expected: boolean[] = [];
        for (const [i, k] of picks.entries()) {
          pdf = await OPS[k]!.apply(pdf, i);
          expected.push(OPS[k]!.allowed(certify));
        }
        const r = await verifyPdf(pdf, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
        const first = r.signatures[0]!;
        const ok = expected.every(Boolean);
        const label = picks.map((k) => OPS[k]!.name).join(' → ');
        expect(first.indication === 'TOTAL-PASSED', `${label}: ${JSON.stringify(first.changes.filter((c) => !c.allowed))}`).toBe(ok);
        expect(first.modificationsAfter).toBe(ok ? 'allowed' : 'disallowed');
        // Each disallowed update shows up in its own revision (the original is 1, the signature 2); every op changes something new.
        const badRevisions = new Set(first.changes.filter((c) => !c.allowed).map((c) => c.revision));
        expected.forEach((allowed, i) => expect(badRevisions.has(i + 3), `${label}: revision ${i + 3}`).toBe(!allowed));
      }),
      fuzzParams(40),
    );
  }, fuzzTimeout(200));
});
