import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { pemToDer } from '@kyso/core';
import { externalSigner } from '@kyso/cms';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { finishPdfSignature, preparePdfSignature, signPdf, verifyPdf, type PreparedPdfSignatureState } from '../../src/index.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { minimalPdf, pdfLibPdf } from '../helpers/pdfs.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot } from '../helpers/pki.js';
import { requireTool } from '../helpers/tools.js';
import { expectAllPassed } from '../helpers/verify.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');
const verify = (b: Uint8Array) => verifyPdf(b, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });

/** Certificate and chain of a fixture identity, without its key. */
function identity(name: string) {
  const certificate = loadFixture('pki', `${name}.cer`);
  const chain = pemToDer(readFileSync(fixturePath('pki', `${name}.chain.pem`), 'utf8'), 'CERTIFICATE').slice(0, 1);
  return { certificate, chain };
}

/** A non-extractable WebCrypto key, as a browser or a platform keystore holds it. */
async function nonExtractableKey(name: string, alg: RsaHashedImportParams | EcKeyImportParams): Promise<CryptoKey> {
  const pkcs8 = pemToDer(readFileSync(fixturePath('pki', `${name}.key.pem`), 'utf8'), 'PRIVATE KEY')[0]!;
  const key = await crypto.subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']);
  expect(key.extractable).toBe(false);
  return key;
}

/** Through JSON, as a state stored in a database or sent to another process. */
const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('staged signing: prepare → sign elsewhere → finish', () => {
  let nss: NssDb;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
  });

  it('with a non-extractable WebCrypto RSA key; the state goes through JSON', async () => {
    const key = await nonExtractableKey('leader', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    const prepared = await preparePdfSignature(minimalPdf(), {
      signer: { ...identity('leader'), signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } },
      reason: 'Ký từ trình duyệt',
    });
    expect(prepared.digestToSign).toHaveLength(32);
    const state = viaJson(prepared.state);
    const value = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, prepared.toBeSigned));
    const signed = await finishPdfSignature(prepared.preparedPdf, state, value);
    expectAllPassed(await verify(signed), 1);
    expect(pdfsig(tempFile('staged-webcrypto.pdf', signed), nss.spec).map((s) => [s.valid, s.trusted])).toEqual([[true, true]]);
    // Tamper twin.
    const bad = await verify(tamper(signed, indexOf(signed, 'Hello')));
    expect(bad.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('with a non-extractable WebCrypto ECDSA P-256 key (raw r‖s value)', async () => {
    const key = await nonExtractableKey('leader-p256', { name: 'ECDSA', namedCurve: 'P-256' });
    const prepared = await preparePdfSignature(await pdfLibPdf({ objectStreams: true }), {
      signer: { ...identity('leader-p256'), signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } },
    });
    const value = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, prepared.toBeSigned));
    const signed = await finishPdfSignature(prepared.preparedPdf, viaJson(prepared.state), value);
    expectAllPassed(await verify(signed), 1);
    expect(pdfsig(tempFile('staged-ecdsa.pdf', signed), nss.spec)[0]?.valid).toBe(true);
  });

  it('with an external signer in another process: openssl pkeyutl signs the digest from a file', async () => {
    requireTool('openssl');
    const prepared = await preparePdfSignature(minimalPdf(), {
      signer: { ...identity('head'), signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } },
      field: { name: 'ChanhVanPhong', page: 0, rect: [50, 50, 250, 110] },
      appearance: true,
    });
    // What a remote service or token driver sees: a file with the digest, a file with the state.
    const digestFile = tempFile('digest.bin', prepared.digestToSign);
    const stateFile = tempFile('state.json', new TextEncoder().encode(JSON.stringify(prepared.state)));
    const pdfFile = tempFile('prepared.pdf', prepared.preparedPdf);
    const sigFile = `${digestFile}.sig`;
    execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', fixturePath('pki', 'head.key.pem'), '-pkeyopt', 'digest:sha256', '-in', digestFile, '-out', sigFile]);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as PreparedPdfSignatureState;
    const signed = await finishPdfSignature(new Uint8Array(readFileSync(pdfFile)), state, new Uint8Array(readFileSync(sigFile)));
    writeFileSync(`${pdfFile}.signed.pdf`, signed);
    expectAllPassed(await verify(signed), 1);
    expect(pdfsig(`${pdfFile}.signed.pdf`, nss.spec)[0]).toMatchObject({ valid: true, fieldName: 'ChanhVanPhong' });
  });

  it('with an external callback through @kyso/cms externalSigner and signPdf', async () => {
    const { certificate, chain } = identity('drafter');
    const calls: Uint8Array[] = [];
    const signer = externalSigner({
      certificate,
      chain,
      // The callback gets only a digest: sign DigestInfo with raw RSA in openssl, another process.
      signDigest: async (digest) => {
        calls.push(digest);
        const file = tempFile(`cb-${calls.length}.bin`, digest);
        execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', fixturePath('pki', 'drafter.key.pem'), '-pkeyopt', 'digest:sha256', '-in', file, '-out', `${file}.sig`]);
        return new Uint8Array(readFileSync(`${file}.sig`));
      },
    });
    const signed = await signPdf(minimalPdf(), { signer, certify: 2 });
    expect(calls).toHaveLength(1);
    expectAllPassed(await verify(signed), 1);
  });

  it('refuses a prepared PDF that is not the state\'s, a tampered state, and a wrong signature value', async () => {
    const key = await nonExtractableKey('leader', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    const other = await nonExtractableKey('head', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    const signer = { ...identity('leader'), signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const };
    const a = await preparePdfSignature(minimalPdf('A'), { signer });
    const b = await preparePdfSignature(minimalPdf('B'), { signer });
    const value = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, a.toBeSigned));
    await expect(finishPdfSignature(b.preparedPdf, a.state, value)).rejects.toMatchObject({ code: 'BAD_STATE' });
    await expect(finishPdfSignature(a.preparedPdf, { ...a.state, byteRange: [0, 1, 2, 3] }, value)).rejects.toMatchObject({ code: 'BAD_STATE' });
    await expect(finishPdfSignature(a.preparedPdf, { ...a.state, version: 2 } as unknown as PreparedPdfSignatureState, value)).rejects.toMatchObject({ code: 'BAD_STATE' });
    const wrong = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', other, a.toBeSigned));
    await expect(finishPdfSignature(a.preparedPdf, a.state, wrong)).rejects.toMatchObject({ code: 'SIGNATURE_MISMATCH' });
    const copy = a.preparedPdf.slice();
    const signed = await finishPdfSignature(a.preparedPdf, a.state, value);
    expect(a.preparedPdf).toEqual(copy); // finish returns a new array
    expectAllPassed(await verify(signed), 1);
  });

  it('finish throws SIGNATURE_TOO_LARGE when the placeholder is too small', async () => {
    const key = await nonExtractableKey('leader', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    const p = await preparePdfSignature(minimalPdf(), { signer: { ...identity('leader'), signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } }, contentsSize: 800 });
    const value = new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, p.toBeSigned));
    await expect(finishPdfSignature(p.preparedPdf, p.state, value)).rejects.toMatchObject({ code: 'SIGNATURE_TOO_LARGE' });
  });
});
