import { PdfDocument, listSignatures } from '@kyso/pdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addValidationData, extendPdf, readDss, signPdf, verifyPdf, vriKey, type SignatureReport } from '../../src/index.js';
import { indexOf, tamper } from '../helpers/files.js';
import { opensslTimeStamper } from '../helpers/openssl-tsa.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { fixtureRoot } from '../helpers/pki.js';
import { startLtvPki, type LtvPki } from './helpers.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function brief(s: SignatureReport) {
  return { kind: s.kind, indication: s.indication, subIndication: s.subIndication, level: s.level, errors: s.errors };
}

describe('verifyPdf: long-term validation against the testkit TSA, OCSP responder and CRLs', () => {
  let env: LtvPki;
  beforeAll(async () => {
    env = await startLtvPki('kyso-ltv-verify');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('B-T online: the signer and TSA paths are checked with fetched OCSP/CRL; the report carries chain, revocation, timestamps', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await env.signer(env.pki.cadres.leader), timeStamper: env.tsa });
    const r = await verifyPdf(signed, { trustAnchors: [env.rootPem], http: env.http });
    const s = r.signatures[0]!;
    expect(brief(s)).toEqual({ kind: 'approval', indication: 'TOTAL-PASSED', subIndication: null, level: 'B-T', errors: [] });
    expect(s.warnings.join('\n')).not.toMatch(/revocation was not checked/);
    expect(s.chain.map((c) => c.serialNumber)).toEqual([env.pki.cadres.leader.serialNumber, env.pki.governmentCa.serialNumber, env.pki.root.serialNumber].map((x) => x.toLowerCase()));
    expect(s.chain.at(-1)!.trustAnchor).toBe(true);
    expect(s.revocation).toHaveLength(2);
    expect(s.revocation[0]).toMatchObject({ status: 'good', type: 'ocsp', source: 'fetched' });
    // The government CA's CRL was fetched for the TSA path first, so the signer's path finds it in the fetch cache.
    expect(s.revocation[1]).toMatchObject({ status: 'good', type: 'crl', source: expect.stringMatching(/^(fetched|cache)$/) });
    expect(new Date(s.revocation[0]!.thisUpdate!).getTime()).toBeGreaterThan(Date.now() - HOUR);
    expect(s.timestamps).toEqual([expect.objectContaining({ type: 'signature', valid: true, tsa: expect.stringContaining('TSA Test') })]);
    expect(s.proofOfExistence).toBe(s.timestampTime);
    // Online is the default (global fetch), as with pdfsig.
    expect((await verifyPdf(signed, { trustAnchors: [env.rootPem] })).signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', level: 'B-T' });
    // Offline, the file holds no revocation data, not even for the TSA (so no proof of existence either).
    const off = (await verifyPdf(signed, { trustAnchors: [env.rootPem], online: false })).signatures[0]!;
    expect(brief(off)).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(off.timestamps[0]).toMatchObject({ type: 'signature', valid: false });
    // Tamper twin.
    const bad = await verifyPdf(tamper(signed, indexOf(signed, 'Hello')), { trustAnchors: [env.rootPem], http: env.http });
    expect(bad.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('B-LT and B-LTA verify offline from the embedded data alone; tamper twins fail', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await env.signer(env.pki.cadres.head), timeStamper: env.tsa });
    const lt = await addValidationData(signed, { trustAnchors: [env.rootPem], http: env.http });
    const rLt = (await verifyPdf(lt, { trustAnchors: [env.rootPem], online: false })).signatures[0]!;
    expect(brief(rLt)).toEqual({ kind: 'approval', indication: 'TOTAL-PASSED', subIndication: null, level: 'B-LT', errors: [] });
    expect(rLt.revocation.map((x) => [x.type, x.source, x.status])).toEqual([['ocsp', 'embedded', 'good'], ['crl', 'embedded', 'good']]);
    const lta = await extendPdf(lt, { level: 'B-LTA', timeStamper: env.tsa, http: env.http, trustAnchors: [env.rootPem] });
    const r = await verifyPdf(lta, { trustAnchors: [env.rootPem], online: false });
    expect(r.signatures.map(brief)).toEqual([
      { kind: 'approval', indication: 'TOTAL-PASSED', subIndication: null, level: 'B-LTA', errors: [] },
      { kind: 'document-timestamp', indication: 'TOTAL-PASSED', subIndication: null, level: null, errors: [] },
    ]);
    expect(r.signatures[0]!.timestamps.map((t) => [t.type, t.valid])).toEqual([['signature', true], ['document', true]]);
    expect(r.signatures[0]!.modificationsAfter).toBe('allowed');
    const bad = await verifyPdf(tamper(lta, indexOf(lta, 'Hello')), { trustAnchors: [env.rootPem], online: false });
    expect(bad.signatures.map((s) => s.subIndication)).toEqual(['HASH_FAILURE', 'HASH_FAILURE']);
    // A changed DSS value (one byte of a stream the document time-stamp covers) breaks the archive time-stamp.
    const dssAt = indexOf(lta, '/Type /DSS');
    expect(dssAt).toBeGreaterThan(0);
    const bad2 = await verifyPdf(tamper(lta, dssAt + 3), { trustAnchors: [env.rootPem], online: false });
    expect(bad2.signatures[1]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('extend twice: the second run adds the VRI of the first document time-stamp and a new archive time-stamp', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await env.signer(env.pki.seal), timeStamper: env.tsa });
    const once = await extendPdf(signed, { level: 'B-LTA', timeStamper: env.tsa, http: env.http, trustAnchors: [env.rootPem] });
    const twice = await extendPdf(once, { level: 'B-LTA', timeStamper: env.tsa, http: env.http, trustAnchors: [env.rootPem] });
    expect(twice.subarray(0, once.length)).toEqual(once);
    const doc = PdfDocument.open(twice);
    const firstTs = listSignatures(doc).find((s) => s.field.name === 'DocTimeStamp1')!;
    expect(readDss(doc)!.vri.has(await vriKey(firstTs.contents!))).toBe(true);
    const r = await verifyPdf(twice, { trustAnchors: [env.rootPem], online: false });
    expect(r.signatures.map(brief)).toEqual([
      { kind: 'approval', indication: 'TOTAL-PASSED', subIndication: null, level: 'B-LTA', errors: [] },
      { kind: 'document-timestamp', indication: 'TOTAL-PASSED', subIndication: null, level: null, errors: [] },
      { kind: 'document-timestamp', indication: 'TOTAL-PASSED', subIndication: null, level: null, errors: [] },
    ]);
    const bad = await verifyPdf(tamper(twice, indexOf(twice, 'Hello')), { trustAnchors: [env.rootPem], online: false });
    expect(bad.signatures.every((s) => s.subIndication === 'HASH_FAILURE')).toBe(true);
  });

  it('a certificate that expired after the time-stamp: TOTAL-PASSED offline at a later time with the embedded data; without a time-stamp OUT_OF_BOUNDS_NO_POE', async () => {
    const shortLived = await env.pki.issue({ name: 'short-lived', subject: { C: 'VN', O: 'UBND tỉnh Bắc Ninh', CN: 'Đỗ Thị Hoa' }, notAfter: new Date(Date.now() + 2 * HOUR) });
    const signer = await env.signer(shortLived);
    const lta = await extendPdf(await signPdf(minimalPdf(), { signer, timeStamper: env.tsa }), { level: 'B-LTA', timeStamper: env.tsa, http: env.http, trustAnchors: [env.rootPem] });
    const later = new Date(Date.now() + 3 * DAY);
    const r = await verifyPdf(lta, { trustAnchors: [env.rootPem], time: later, online: false });
    const s = r.signatures[0]!;
    expect(brief(s)).toEqual({ kind: 'approval', indication: 'TOTAL-PASSED', subIndication: null, level: 'B-LTA', errors: [] });
    expect(s.warnings.join('\n')).toMatch(/expired at .* after the proof of existence/);
    expect(s.pathValidatedAt).toBe(s.proofOfExistence);
    expect(s.revocation.every((x) => x.source === 'embedded')).toBe(true);
    // Twin: the same certificate without a time-stamp has no proof of existence.
    const bb = await signPdf(minimalPdf(), { signer });
    const rb = (await verifyPdf(bb, { trustAnchors: [env.rootPem], time: later, online: false })).signatures[0]!;
    expect(rb).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
  });

  it('revoked before the time-stamp: TOTAL-FAILED / REVOKED (online, and offline from the DSS)', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await env.signer(env.pki.revoked), timeStamper: env.tsa });
    const r = (await verifyPdf(signed, { trustAnchors: [env.rootPem], http: env.http })).signatures[0]!;
    expect(r).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
    expect(r.revocation[0]).toMatchObject({ status: 'revoked', type: 'ocsp', source: expect.stringMatching(/^(fetched|cache)$/) });
    const lt = await addValidationData(signed, { trustAnchors: [env.rootPem], http: env.http });
    const off = (await verifyPdf(lt, { trustAnchors: [env.rootPem], online: false })).signatures[0]!;
    expect(off).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
    expect(off.revocation[0]).toMatchObject({ status: 'revoked', source: 'embedded' });
    // Without a time-stamp there is no proof that it was signed after the revocation.
    const bb = await signPdf(minimalPdf(), { signer: await env.signer(env.pki.revoked) });
    expect((await verifyPdf(bb, { trustAnchors: [env.rootPem], http: env.http })).signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
  });

  it('revoked after the time-stamp: TOTAL-PASSED with a note; without the time-stamp REVOKED_NO_POE', async () => {
    const id = await env.pki.issue({ name: 'revoked-later', subject: { C: 'VN', O: 'UBND tỉnh Bắc Ninh', CN: 'Bùi Văn Khoa' } });
    const signer = await env.signer(id);
    env.clock.set(new Date(Date.now() - 2 * HOUR));
    let signed: Uint8Array;
    let bb: Uint8Array;
    try {
      signed = await signPdf(minimalPdf(), { signer, timeStamper: env.tsa });
      bb = await signPdf(minimalPdf(), { signer });
    } finally {
      env.clock.set(null);
    }
    env.pki.revoke(id, new Date(Date.now() - HOUR), 'keyCompromise');
    const s = (await verifyPdf(signed, { trustAnchors: [env.rootPem], http: env.http })).signatures[0]!;
    expect(brief(s)).toEqual({ kind: 'approval', indication: 'TOTAL-PASSED', subIndication: null, level: 'B-T', errors: [] });
    expect(s.warnings.join('\n')).toMatch(/was revoked at .*after the proof of existence/);
    expect(s.revocation[0]).toMatchObject({ status: 'revoked', type: 'ocsp' });
    expect((await verifyPdf(bb, { trustAnchors: [env.rootPem], http: env.http })).signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
    // Tamper twin.
    expect((await verifyPdf(tamper(signed, indexOf(signed, 'Hello')), { trustAnchors: [env.rootPem], http: env.http })).signatures[0]).toMatchObject({ subIndication: 'HASH_FAILURE' });
  });

  it('no revocation data: INDETERMINATE / TRY_LATER online (responders down) and offline without proof of existence', async () => {
    const other = await startLtvPki('kyso-ltv-down');
    const signer = await other.signer(other.pki.cadres.clerk);
    const bb = await signPdf(minimalPdf(), { signer });
    // The time-stamp comes from `openssl ts -reply` with the fixture TSA, whose certificate names no
    // revocation service: it is trusted offline, so the signature has a proof of existence.
    const bt = await signPdf(minimalPdf(), { signer, timeStamper: opensslTimeStamper() });
    const root = [other.rootPem, fixtureRoot().pem];
    await other.close(); // connections are refused from now on: no hang
    const online = (await verifyPdf(bt, { trustAnchors: root, http: env.http, timeoutMs: 5000 })).signatures[0]!;
    expect(online).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(online.revocation[0]).toMatchObject({ status: 'unknown', type: null, source: null });
    expect(online.timestamps[0]).toMatchObject({ type: 'signature', valid: true });
    expect((await verifyPdf(bb, { trustAnchors: root, online: false })).signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    const off = (await verifyPdf(bt, { trustAnchors: root, online: false })).signatures[0]!;
    expect(off).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOCATION_OUT_OF_BOUNDS_NO_POE', level: 'B-T' });
    expect(off.errors.join('\n')).toMatch(/offline: only the data in the file was used/);
  });
});
