import { PDF, P12Signer as LibPdfP12Signer } from '@libpdf/core';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer as SignpdfP12Signer } from '@signpdf/signer-p12';
import signpdf from '@signpdf/signpdf';
import { loadFixture } from '@kyso/test-fixtures';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, verifyPdf } from '../../src/index.js';
import { makeAsciiPki, type AsciiPki } from '../helpers/ascii-pki.js';
import { opensslTimeStamper } from '../helpers/openssl-tsa.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { mutoolVerify } from '../helpers/mutool.js';
import { createNssDb, importP12, type NssDb } from '../helpers/nss.js';
import { minimalPdf, pdfLibPdf } from '../helpers/pdfs.js';
import { pdfsig, pdfsigAddSignature } from '../helpers/pdfsig.js';
import { signUnlistedWidget } from '../helpers/custom-sign.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { expectAllPassed } from '../helpers/verify.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');

/** Changes one byte of the original file's text and expects every signature to fail with HASH_FAILURE. */
async function expectTamperFails(signed: Uint8Array, anchors: string[], needle = 'Hello', time: Date | undefined = VERIFY_AT): Promise<void> {
  const at = indexOf(signed, needle);
  expect(at).toBeGreaterThan(0);
  const r = await verifyPdf(tamper(signed, at), { trustAnchors: anchors, ...(time ? { time } : {}) });
  expect(r.signatures.length).toBeGreaterThan(0);
  for (const s of r.signatures) expect([s.indication, s.subIndication]).toEqual(['TOTAL-FAILED', 'HASH_FAILURE']);
}

