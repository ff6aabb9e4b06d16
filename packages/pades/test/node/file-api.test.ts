import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../../src/index.js';
import { signPdfFile, verifyPdfFile } from '../../src/node/index.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { minimalPdf, pdfLibPdf } from '../helpers/pdfs.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { expectAllPassed } from '../helpers/verify.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');

describe('@kyso/pades/node: signPdfFile and verifyPdfFile', () => {
  let nss: NssDb;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
  });

  it('signs three times file to file; pdfsig and both verifiers agree; the tamper twin fails', async () => {
    const input = tempFile('file-in.pdf', await pdfLibPdf({ objectStreams: true }));
    const original = readFileSync(input);
    const r1 = await signPdfFile(input, `${input}.1.pdf`, { signer: await fixtureSigner('drafter'), certify: 2, reason: 'Dự thảo' });
    expect(r1.fieldName).toBe('Signature1');
    await signPdfFile(`${input}.1.pdf`, `${input}.2.pdf`, { signer: await fixtureSigner('head') });
    const r3 = await signPdfFile(`${input}.2.pdf`, `${input}.3.pdf`, { signer: await fixtureSigner('leader'), field: { name: 'ChuTich', rect: [300, 40, 560, 110] }, appearance: true });
    const signed = new Uint8Array(readFileSync(`${input}.3.pdf`));
    expect(signed.length).toBe(r3.size);
    expect(readFileSync(input)).toEqual(original);
    expect(Buffer.from(signed.subarray(0, original.length))).toEqual(original);
    expect(pdfsig(`${input}.3.pdf`, nss.spec).map((s) => s.valid)).toEqual([true, true, true]);
    const fromFile = await verifyPdfFile(`${input}.3.pdf`, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectAllPassed(fromFile, 3);
    expect(fromFile).toEqual(await verifyPdf(signed, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT }));
    const bad = tempFile('file-bad.pdf', tamper(signed, indexOf(signed, '/Prop_Build', original.length) + 2));
    const r = await verifyPdfFile(bad, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    // The byte is in the first signature's update, which all three signatures cover.
    expect(r.signatures.map((s) => [s.indication, s.subIndication])).toEqual(Array(3).fill(['TOTAL-FAILED', 'HASH_FAILURE']));
  });

  it('leaves no output file when signing fails', async () => {
    const input = tempFile('file-fail.pdf', minimalPdf());
    const out = `${input}.out.pdf`;
    await expect(signPdfFile(input, out, { signer: await fixtureSigner('leader'), contentsSize: 500 })).rejects.toMatchObject({ code: 'SIGNATURE_TOO_LARGE' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dirname(input)).filter((f) => f.includes('file-fail.pdf.out'))).toEqual([]);
  });

  it('leaves no copy behind when signing fails while the original is still being copied', async () => {
    const input = tempFile('file-early.pdf', minimalPdf());
    const out = `${input}.out.pdf`;
    // The copy starts before the field is checked (the two overlap): a bad page still cleans up.
    await expect(signPdfFile(input, out, { signer: await fixtureSigner('leader'), field: { page: 7 } })).rejects.toMatchObject({ code: 'BAD_OPTIONS' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dirname(input)).filter((f) => f.includes('file-early.pdf.out'))).toEqual([]);
  });
});
