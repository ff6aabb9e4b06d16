import { readFileSync } from 'node:fs';
import { pemToDer } from '@kyso/core';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { finishPdfSignature, preparePdfSignature, signPdf, verifyPdf } from '../../src/index.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { opensslTimeStamper } from '../helpers/openssl-tsa.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { expectAllPassed } from '../helpers/verify.js';

describe('PAdES B-T: a signature time-stamp from an RFC 3161 TSA (openssl ts -reply)', () => {
  let nss: NssDb;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
  });

  it('signPdf with a timeStamper: level B-T with the token\'s time; pdfsig agrees; the tamper twin fails', async () => {
    const tsa = opensslTimeStamper();
    const before = Date.now();
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('leader'), timeStamper: tsa });
    expect(tsa.tokens).toHaveLength(1);
    const report = await verifyPdf(signed, { trustAnchors: [fixtureRoot().pem] });
    expectAllPassed(report, 1);
    const s = report.signatures[0]!;
    expect(s.level).toBe('B-T');
    expect(Math.abs(new Date(s.timestampTime!).getTime() - before)).toBeLessThan(120_000);
    expect(pdfsig(tempFile('bt.pdf', signed), nss.spec)[0]).toMatchObject({ valid: true, trusted: true });
    const bad = await verifyPdf(tamper(signed, indexOf(signed, 'Hello')), { trustAnchors: [fixtureRoot().pem] });
    expect(bad.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('staged: prepare reserves room for the token, finish time-stamps', async () => {
    const certificate = loadFixture('pki', 'head.cer');
    const chain = pemToDer(readFileSync(fixturePath('pki', 'head.chain.pem'), 'utf8'), 'CERTIFICATE').slice(0, 1);
    const key = await crypto.subtle.importKey('pkcs8', pemToDer(readFileSync(fixturePath('pki', 'head.key.pem'), 'utf8'), 'PRIVATE KEY')[0]!, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    const tsa = opensslTimeStamper();
    const p = await preparePdfSignature(minimalPdf(), { signer: { certificate, chain, signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } }, timeStamper: tsa });
    const value = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, p.toBeSigned));
    const signed = await finishPdfSignature(p.preparedPdf, JSON.parse(JSON.stringify(p.state)), value, { timeStamper: tsa });
    const report = await verifyPdf(signed, { trustAnchors: [fixtureRoot().pem] });
    expectAllPassed(report, 1);
    expect(report.signatures[0]!.level).toBe('B-T');
    // Without room for the token the CMS does not fit: an error, not a truncated file.
    const small = await preparePdfSignature(minimalPdf(), { signer: { certificate, chain, signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } } });
    const v2 = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, small.toBeSigned));
    await expect(finishPdfSignature(small.preparedPdf, small.state, v2, { timeStamper: tsa })).rejects.toMatchObject({ code: 'SIGNATURE_TOO_LARGE' });
  });

  it('a signature without a time-stamp stays B-B with no timestampTime', async () => {
    const report = await verifyPdf(await signPdf(minimalPdf(), { signer: await fixtureSigner('leader') }), { trustAnchors: [fixtureRoot().pem] });
    expect(report.signatures[0]).toMatchObject({ level: 'B-B', timestampTime: null });
  });
});