describe('we verify what pdfsig -add-signature (NSS) signs', () => {
  let nss: NssDb;
  let leader: string;
  let head: string;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
    leader = importP12(nss, loadFixture('pki', 'leader.p12'), 'kyso');
    head = importP12(nss, loadFixture('pki', 'head.p12'), 'kyso');
  });

  it('one and two signatures: TOTAL-PASSED, adbe.pkcs7.detached; tamper twin fails', async () => {
    const one = tempFile('nss-1.pdf', minimalPdf());
    pdfsigAddSignature(nss.spec, leader, one, `${one}.s1.pdf`, ['-reason', 'Đồng ý']);
    const s1 = new Uint8Array(readFileSync(`${one}.s1.pdf`));
    const r1 = await verifyPdf(s1, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectAllPassed(r1, 1);
    expect(r1.signatures[0]).toMatchObject({ subFilter: 'adbe.pkcs7.detached', level: null, signer: { commonName: 'Nguyễn Văn An' } });
    pdfsigAddSignature(nss.spec, head, `${one}.s1.pdf`, `${one}.s2.pdf`);
    const s2 = new Uint8Array(readFileSync(`${one}.s2.pdf`));
    const r2 = await verifyPdf(s2, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectAllPassed(r2, 2);
    expect(r2.signatures.map((s) => [s.coverage, s.modificationsAfter])).toEqual([
      ['entire-revision', 'allowed'],
      ['entire-file', 'none'],
    ]);
    await expectTamperFails(s2, [fixtureRoot().pem]);
  });

  it('a kyso certification, then a pdfsig signature, then a kyso one: all valid everywhere', async () => {
    const k1 = await signPdf(minimalPdf(), { signer: await fixtureSigner('drafter'), certify: 2 });
    const f1 = tempFile('mixed-1.pdf', k1);
    pdfsigAddSignature(nss.spec, head, f1, `${f1}.2.pdf`);
    const k3 = await signPdf(new Uint8Array(readFileSync(`${f1}.2.pdf`)), { signer: await fixtureSigner('leader') });
    const f3 = tempFile('mixed-3.pdf', k3);
    expect(pdfsig(f3, nss.spec).map((s) => s.valid)).toEqual([true, true, true]);
    expect(mutoolVerify(f3).map((s) => s.valid)).toEqual([true, true, true]);
    const r = await verifyPdf(k3, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectAllPassed(r, 3);
    expect(r.signatures.map((s) => s.subFilter)).toEqual(['ETSI.CAdES.detached', 'adbe.pkcs7.detached', 'ETSI.CAdES.detached']);
  });
});

describe('we verify what @signpdf/signpdf (plain placeholder, P12 signer) signs', () => {
  let pki: AsciiPki;
  let nss: NssDb;
  beforeAll(() => {
    pki = makeAsciiPki();
    nss = createNssDb([{ nick: 'interop-root', pem: pki.rootPem }]);
  });

  const signOnce = async (pdf: Uint8Array, p12: Uint8Array, reason: string) => {
    const withPlaceholder = plainAddPlaceholder({ pdfBuffer: Buffer.from(pdf), reason, contactInfo: 'test@example.org', name: 'Interop', location: 'Ha Noi' });
    return new Uint8Array(await signpdf.sign(withPlaceholder, new SignpdfP12Signer(Buffer.from(p12), { passphrase: 'kyso' })));
  };

  it('one and two signatures: TOTAL-PASSED, as pdfsig agrees; tamper twin fails', async () => {
    const pdf = await pdfLibPdf();
    const s1 = await signOnce(pdf, pki.p12, 'first');
    const s2 = await signOnce(s1, pki.p12, 'second');
    expect(pdfsig(tempFile('signpdf-2.pdf', s2), nss.spec).map((s) => s.valid)).toEqual([true, true]);
    // The openssl-made certificates start now, so verify now.
    expectAllPassed(await verifyPdf(s1, { trustAnchors: [pki.rootPem] }), 1);
    const r2 = await verifyPdf(s2, { trustAnchors: [pki.rootPem] });
    expectAllPassed(r2, 2);
    expect(r2.signatures.map((s) => [s.subFilter, s.modificationsAfter])).toEqual([
      ['adbe.pkcs7.detached', 'allowed'],
      ['adbe.pkcs7.detached', 'none'],
    ]);
    await expectTamperFails(s2, [pki.rootPem], 'Length', undefined);
  });

  it('regression: node-forge double-encodes a UTF-8 issuer in the SignerInfo, so a Vietnamese CA\'s signature is unverifiable — we say NO_SIGNING_CERTIFICATE_FOUND, pdfsig fails too', async () => {
    const s1 = await signOnce(await pdfLibPdf(), loadFixture('pki', 'leader.legacy.p12'), 'vi');
    const r = await verifyPdf(s1, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND' });
    expect(pdfsig(tempFile('signpdf-vi.pdf', s1))[0]?.valid).toBe(false);
  });
});

describe('we verify what @libpdf/core signs', () => {
  it('one and two PAdES signatures on an xref-stream file: TOTAL-PASSED; tamper twin fails', async () => {
    const doc = await PDF.load(await pdfLibPdf({ objectStreams: true }));
    const one = await doc.sign({ signer: await LibPdfP12Signer.create(loadFixture('pki', 'leader.p12'), 'kyso'), reason: 'Ký ban hành' });
    const r1 = await verifyPdf(one.bytes, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectAllPassed(r1, 1);
    expect(r1.signatures[0]).toMatchObject({ subFilter: 'ETSI.CAdES.detached', level: 'B-B' });
    const two = await doc.sign({ signer: await LibPdfP12Signer.create(loadFixture('pki', 'head.p12'), 'kyso') });
    const r2 = await verifyPdf(two.bytes, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectAllPassed(r2, 2);
    expect(r2.signatures.map((s) => s.modificationsAfter)).toEqual(['allowed', 'none']);
    const bad = await verifyPdf(tamper(two.bytes, indexOf(two.bytes, '/Reason')), { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expect(bad.signatures.map((s) => s.subIndication)).toContain('HASH_FAILURE');
  });

  it('a document timestamp (ETSI.RFC3161) added by @libpdf/core after our certification verifies, with its time; tamper twin fails', async () => {
    const ours = await signPdf(await pdfLibPdf(), { signer: await fixtureSigner('drafter'), certify: 1 });
    const doc = await PDF.load(ours);
    const tsa = opensslTimeStamper();
    const { bytes } = await doc.addTimestamp({ timestampAuthority: tsa });
    expect(tsa.tokens).toHaveLength(1);
    const r = await verifyPdf(bytes, { trustAnchors: [fixtureRoot().pem] });
    expectAllPassed(r, 2);
    expect(r.signatures.map((s) => [s.kind, s.subFilter, s.modificationsAfter])).toEqual([
      ['certification', 'ETSI.CAdES.detached', 'allowed'], // P=1 still allows a document timestamp (ETSI EN 319 142-1 §5.4)
      ['document-timestamp', 'ETSI.RFC3161', 'none'],
    ]);
    expect(r.signatures[1]!.timestampTime).not.toBeNull();
    expect(r.signatures[1]!.signer?.commonName).toMatch(/TSA|Time|Dấu thời gian/i);
    const bad = await verifyPdf(tamper(bytes, indexOf(bytes, '/Prop_Build') + 2), { trustAnchors: [fixtureRoot().pem] });
    expect(bad.signatures.map((s) => s.subIndication)).toEqual(['HASH_FAILURE', 'HASH_FAILURE']);
  });

  it('and @libpdf/core can add a signature after ours, keeping ours valid', async () => {
    const ours = await signPdf(await pdfLibPdf(), { signer: await fixtureSigner('drafter'), certify: 2 });
    const doc = await PDF.load(ours);
    const theirs = await doc.sign({ signer: await LibPdfP12Signer.create(loadFixture('pki', 'leader.p12'), 'kyso') });
    const r = await verifyPdf(theirs.bytes, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectAllPassed(r, 2);
  });
});

describe('a signature field that only its page\'s /Annots holds (a producer that leaves the AcroForm out)', () => {
  it('is verified, with a warning, as pdfsig verifies it (mutool lists only the AcroForm\'s fields); after a kyso signature too; tamper twin fails', async () => {
    const nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
    const alone = await signUnlistedWidget(minimalPdf(), await fixtureSigner('leader'), 'Chữ ký ngoài form');
    const r1 = await verifyPdf(alone, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expectAllPassed(r1, 1);
    expect(r1.signatures[0]!.field).toBe('Chữ ký ngoài form');
    expect(r1.signatures[0]!.warnings.some((w) => w.includes('not in the AcroForm'))).toBe(true);
    const f1 = tempFile('unlisted-1.pdf', alone);
    expect(pdfsig(f1, nss.spec).map((s) => s.valid)).toEqual([true]);
    await expectTamperFails(alone, [fixtureRoot().pem]);

    // After a signature the AcroForm lists: found in the update that wrote it. For the first
    // signature that update adds a widget that belongs to no form field, which can draw anything
    // over the page (readers that follow the AcroForm do not take it for a signature): reported.
    const first = await signPdf(minimalPdf(), { signer: await fixtureSigner('head') });
    const both = await signUnlistedWidget(first, await fixtureSigner('leader'), 'Orphan');
    const r2 = await verifyPdf(both, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expect(r2.signatures.map((s) => [s.field, s.indication, s.modificationsAfter, s.warnings.some((w) => w.includes('not in the AcroForm'))])).toEqual([
      ['Signature1', 'TOTAL-FAILED', 'disallowed', false],
      ['Orphan', 'TOTAL-PASSED', 'none', true],
    ]);
    expect(r2.signatures[0]!.errors).toEqual(['revision 3: a widget annotation that belongs to no form field was added: it can show anything over the page']);
    const f2 = tempFile('unlisted-2.pdf', both);
    expect(pdfsig(f2, nss.spec).map((s) => s.valid)).toEqual([true, true]);
    await expectTamperFails(both, [fixtureRoot().pem]);
  });
});
