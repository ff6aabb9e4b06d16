import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Certificate,
  Crl,
  CrlRevocationChecker,
  OcspRequest,
  OcspResponse,
  OcspRevocationChecker,
  TrustError,
  firstConclusive,
  validatePath,
  verifyOcspResponse,
} from '@kyso/trust';
import { openssl } from './helpers/openssl.js';
import { type TestPki, makePki } from './helpers/pki.js';

let pki: TestPki;
let root: Certificate;
let sub: Certificate;
let good: Certificate;
let revoked: Certificate;
let notInIndex: Certificate;
let rootCrl: Crl;
let subCrl: Crl;
const c = (f: string) => Certificate.fromPem(pki.read(f));

/** Runs OpenSSL's OCSP responder logic on a request we built (`-reqin`/`-respout`, no server). */
function respond(req: OcspRequest, signer: string, key: string, extra: string[] = []): Uint8Array {
  const name = `req-${Math.random().toString(36).slice(2)}`;
  pki.write(`${name}.der`, req.der);
  openssl(pki.dir, ['ocsp', '-index', 'sub/index.txt', '-CA', 'sub.pem', '-rsigner', signer, '-rkey', key, '-reqin', `${name}.der`,
    '-respout', `${name}.resp`, '-ndays', '1', ...extra]);
  return pki.read(`${name}.resp`);
}

beforeAll(() => {
  pki = makePki();
  root = c('root.pem');
  sub = c('sub.pem');
  good = c(pki.issue('sub', 'good', '/C=VN/CN=Người ký tốt', 'v3_leaf'));
  revoked = c(pki.issue('sub', 'revoked', '/C=VN/CN=Revoked', 'v3_leaf'));
  pki.issue('sub', 'ocsp', '/C=VN/CN=Kyso OCSP (nocheck)', 'v3_ocsp');
  pki.issue('sub', 'ocsp-plain', '/C=VN/CN=Kyso OCSP', 'v3_ocsp_plain');
  pki.issue('sub', 'server', '/C=VN/CN=server', 'v3_server');
  pki.issue('root', 'root-ocsp', '/C=VN/CN=Root OCSP', 'v3_ocsp');
  pki.revoke('sub', 'revoked.pem', 'keyCompromise');
  // Issued by the sub CA outside `openssl ca`, so it is not in index.txt.
  openssl(pki.dir, ['x509', '-req', '-in', 'good.csr', '-CA', 'sub.pem', '-CAkey', 'sub.key', '-set_serial', '0x7777', '-days', '30', '-out', 'stray.pem']);
  notInIndex = c('stray.pem');
  rootCrl = Crl.fromDer(pki.read(pki.crl('root', 'root-crl')));
  subCrl = Crl.fromDer(pki.read(pki.crl('sub', 'sub-crl')));
});
afterAll(() => pki.cleanup());

describe('OcspRequest', () => {
  it('builds a request OpenSSL reads, with the CertID and nonce', async () => {
    const nonce = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const req = await OcspRequest.build(good, sub, { nonce });
    pki.write('r.der', req.der);
    const text = openssl(pki.dir, ['ocsp', '-reqin', 'r.der', '-req_text']).toString();
    expect(text).toMatch(new RegExp(`Serial Number: ${good.serialNumberHex.toUpperCase()}`));
    expect(text).toMatch(/Hash Algorithm: sha1/);
    expect(text).toMatch(/OCSP Nonce:\s*\n\s*0410?0102030405060708090A0B0C0D0E0F10/);
    expect(req.nonce).toEqual(nonce);
    const random = await OcspRequest.build(good, sub);
    expect(random.nonce).toHaveLength(32);
    expect((await OcspRequest.build(good, sub, { nonce: false })).nonce).toBeUndefined();
    await expect(OcspRequest.build(good, sub, { nonce: new Uint8Array(0) })).rejects.toThrow(TrustError);
  });
});

