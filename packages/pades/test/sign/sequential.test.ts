import { listSignatures, PdfDocument } from '@kyso/pdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, verifyPdf } from '../../src/index.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { mutoolVerify } from '../helpers/mutool.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { minimalPdf, pdfLibPdf } from '../helpers/pdfs.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { expectAllPassed } from '../helpers/verify.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');

/** The approval route of the mission: the drafter certifies (P=2), the head and the leader approve. */
async function threeSigners(pdf: Uint8Array): Promise<Uint8Array[]> {
  const [drafter, head, leader] = await Promise.all([fixtureSigner('drafter'), fixtureSigner('head'), fixtureSigner('leader')]);
  const s1 = await signPdf(pdf, { signer: drafter, certify: 2, field: 'ChuyenVien', reason: 'Trình ký dự thảo', signingTime: new Date('2026-12-02T01:00:00Z') });
  const s2 = await signPdf(s1, { signer: head, field: 'ChanhVanPhong', reason: 'Đã kiểm tra', signingTime: new Date('2026-12-02T02:00:00Z') });
  const s3 = await signPdf(s2, { signer: leader, field: { name: 'ChuTich', page: 0, rect: [320, 60, 560, 130] }, appearance: true, reason: 'Ký ban hành', signingTime: new Date('2026-12-02T03:00:00Z') });
  return [s1, s2, s3];
}

describe('three signatures in sequence', () => {
  let nss: NssDb;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
  });

  for (const [label, make] of [
    ['hand-written table PDF', async () => minimalPdf()],
    ['pdf-lib xref-stream PDF', async () => pdfLibPdf({ objectStreams: true })],
  ] as const) {
    it(`${label}: pdfsig, mutool and verifyPdf report all three valid; the first two have allowed changes after them`, async () => {
      const [, , signed] = await threeSigners(await make());
      const file = tempFile(`three-${label.replace(/\W+/g, '-')}.pdf`, signed!);
      const ps = pdfsig(file, nss.spec);
      expect(ps.map((s) => [s.fieldName, s.valid, s.trusted, s.totalDocumentSigned])).toEqual([
        ['ChuyenVien', true, true, false],
        ['ChanhVanPhong', true, true, false],
        ['ChuTich', true, true, true],
      ]);
      const mu = mutoolVerify(file);
      expect(mu.map((s) => [s.valid, s.editedSince])).toEqual([
        [true, true],
        [true, true],
        [true, false],
      ]);
      const report = await verifyPdf(signed!, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
      expectAllPassed(report, 3);
      expect(report.revisions).toBe(4);
      expect(report.signatures.map((s) => [s.field, s.revision, s.kind, s.coverage, s.modificationsAfter])).toEqual([
        ['ChuyenVien', 2, 'certification', 'entire-revision', 'allowed'],
        ['ChanhVanPhong', 3, 'approval', 'entire-revision', 'allowed'],
        ['ChuTich', 4, 'approval', 'entire-file', 'none'],
      ]);
      const kinds = new Set(report.signatures[0]!.changes.map((c) => c.kind));
      expect([...kinds].sort()).toEqual(['signature-added', 'signature-field-added']);
      expect(report.signatures.map((s) => s.signer?.commonName)).toEqual(['Trần Thị Bình', 'Lê Văn Cường', 'Nguyễn Văn An']);
    });
  }

  it('tamper twin: a byte changed in the original part fails all three; one changed in the last update fails only the last', async () => {
    const [, , signed] = await threeSigners(minimalPdf());
    const early = tamper(signed!, indexOf(signed!, 'Hello'));
    const r1 = await verifyPdf(early, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expect(r1.signatures.map((s) => [s.indication, s.subIndication])).toEqual(Array(3).fill(['TOTAL-FAILED', 'HASH_FAILURE']));
    const doc = PdfDocument.open(signed!);
    const lastRev = doc.revisions[3]!;
    const late = tamper(signed!, indexOf(signed!, '/Prop_Build', lastRev.start) + 2);
    const r2 = await verifyPdf(late, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expect(r2.signatures.map((s) => s.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED', 'TOTAL-FAILED']);
    expect(r2.signatures[2]!.subIndication).toBe('HASH_FAILURE');
    const ps = pdfsig(tempFile('three-late-tamper.pdf', late), nss.spec);
    expect(ps.map((s) => s.valid)).toEqual([true, true, false]);
  });

  it('every intermediate file verifies too, and earlier bytes are never rewritten', async () => {
    const pdf = minimalPdf();
    const files = await threeSigners(pdf);
    let prev = pdf;
    for (const [i, f] of files.entries()) {
      expect(f.subarray(0, prev.length)).toEqual(prev);
      expectAllPassed(await verifyPdf(f, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT }), i + 1);
      prev = f;
    }
    expect(listSignatures(PdfDocument.open(files[2]!)).map((s) => s.revision)).toEqual([1, 2, 3]);
  });
});
