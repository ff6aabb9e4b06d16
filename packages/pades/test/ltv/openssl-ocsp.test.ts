import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendPdf, signPdf, verifyPdf, type SignatureReport } from '../../src/index.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { pdfsigAsync } from './helpers.js';
import { startOpensslPki, type OpensslPki } from './openssl-pki.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function brief(s: SignatureReport) {
  return { kind: s.kind, indication: s.indication, subIndication: s.subIndication, level: s.level, errors: s.errors };
}

describe("OpenSSL's OCSP responder (openssl ocsp -index) and TSA (openssl ts -reply) behind a 127.0.0.1 listener", () => {
  let o: OpensslPki;
  let nss: NssDb;
  beforeAll(async () => {
    o = await startOpensslPki('kyso-ltv-openssl');
    nss = createNssDb([{ nick: 'root', pem: o.pki.root.certificatePem }]);
  });
  afterAll(async () => {
    await o?.close();
  });

  it('B-LTA from openssl data verifies offline; pdfsig (asking the same responder) trusts the signature; tamper twin', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await o.signer(o.pki.cadres.leader), timeStamper: o.tsa });
    const before = o.ocspRequests();
    const lta = await extendPdf(signed, { level: 'B-LTA', timeStamper: o.tsa, online: true, trustAnchors: [o.pki.root.certificatePem] });
    expect(o.ocspRequests()).toBeGreaterThan(before);
    const r = await verifyPdf(lta, { trustAnchors: [o.pki.root.certificatePem], online: false });
    expect(r.signatures.map(brief)).toEqual([
      { kind: 'approval', indication: 'TOTAL-PASSED', subIndication: null, level: 'B-LTA', errors: [] },
      { kind: 'document-timestamp', indication: 'TOTAL-PASSED', subIndication: null, level: null, errors: [] },
    ]);
    expect(r.signatures[0]!.revocation[0]).toMatchObject({ status: 'good', type: 'ocsp', source: 'embedded' });
    const ps = await pdfsigAsync(tempFile('openssl-lta.pdf', lta), nss.spec);
    expect(ps[0]).toMatchObject({ valid: true, trusted: true });
    const bad = tamper(lta, indexOf(lta, 'Hello'));
    expect((await verifyPdf(bad, { trustAnchors: [o.pki.root.certificatePem], online: false })).signatures.map((s) => s.subIndication)).toEqual(['HASH_FAILURE', 'HASH_FAILURE']);
    expect((await pdfsigAsync(tempFile('openssl-lta-bad.pdf', bad), nss.spec))[0]).toMatchObject({ valid: false });
  });

  it('openssl ca -revoke: time-stamped before the revocation passes with a note, after it fails REVOKED; pdfsig sees the revocation', async () => {
    const id = await o.pki.issue({ name: 'openssl-revoked', subject: { C: 'VN', O: 'UBND tỉnh Bắc Ninh', CN: 'Hồ Thị Lan' } });
    await o.valid(id);
    const signer = await o.signer(id);
    const early = await signPdf(minimalPdf(), { signer, timeStamper: o.tsa });
    await pause(1100); // genTime and the revocation time have one-second resolution
    await o.revoke(id);
    await pause(1100);
    const late = await signPdf(minimalPdf(), { signer, timeStamper: o.tsa });
    const anchors = [o.pki.root.certificatePem];

    const a = (await verifyPdf(early, { trustAnchors: anchors, online: true })).signatures[0]!;
    expect(brief(a)).toEqual({ kind: 'approval', indication: 'TOTAL-PASSED', subIndication: null, level: 'B-T', errors: [] });
    expect(a.warnings.join('\n')).toMatch(/revoked at .*keyCompromise.*after the proof of existence/);
    expect(a.revocation[0]).toMatchObject({ status: 'revoked', type: 'ocsp' });

    const b = (await verifyPdf(late, { trustAnchors: anchors, online: true })).signatures[0]!;
    expect(b).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });

    // The same conclusions from the embedded data alone, after B-LT.
    const earlyLt = await extendPdf(early, { level: 'B-LT', online: true, trustAnchors: anchors });
    const lateLt = await extendPdf(late, { level: 'B-LT', online: true, trustAnchors: anchors });
    expect((await verifyPdf(earlyLt, { trustAnchors: anchors, online: false })).signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', level: 'B-LT' });
    expect((await verifyPdf(lateLt, { trustAnchors: anchors, online: false })).signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });

    // pdfsig asks the responder now: revoked.
    const ps = await pdfsigAsync(tempFile('openssl-revoked.pdf', early), nss.spec);
    expect(ps[0]).toMatchObject({ valid: true, trusted: false });
    expect(ps[0]!.certificate).toMatch(/Revoked/i);
  });
});
