import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fromLatin1, isKysoError } from '@kyso/core';
import { verifyCades } from '@kyso/cms';
import { listSignatures, PdfDocument } from '@kyso/pdf';
import { loadFixture } from '@kyso/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, verifyPdf } from '../../src/index.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { mutoolVerify } from '../helpers/mutool.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { minimalPdf, pdfLibPdf } from '../helpers/pdfs.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { expectAllPassed } from '../helpers/verify.js';
import { requireTool } from '../helpers/tools.js';

const SIGNED_AT = new Date('2026-12-02T03:04:05Z');
const VERIFY_AT = new Date('2026-12-03T00:00:00Z');
const anchors = () => [fixtureRoot().pem];

describe('signPdf', () => {
  let nss: NssDb;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
  });

  it('makes a B-B signature that pdfsig, mutool and verifyPdf accept', async () => {
    const signer = await fixtureSigner('leader');
    const signed = await signPdf(minimalPdf(), { signer, signingTime: SIGNED_AT, reason: 'Approved' });
    const file = tempFile('one.pdf', signed);
    const ps = pdfsig(file, nss.spec);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ valid: true, trusted: true, signatureType: 'ETSI.CAdES.detached', totalDocumentSigned: true, commonName: 'Nguyễn Văn An' });
    const mu = mutoolVerify(file);
    expect(mu).toHaveLength(1);
    expect(mu[0]).toMatchObject({ valid: true, editedSince: false });
    const report = await verifyPdf(signed, { trustAnchors: anchors(), time: VERIFY_AT });
    expectAllPassed(report, 1);
    expect(report.revisions).toBe(2);
    expect(report.signatures[0]).toMatchObject({
      field: 'Signature1',
      revision: 2,
      kind: 'approval',
      subFilter: 'ETSI.CAdES.detached',
      level: 'B-B',
      integrity: true,
      coverage: 'entire-file',
      modificationsAfter: 'none',
      claimedSigningTime: SIGNED_AT.toISOString(),
      signer: { commonName: 'Nguyễn Văn An' },
    });
    expect(Object.isFrozen(report) && Object.isFrozen(report.signatures[0])).toBe(true);
  });

  it('tamper twin: one changed byte inside the signed range is TOTAL-FAILED / HASH_FAILURE, and pdfsig says Digest Mismatch', async () => {
    const signer = await fixtureSigner('leader');
    const signed = await signPdf(minimalPdf(), { signer, signingTime: SIGNED_AT });
    const at = indexOf(signed, 'Hello');
    expect(at).toBeGreaterThan(0);
    const bad = tamper(signed, at);
    const report = await verifyPdf(bad, { trustAnchors: anchors(), time: VERIFY_AT });
    expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE', integrity: false });
    const ps = pdfsig(tempFile('one-tampered.pdf', bad), nss.spec);
    expect(ps[0]?.validation).toBe('Digest Mismatch.');
    expect(mutoolVerify(tempFile('one-tampered-mu.pdf', bad))[0]?.valid).toBe(false);
  });

  it('only appends an incremental update: the input is a prefix of the output and is left unchanged', async () => {
    const signer = await fixtureSigner('head');
    for (const pdf of [minimalPdf(), await pdfLibPdf({ objectStreams: true })]) {
      const copy = pdf.slice();
      const signed = await signPdf(pdf, { signer, signingTime: SIGNED_AT });
      expect(pdf).toEqual(copy);
      expect(signed.subarray(0, pdf.length)).toEqual(pdf);
      const doc = PdfDocument.open(signed);
      expect(doc.revisions).toHaveLength(2);
      // The new section has the kind of the last one (DESIGN.md decision 1).
      expect(doc.revisions[1]!.xrefKind).toBe(PdfDocument.open(pdf).revisions[0]!.xrefKind);
    }
  });

  it('writes Vietnamese /Reason, /Name, /Location and /ContactInfo as UTF-16BE text strings that round-trip, and /M in +07:00', async () => {
    const signer = await fixtureSigner('drafter');
    const text = { reason: 'Đồng ý ban hành văn bản', name: 'Trần Thị Bình', location: 'Thành phố Bắc Ninh', contactInfo: 'vanphong@bacninh.gov.vn' };
    const signed = await signPdf(minimalPdf(), { signer, signingTime: SIGNED_AT, ...text });
    const sig = listSignatures(PdfDocument.open(signed))[0]!;
    expect({ reason: sig.reason, name: sig.name, location: sig.location, contactInfo: sig.contactInfo }).toEqual(text);
    expect(sig.signingTime).toBe("D:20261202100405+07'00'");
    const raw = fromLatin1(signed.subarray(indexOf(signed, '/Type /Sig')));
    expect(raw).toMatch(/\/Reason <FEFF0110/); // "Đ" = U+0110, UTF-16BE with BOM
    expect(raw).toMatch(/\/ContactInfo \(vanphong@bacninh\.gov\.vn\)/); // ASCII stays a literal
    const report = await verifyPdf(signed, { trustAnchors: anchors(), time: VERIFY_AT });
    expectAllPassed(report, 1);
  });

  it('puts signing-certificate-v2 and no signing-time attribute in the CMS (ETSI EN 319 142-1 §5.2)', async () => {
    const signer = await fixtureSigner('leader');
    const signed = await signPdf(minimalPdf(), { signer, signingTime: SIGNED_AT });
    const sig = listSignatures(PdfDocument.open(signed))[0]!;
    const r = await verifyCades(trim(sig.contents!), { content: joined(signed, sig.byteRange!) });
    expect(r).toMatchObject({ signingTime: null, signingCertificateV2Ok: true, signedAttributesPresent: true, messageDigestOk: true, signatureOk: true });
    expect(r.certificates.length).toBeGreaterThanOrEqual(2); // signer + issuing CA: openssl and pdfsig build the chain from it
  });

  it('fills the existing empty signature field of a form and keeps the form fields', async () => {
    const pdf = loadFixture('pdfs', 'forms-annots.pdf');
    const before = listSignatures(PdfDocument.open(pdf));
    expect(before).toHaveLength(0);
    const signer = await fixtureSigner('clerk');
    const signed = await signPdf(pdf, { signer, field: 'Signature1', signingTime: SIGNED_AT });
    const sigs = listSignatures(PdfDocument.open(signed));
    expect(sigs.map((s) => s.field.name)).toEqual(['Signature1']);
    const report = await verifyPdf(signed, { trustAnchors: anchors(), time: VERIFY_AT });
    expectAllPassed(report, 1);
    const ps = pdfsig(tempFile('forms-signed.pdf', signed), nss.spec);
    expect(ps.map((s) => [s.fieldName, s.valid])).toEqual([['Signature1', true]]);
    await expect(signPdf(signed, { signer, field: 'Signature1' })).rejects.toMatchObject({ code: 'FIELD_ALREADY_SIGNED' });
  });

  it('refuses to sign a field that is not a signature field', async () => {
    const pdf = loadFixture('pdfs', 'forms-annots.pdf');
    const name = PdfDocument.open(pdf);
    const { listFields } = await import('@kyso/pdf');
    const text = listFields(name).find((f) => f.type === 'Tx')!;
    const signer = await fixtureSigner('clerk');
    await expect(signPdf(pdf, { signer, field: text.name })).rejects.toMatchObject({ code: 'FIELD_NOT_SIGNATURE' });
  });

  it('draws a plain visible appearance in the field rectangle', async () => {
    requireTool('pdftoppm');
    const signer = await fixtureSigner('leader');
    const pdf = minimalPdf();
    const rect = [300, 100, 540, 170] as const;
    const signed = await signPdf(pdf, { signer, signingTime: SIGNED_AT, reason: 'Ký ban hành', field: { name: 'Leader', page: 0, rect }, appearance: true });
    const dark = (bytes: Uint8Array, file: string) => darkPixelsIn(tempFile(file, bytes), rect);
    expect(dark(pdf, 'unsigned.pdf')).toBe(0);
    expect(dark(signed, 'visible.pdf')).toBeGreaterThan(200);
    const report = await verifyPdf(signed, { trustAnchors: anchors(), time: VERIFY_AT });
    expectAllPassed(report, 1);
    expect(report.signatures[0]!.field).toBe('Leader');
    await expect(signPdf(pdf, { signer, appearance: true })).rejects.toMatchObject({ code: 'BAD_OPTIONS' });
  });

  it('throws SIGNATURE_TOO_LARGE, and returns nothing, when the CMS does not fit contentsSize', async () => {
    const signer = await fixtureSigner('leader');
    let out: Uint8Array | undefined;
    const err = await signPdf(minimalPdf(), { signer, contentsSize: 1000 }).then(
      (b) => {
        out = b;
        return null;
      },
      (e: unknown) => e,
    );
    expect(out).toBeUndefined();
    expect(isKysoError(err, 'SIGNATURE_TOO_LARGE')).toBe(true);
    expect((err as Error).message).toMatch(/holds 1000.*larger contentsSize/);
  });

  it('sizes the /Contents placeholder from the certificates that go in it', async () => {
    const signer = await fixtureSigner('leader');
    const size = async (chain: readonly Uint8Array[]) => {
      const signed = await signPdf(minimalPdf(), { signer: { ...signer, chain }, signingTime: SIGNED_AT });
      const s = listSignatures(PdfDocument.open(signed))[0]!;
      return { reserved: s.contents!.length, used: trim(s.contents!).length };
    };
    const one = await size(signer.chain);
    const more = await size([...signer.chain, fixtureRoot().der, fixtureRoot().der]);
    expect(one.reserved).toBeGreaterThanOrEqual(one.used);
    expect(one.reserved - one.used).toBeLessThan(3000); // not a fixed 16 KB guess
    expect(more.reserved - one.reserved).toBeGreaterThanOrEqual(2 * fixtureRoot().der.length - 512);
  });
});

