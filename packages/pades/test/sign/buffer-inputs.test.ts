import { describe, expect, it } from 'vitest';
import { finishPdfSignature, preparePdfSignature, signPdf, verifyPdf } from '../../src/index.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';

// Regression: Node's Buffer.slice() returns a view, not a copy, so code that "copied" a Buffer
// input with slice() wrote into the caller's bytes (finishPdfSignature) or restored the wrong
// bytes after hashing in place.
describe('Node Buffer inputs are never written to', () => {
  it('finishPdfSignature leaves the prepared Buffer as it was and returns a valid PDF', async () => {
    const signer = await fixtureSigner('leader');
    const prepared = await preparePdfSignature(minimalPdf(), { signer });
    const asBuffer = Buffer.from(prepared.preparedPdf);
    const before = Buffer.from(asBuffer);
    const value = await signer.sign(prepared.toBeSigned);
    const signed = await finishPdfSignature(asBuffer, prepared.state, value);
    expect(asBuffer.equals(before)).toBe(true);
    const report = await verifyPdf(signed, { trustAnchors: [fixtureRoot().der] });
    expect(report.signatures[0]!.indication).toBe('TOTAL-PASSED');
  });

  it('signPdf of a Buffer leaves it unchanged', async () => {
    const input = Buffer.from(minimalPdf());
    const before = Buffer.from(input);
    const signed = await signPdf(input, { signer: await fixtureSigner('head') });
    expect(input.equals(before)).toBe(true);
    expect((await verifyPdf(signed, { trustAnchors: [fixtureRoot().der] })).signatures[0]!.indication).toBe('TOTAL-PASSED');
  });
});
