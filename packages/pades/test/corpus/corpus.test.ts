import { loadFixture } from '@kyso/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, verifyPdf } from '../../src/index.js';
import { tamper, tempFile } from '../helpers/files.js';
import { mutoolVerify } from '../helpers/mutool.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { corpusPdfs } from '../helpers/pdfs.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { expectAllPassed } from '../helpers/verify.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');
const corpus = corpusPdfs();

describe('every corpus PDF (test-fixtures/pdfs) signed three times in sequence', () => {
  let nss: NssDb;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
  });

  it('the corpus is there', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(10);
  });

  it.each(corpus.filter((c) => c.name !== 'encrypted-aes256.pdf').map((c) => [c.name, c.bytes] as const))('%s', async (name, pdf) => {
    const [drafter, head, leader] = await Promise.all([fixtureSigner('drafter'), fixtureSigner('head'), fixtureSigner('leader')]);
    const before = (await verifyPdf(pdf)).signatures.length;
    const s1 = await signPdf(pdf, { signer: drafter, ...(before === 0 ? { certify: 2 as const } : {}), reason: 'Dự thảo', field: 'KySo1' });
    const s2 = await signPdf(s1, { signer: head, reason: 'Kiểm tra', field: 'KySo2' });
    const s3 = await signPdf(s2, { signer: leader, reason: 'Ban hành', field: { name: 'KySo3', page: 0, rect: [40, 40, 240, 100] }, appearance: true });
    expect(s3.subarray(0, pdf.length)).toEqual(pdf);

    const report = await verifyPdf(s3, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    const ours = report.signatures.filter((s) => s.field.startsWith('KySo'));
    expect(ours.map((s) => [s.field, s.indication, s.subIndication, s.modificationsAfter, s.errors])).toEqual([
      ['KySo1', 'TOTAL-PASSED', null, 'allowed', []],
      ['KySo2', 'TOTAL-PASSED', null, 'allowed', []],
      ['KySo3', 'TOTAL-PASSED', null, 'none', []],
    ]);
    expectAllPassed({ ...report, signatures: ours }, 3);

    const file = tempFile(`corpus-${name}`, s3);
    const ps = pdfsig(file, nss.spec).filter((s) => s.fieldName?.startsWith('KySo'));
    expect(ps.map((s) => [s.fieldName, s.valid, s.trusted])).toEqual([
      ['KySo1', true, true],
      ['KySo2', true, true],
      ['KySo3', true, true],
    ]);
    expect(mutoolVerify(file).filter((s) => s.valid)).toHaveLength(3 + before);

    // Tamper twin: a byte of the last update's signature dictionary (inside the signed range).
    const bad = await verifyPdf(tamper(s3, findInLastUpdate(s3, s2.length)), { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expect(bad.signatures.find((s) => s.field === 'KySo3')).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('an encrypted PDF is refused with PDF_ENCRYPTED', async () => {
    await expect(signPdf(loadFixture('pdfs', 'encrypted-aes256.pdf'), { signer: await fixtureSigner('leader') })).rejects.toMatchObject({ code: 'PDF_ENCRYPTED' });
  });
});

/** Offset of "/Prop_Build" in the update appended after `from` (the newest signature dictionary, signed). */
function findInLastUpdate(bytes: Uint8Array, from: number): number {
  const needle = '/Prop_Build';
  for (let i = from; i < bytes.length - needle.length; i++) {
    let ok = true;
    for (let j = 0; j < needle.length && ok; j++) ok = bytes[i + j] === needle.charCodeAt(j);
    if (ok) return i + 2;
  }
  throw new Error('no /Prop_Build in the last update');
}