/** The DER of a /Contents without its zero padding. */
function trim(c: Uint8Array): Uint8Array {
  const n = c[1]! & 0x7f;
  const len = c[1]! < 0x80 ? c[1]! : [...c.subarray(2, 2 + n)].reduce((a, b) => a * 256 + b, 0);
  return c.subarray(0, (c[1]! < 0x80 ? 2 : 2 + n) + len);
}

function joined(bytes: Uint8Array, r: readonly number[]): Uint8Array {
  const out = new Uint8Array(r[1]! + r[3]!);
  out.set(bytes.subarray(r[0]!, r[0]! + r[1]!), 0);
  out.set(bytes.subarray(r[2]!, r[2]! + r[3]!), r[1]!);
  return out;
}

/** Dark pixels of page 1 (rendered at 72 dpi) inside `rect` (PDF points, origin bottom-left). */
function darkPixelsIn(file: string, rect: readonly [number, number, number, number]): number {
  const out = `${file}.render`;
  execFileSync('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-gray', '-singlefile', file, out]);
  const pgm = readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const data = pgm.subarray(header[0].length);
  let n = 0;
  for (let y = Math.round(h - rect[3]); y < Math.round(h - rect[1]); y++) {
    for (let x = Math.round(rect[0]); x < Math.round(rect[2]); x++) if (data[y * w + x]! < 128) n++;
  }
  return n;
}
