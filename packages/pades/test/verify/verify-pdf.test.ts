import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKysoError } from '@kyso/core';
import { loadFixture } from '@kyso/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, verifyPdf } from '../../src/index.js';
import { signWithByteRange, signWithOpenssl } from '../helpers/custom-sign.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { expectAllPassed } from '../helpers/verify.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');
const verify = (b: Uint8Array, time = VERIFY_AT) => verifyPdf(b, { trustAnchors: [fixtureRoot().pem], time });

describe('verifyPdf: the ByteRange (ISO 32000-2 §12.8.1)', () => {
  let nss: NssDb;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
  });

  it.each([
    ['leaves unsigned bytes before /Contents', (r: readonly number[]) => [0, r[1]! - 12, r[2]!, r[3]!], /first range ends/],
    ['does not start at 0', (r: readonly number[]) => [4, r[1]! - 4, r[2]!, r[3]!], /start at 0/],
    ['stops before the end of its revision', (r: readonly number[]) => [0, r[1]!, r[2]!, r[3]! - 40], /before the end of the signature's revision/],
  ])('a valid CMS over a range that %s is TOTAL-FAILED / FORMAT_FAILURE', async (_what, mutate, problem) => {
    const signer = await fixtureSigner('leader');
    const bytes = await signWithByteRange(minimalPdf(), signer, (r) => mutate(r) as unknown as typeof r);
    const report = await verify(bytes);
    const s = report.signatures[0]!;
    expect(s).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE', integrity: true });
    expect(s.errors.join('\n')).toMatch(problem);
  });

  it('a sound range ending at its revision is entire-revision when updates follow, and the reference tools agree on the digest', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('leader') });
    const later = await signPdf(signed, { signer: await fixtureSigner('head') });
    const r = await verify(later);
    expect(r.signatures.map((s) => s.coverage)).toEqual(['entire-revision', 'entire-file']);
    expect(pdfsig(tempFile('two.pdf', later), nss.spec).map((s) => s.valid)).toEqual([true, true]);
  });
});

describe('verifyPdf: trust and time', () => {
  it('without trust anchors: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND, integrity still reported', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('leader') });
    const r = await verifyPdf(signed, { time: VERIFY_AT });
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', integrity: true });
    expect(r.signatures[0]!.warnings.join()).toMatch(/no trust anchors/);
  });

  it('with an unrelated root: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-other-root-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'root.pem'), '-subj', '/CN=Other Root', '-days', '3650'], { stdio: 'ignore' });
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('leader') });
    const r = await verifyPdf(signed, { trustAnchors: [readFileSync(join(dir, 'root.pem'), 'utf8')], time: VERIFY_AT });
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('a trusted chain passes and warns that revocation was not checked', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('leader') });
    const r = await verify(signed);
    expectAllPassed(r, 1);
    expect(r.signatures[0]!.warnings.join()).toMatch(/revocation was not checked/);
  });

  it('an expired signer certificate is INDETERMINATE / OUT_OF_BOUNDS_NO_POE (no proof of time yet)', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('expired'), signingTime: new Date('2026-11-15T00:00:00Z') });
    const r = await verify(signed);
    expect(r.signatures[0]).toMatchObject({ integrity: true, indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
    expectAllPassed(await verify(signed, new Date('2026-11-20T00:00:00Z')), 1);
  });

  it('a claimed signing time before the certificate existed is TOTAL-FAILED / NOT_YET_VALID', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('not-yet-valid'), signingTime: new Date('2026-12-02T00:00:00Z') });
    const r = await verify(signed);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'NOT_YET_VALID' });
  });
});

describe('verifyPdf: what other producers write', () => {
  it.each([
    ['adbe.pkcs7.detached with signed attributes', 'detached', 'adbe.pkcs7.detached'],
    ['adbe.pkcs7.detached without signed attributes', 'detached-noattr', 'adbe.pkcs7.detached'],
    ['adbe.pkcs7.sha1 (weak)', 'sha1', 'adbe.pkcs7.sha1'],
  ] as const)('%s (openssl cms -sign): TOTAL-PASSED, and its tamper twin HASH_FAILURE', async (_what, mode, subFilter) => {
    const signed = signWithOpenssl(minimalPdf(), 'leader', mode);
    const r = await verify(signed);
    expectAllPassed(r, 1);
    expect(r.signatures[0]).toMatchObject({ subFilter, level: null, integrity: true });
    if (mode === 'sha1') expect(r.signatures[0]!.warnings.join()).toMatch(/SHA-1 is weak/);
    if (mode === 'detached-noattr') expect(r.signatures[0]!.warnings.join()).toMatch(/no signed attributes/);
    const bad = await verify(tamper(signed, indexOf(signed, 'Hello')));
    expect(bad.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE', integrity: false });
  });
});

describe('verifyPdf: the report', () => {
  it('has exactly the fields of the `kyso verify --format json` contract', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('leader') });
    const r = await verify(signed);
    expect(Object.keys(r).sort()).toEqual(['revisions', 'signatures']);
    expect(Object.keys(r.signatures[0]!).sort()).toEqual(
      // DESIGN.md's fields, plus the long-term validation evidence (chain, revocation, timestamps, proofOfExistence, pathValidatedAt).
      ['changes', 'claimedSigningTime', 'coverage', 'errors', 'field', 'indication', 'integrity', 'kind', 'level', 'modificationsAfter', 'revision', 'signer', 'subFilter', 'subIndication', 'timestampTime', 'warnings', 'chain', 'revocation', 'timestamps', 'proofOfExistence', 'pathValidatedAt'].sort(),
    );
    expect(Object.keys(r.signatures[0]!.signer!).sort()).toEqual(['certificateSha256', 'commonName', 'serialNumber', 'subject']);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(() => (r.signatures as unknown as unknown[]).push(1)).toThrow();
  });

  it('an unsigned PDF has no signatures; bytes that are not a PDF throw a KysoError', async () => {
    const r = await verifyPdf(minimalPdf());
    expect(r).toEqual({ revisions: 1, signatures: [] });
    const err = await verifyPdf(new TextEncoder().encode('not a pdf at all')).catch((e: unknown) => e);
    expect(isKysoError(err)).toBe(true);
    await expect(verifyPdf(loadFixture('pdfs', 'encrypted-aes256.pdf'))).rejects.toMatchObject({ code: 'PDF_ENCRYPTED' });
  });
});