describe('verifyOcspResponse against openssl ocsp', () => {
  it('good, from a delegated responder with ocsp-nocheck, nonce echoed', async () => {
    const req = await OcspRequest.build(good, sub);
    const der = respond(req, 'ocsp.pem', 'ocsp.key');
    const v = await verifyOcspResponse(der, { certificate: good, issuer: sub, nonce: req.nonce! });
    expect(v.failures).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.certStatus).toBe('good');
    expect(v.responderKind).toBe('delegated');
    expect(v.responderNoCheck).toBe(true);
    expect(v.responder?.subject.commonName).toBe('Kyso OCSP (nocheck)');
    expect(v.nextUpdate!.getTime() - v.thisUpdate!.getTime()).toBe(86400_000);
    expect(Object.isFrozen(v)).toBe(true);
    const parsed = OcspResponse.fromDer(der);
    expect(parsed.responderId).toMatchObject({ type: 'byName' });
    expect(await parsed.verifySignedBy(v.responder!)).toEqual({ valid: true });
    expect((await parsed.verifySignedBy(sub)).valid).toBe(false);
    expect(parsed.certificates).toHaveLength(1);
  });

  it('revoked with time and reason; unknown for a certificate the responder does not know', async () => {
    const req = await OcspRequest.build(revoked, sub);
    const v = await verifyOcspResponse(respond(req, 'ocsp.pem', 'ocsp.key'), { certificate: revoked, issuer: sub, nonce: req.nonce! });
    expect(v.valid).toBe(true);
    expect(v.certStatus).toBe('revoked');
    expect(v.revocationReason).toBe('keyCompromise');
    expect(Math.abs(v.revocationTime!.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    const req2 = await OcspRequest.build(notInIndex, sub, { hash: 'SHA-256' });
    const v2 = await verifyOcspResponse(respond(req2, 'ocsp.pem', 'ocsp.key'), { certificate: notInIndex, issuer: sub });
    expect(v2.valid).toBe(true);
    expect(v2.certStatus).toBe('unknown');
  });

  it('accepts the CA itself as responder, identified by key hash', async () => {
    const req = await OcspRequest.build(good, sub);
    const der = respond(req, 'sub.pem', 'sub.key', ['-resp_key_id', '-resp_no_certs']);
    expect(OcspResponse.fromDer(der).responderId?.type).toBe('byKey');
    const v = await verifyOcspResponse(der, { certificate: good, issuer: sub, nonce: req.nonce! });
    expect(v.failures).toEqual([]);
    expect(v.responderKind).toBe('issuer');
  });

  it('refuses responders the CA did not authorise', async () => {
    const req = await OcspRequest.build(good, sub);
    const server = await verifyOcspResponse(respond(req, 'server.pem', 'server.key'), { certificate: good, issuer: sub });
    expect(server.valid).toBe(false);
    expect(server.failures.map((f) => f.code)).toEqual(['OCSP_RESPONDER_NOT_AUTHORIZED']);
    expect(server.failures[0]!.message).toMatch(/OCSPSigning/);
    const other = await verifyOcspResponse(respond(req, 'root-ocsp.pem', 'root-ocsp.key'), { certificate: good, issuer: sub });
    expect(other.failures.map((f) => f.code)).toEqual(['OCSP_RESPONDER_NOT_AUTHORIZED']);
    // ...unless configured as trusted.
    const trusted = await verifyOcspResponse(respond(req, 'root-ocsp.pem', 'root-ocsp.key'), { certificate: good, issuer: sub, trustedResponders: [c('root-ocsp.pem')] });
    expect(trusted.responderKind).toBe('trusted');
    expect(trusted.valid).toBe(true);
    // Without its certificate in the response, the responder cannot be found.
    const missing = await verifyOcspResponse(respond(req, 'ocsp.pem', 'ocsp.key', ['-resp_no_certs']), { certificate: good, issuer: sub });
    expect(missing.failures.map((f) => f.code)).toEqual(['OCSP_RESPONDER_NOT_FOUND']);
  });

  it('detects a tampered response (tamper twin) and a response for another certificate', async () => {
    const req = await OcspRequest.build(good, sub);
    const der = respond(req, 'ocsp.pem', 'ocsp.key');
    const parsed = OcspResponse.fromDer(der);
    // Change the status of the certificate inside tbsResponseData: good [0] → unknown [2].
    const tbs = parsed.tbsResponseDataDer!;
    const tbsAt = der.findIndex((_, i) => tbs.every((b, j) => der[i + j] === b));
    const statusAt = tbsAt + tbs.findIndex((b, i) => b === 0x80 && tbs[i + 1] === 0x00 && tbs[i + 2] === 0x18);
    const tampered = der.slice();
    tampered[statusAt] = 0x82;
    const v = await verifyOcspResponse(tampered, { certificate: good, issuer: sub });
    expect(v.certStatus).toBe('unknown');
    expect(v.failures.map((f) => f.code)).toEqual(['OCSP_SIGNATURE_INVALID']);
    const other = await verifyOcspResponse(der, { certificate: revoked, issuer: sub });
    expect(other.failures.map((f) => f.code)).toEqual(['OCSP_CERT_ID_MISMATCH']);
  });

  it('checks the nonce', async () => {
    const req = await OcspRequest.build(good, sub);
    const der = respond(req, 'ocsp.pem', 'ocsp.key');
    const wrong = await verifyOcspResponse(der, { certificate: good, issuer: sub, nonce: new Uint8Array(32) });
    expect(wrong.failures.map((f) => f.code)).toEqual(['OCSP_NONCE_MISMATCH']);
    const noNonce = await OcspRequest.build(good, sub, { nonce: false });
    const der2 = respond(noNonce, 'ocsp.pem', 'ocsp.key');
    expect(OcspResponse.fromDer(der2).nonce).toBeUndefined();
    const missing = await verifyOcspResponse(der2, { certificate: good, issuer: sub, nonce: req.nonce! });
    expect(missing.failures.map((f) => f.code)).toEqual(['OCSP_NONCE_MISSING']);
  });

  it('checks thisUpdate/nextUpdate against the time, with a tolerance', async () => {
    const req = await OcspRequest.build(good, sub);
    const der = respond(req, 'ocsp.pem', 'ocsp.key');
    const at = (ms: number, extra = {}) => verifyOcspResponse(der, { certificate: good, issuer: sub, time: new Date(Date.now() + ms), ...extra });
    expect((await at(2 * 86400_000)).failures.map((f) => f.code)).toEqual(['OCSP_EXPIRED']);
    expect((await at(-3600_000)).failures.map((f) => f.code)).toEqual(['OCSP_NOT_YET_VALID']);
    expect((await at(-60_000)).valid).toBe(true); // within the 5-minute tolerance
    expect((await at(-60_000, { toleranceMs: 0 })).failures.map((f) => f.code)).toEqual(['OCSP_NOT_YET_VALID']);
    expect((await at(-3600_000, { acceptLaterResponses: true })).valid).toBe(true);
  });

  it('reports a responder error status and throws on garbage', async () => {
    // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED tryLater(3) }
    const v = await verifyOcspResponse(Uint8Array.of(0x30, 0x03, 0x0a, 0x01, 0x03), { certificate: good, issuer: sub });
    expect(v.failures).toEqual([{ code: 'OCSP_NOT_SUCCESSFUL', message: 'the responder answered "tryLater"' }]);
    await expect(verifyOcspResponse(Uint8Array.of(1, 2, 3), { certificate: good, issuer: sub })).rejects.toMatchObject({ code: 'OCSP_MALFORMED' });
  });
});

describe('OcspRevocationChecker in validatePath', () => {
  it('uses OCSP for the end entity and CRLs for the CA, and validates a delegated responder without nocheck', async () => {
    const goodResp = respond(await OcspRequest.build(good, sub), 'ocsp-plain.pem', 'ocsp-plain.key');
    const revokedResp = respond(await OcspRequest.build(revoked, sub), 'ocsp.pem', 'ocsp.key');
    const revocation = firstConclusive(
      new OcspRevocationChecker({ responses: [goodResp, revokedResp] }),
      new CrlRevocationChecker({ crls: [rootCrl, subCrl] }),
    );
    const now = new Date(Date.now() + 60_000);
    const ok = await validatePath({ certificates: [good, sub], trustAnchors: [root], time: now, revocation, purpose: 'document-signing' });
    expect(ok.failures).toEqual([]);
    expect(ok.revocation.map((s) => s?.source)).toEqual(['ocsp', 'crl']);
    const bad = await validatePath({ certificates: [revoked, sub], trustAnchors: [root], time: now, revocation });
    expect(bad.failures.map((f) => f.code)).toEqual(['REVOKED']);
    expect(bad.revocation[0]).toMatchObject({ status: 'revoked', source: 'ocsp', reason: 'keyCompromise' });
  });

  it('asks the fetcher when no response is at hand, and says unknown when nothing answers', async () => {
    let calls = 0;
    const revocation = new OcspRevocationChecker({
      fetch: async (cert, issuer) => {
        calls++;
        return cert.equals(good) ? respond(await OcspRequest.build(cert, issuer), 'ocsp.pem', 'ocsp.key') : null;
      },
    });
    const now = new Date(Date.now() + 60_000);
    const r = await validatePath({ certificates: [good, sub], trustAnchors: [root], time: now, revocation, revocationMode: 'soft-fail' });
    expect(r.valid).toBe(true);
    expect(r.revocation.map((s) => s?.status)).toEqual(['good', 'unknown']);
    expect(calls).toBe(2);
  });

  it('says each reason once when no checker knows', async () => {
    const revocation = firstConclusive(
      new OcspRevocationChecker({ responses: [] }),
      new CrlRevocationChecker({ crls: [] }),
      new OcspRevocationChecker({ fetch: async () => null }),
      new CrlRevocationChecker({ crls: [], fetchCrls: async () => [] }),
    );
    const r = await validatePath({ certificates: [good, sub], trustAnchors: [root], time: new Date(Date.now() + 60_000), revocation, revocationMode: 'soft-fail' });
    expect(r.revocation[0]).toMatchObject({ status: 'unknown', message: `no OCSP response for this certificate; no CRL of "${good.issuer}" was available` });
  });
});
