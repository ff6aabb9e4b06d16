import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKysoError, utf8 } from '@kyso/core';
import {
  addSignatureTimestamp,
  buildTimeStampRequest,
  httpTimeStamper,
  parseTimeStampResponse,
  signCades,
  signerFromPem,
  verifyCades,
  verifyTimeStampToken,
  OID,
  type Signer,
} from '@kyso/cms';
import { children, ctx, octets, oid, parseOne, raw, seq } from '../../src/asn1/der.js';
import { makeOpensslPki, openssl, opensslOk, type OpensslPki } from '../helpers/openssl.js';
import { opensslTimeStamper, opensslTsReply, setUpTsa, startTsaServer } from '../helpers/openssl-tsa.js';

const data = utf8('Giấy mời họp số 7/GM-UBND\n');
const sha256 = async (b: Uint8Array) => new Uint8Array(await crypto.subtle.digest('SHA-256', b));

let pki: OpensslPki;
beforeAll(() => {
  pki = makeOpensslPki('p256', { tsa: true });
  setUpTsa(pki);
});
afterAll(() => pki.cleanup());

describe('RFC 3161 requests and tokens with openssl ts', () => {
  it('our TimeStampReq is answered by openssl ts -reply, and the reply passes openssl ts -verify -queryfile', async () => {
    const req = buildTimeStampRequest({ imprint: await sha256(data), nonce: Uint8Array.of(0x00, 0x12, 0x34, 0x56, 0x78) });
    expect(req.nonce).toEqual(Uint8Array.of(0x12, 0x34, 0x56, 0x78));
    writeFileSync(pki.path('mine.tsq'), req.der);
    const text = opensslOk(['ts', '-query', '-in', 'mine.tsq', '-text'], { cwd: pki.dir });
    expect(text).toMatch(/Hash Algorithm: sha256/);
    expect(text).toMatch(/Nonce: 0x12345678/);
    expect(text).toMatch(/Certificate required: yes/);
    writeFileSync(pki.path('mine.tsr'), opensslTsReply(pki, req.der));
    const v = openssl(['ts', '-verify', '-queryfile', 'mine.tsq', '-in', 'mine.tsr', '-CAfile', 'root.pem', '-untrusted', 'inter.pem'], { cwd: pki.dir });
    expect(v.stdout + v.stderr).toMatch(/Verification: OK/);
  });

  it('verifyTimeStampToken on an openssl -token_out token: imprint, nonce, genTime, accuracy, EKU, chain', async () => {
    const req = buildTimeStampRequest({ imprint: await sha256(data) });
    writeFileSync(pki.path('t.tsq'), req.der);
    const before = Date.now();
    opensslOk(['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', 't.tsq', '-inkey', 'tsa.key', '-signer', 'tsa.pem', '-chain', 'chain.pem', '-token_out', '-out', 'bare.tst'], { cwd: pki.dir });
    const token = pki.read('bare.tst');
    const r = await verifyTimeStampToken(token, { data, nonce: req.nonce!, trustAnchors: [pki.der('root.pem')] });
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.messageImprintOk).toBe(true);
    expect(r.nonceOk).toBe(true);
    expect(r.tsaEkuOk).toBe(true);
    expect(r.tsaSubject).toBe('CN=Kyso OpenSSL TSA, O=Kyso OpenSSL Test');
    expect(r.tstInfo?.policy).toBe('1.2.3.4.1');
    expect(r.tstInfo?.accuracyMs).toBeCloseTo(1500.1, 5);
    expect(r.tstInfo?.ordering).toBe(true);
    expect(Math.abs(r.genTime!.getTime() - before)).toBeLessThan(5000);
    expect(r.signature.signingCertificateV2Ok).toBe(true);

    // tamper twins: other data, other nonce, untrusted root
    const other = await verifyTimeStampToken(token, { data: utf8('other'), nonce: req.nonce! });
    expect(other.valid).toBe(false);
    expect(other.messageImprintOk).toBe(false);
    expect(other.subIndication).toBe('HASH_FAILURE');
    const nonce = await verifyTimeStampToken(token, { imprint: await sha256(data), nonce: Uint8Array.of(1, 2, 3) });
    expect(nonce.nonceOk).toBe(false);
    expect(nonce.valid).toBe(false);
  });

  it('a token signed by a certificate without the timeStamping EKU is not valid', async () => {
    // openssl ts refuses such a signer, so re-sign a real TSTInfo with the ordinary signer key and
    // encapsulate it, as a forger with any document-signing certificate could.
    const imprint = await sha256(data);
    const real = await verifyTimeStampToken(parseTimeStampResponse(opensslTsReply(pki, buildTimeStampRequest({ imprint }).der)), { imprint });
    const tstInfo = real.signature.encapsulatedContent!;
    const signer = await signerFromPem(pki.text('signer.key'), pki.text('signer.pem'), pki.text('inter.pem'));
    const detached = await signCades({ signer, content: tstInfo, contentType: OID.tstInfo });
    const ci = parseOne(detached);
    const sd = children(children(ci)[1]!)[0]!;
    const fields = children(sd).map(raw);
    fields[2] = seq(oid(OID.tstInfo), ctx(0, octets(tstInfo)));
    const forged = seq(oid(OID.signedData), ctx(0, seq(...fields)));
    const r = await verifyTimeStampToken(forged, { imprint, trustAnchors: [pki.der('root.pem')] });
    expect(r.signature.intact).toBe(true); // the CMS signature itself is fine
    expect(r.messageImprintOk).toBe(true);
    expect(r.tsaEkuOk).toBe(false);
    expect(r.valid).toBe(false);
    expect(r.indication).not.toBe('TOTAL-PASSED');
    expect(r.errors.join('\n')).toMatch(/id-kp-timeStamping/);
    // control: a plain detached CAdES signature is not a token at all
    await expect(verifyTimeStampToken(detached, { data })).rejects.toThrow(/not a time-stamp token/);
  });

  it('a rejection from the TSA becomes TSP_REJECTED with its reason', () => {
    // ask for a policy the TSA config does not offer
    const req = buildTimeStampRequest({ imprint: new Uint8Array(64), hashAlgorithm: 'SHA-512', policy: '1.9.9.9' });
    const resp = opensslTsReply(pki, req.der);
    let err: unknown;
    try {
      parseTimeStampResponse(resp);
    } catch (e) {
      err = e;
    }
    expect(isKysoError(err, 'TSP_REJECTED')).toBe(true);
    expect(String((err as Error).message)).toMatch(/unacceptedPolicy|policy/i);
  });
});

describe('httpTimeStamper against an openssl-backed TSA on 127.0.0.1', () => {
  it('POSTs application/timestamp-query and returns a token for the imprint', async () => {
    const server = await startTsaServer(pki);
    try {
      const tsa = httpTimeStamper({ url: server.url });
      const imprint = await sha256(data);
      const token = await tsa.timestamp(imprint, 'SHA-256');
      expect(server.requests).toHaveLength(1);
      const r = await verifyTimeStampToken(token, { imprint, trustAnchors: [pki.der('root.pem')] });
      expect(r.valid).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a server that answers for another request (replay) or with garbage is refused', async () => {
    const stale = opensslTsReply(pki, buildTimeStampRequest({ imprint: await sha256(utf8('old')) }).der);
    const replay = await startTsaServer(pki, () => ({ status: 200, body: stale }));
    const garbage = await startTsaServer(pki, () => ({ status: 200, body: utf8('<html>oops</html>') }));
    const down = await startTsaServer(pki, () => ({ status: 503, body: new Uint8Array() }));
    try {
      const imprint = await sha256(data);
      const e1 = await httpTimeStamper({ url: replay.url }).timestamp(imprint, 'SHA-256').catch((x: unknown) => x);
      expect(isKysoError(e1, 'TSP_BAD_RESPONSE')).toBe(true);
      const e2 = await httpTimeStamper({ url: garbage.url }).timestamp(imprint, 'SHA-256').catch((x: unknown) => x);
      expect(isKysoError(e2, 'TSP_BAD_RESPONSE')).toBe(true);
      const e3 = await httpTimeStamper({ url: down.url }).timestamp(imprint, 'SHA-256').catch((x: unknown) => x);
      expect(isKysoError(e3, 'TSP_HTTP_ERROR')).toBe(true);
    } finally {
      await Promise.all([replay.close(), garbage.close(), down.close()]);
    }
  });
});

describe('CAdES B-T: addSignatureTimestamp', () => {
  let signer: Signer;
  beforeAll(async () => {
    signer = await signerFromPem(pki.text('signer.key'), pki.text('signer.pem'), pki.text('inter.pem'));
  });

  it('adds a signature-time-stamp over the signature value; openssl still verifies; level B-T', async () => {
    const p7s = await signCades({ signer, content: data });
    const server = await startTsaServer(pki);
    let bt: Uint8Array;
    try {
      bt = await addSignatureTimestamp(p7s, httpTimeStamper({ url: server.url }));
    } finally {
      await server.close();
    }
    writeFileSync(pki.path('bt.p7s'), bt);
    writeFileSync(pki.path('data.bin'), data);
    const v = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'bt.p7s', '-content', 'data.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: pki.dir });
    expect(v.stderr).toContain('Verification successful');
    expect(openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'bt.p7s'], { cwd: pki.dir }).stdout).toContain('id-smime-aa-timeStampToken');

    const r = await verifyCades(bt, { content: data, trustAnchors: [pki.der('root.pem')] });
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.signatureTimeStamps).toHaveLength(1);
    expect(r.signatureTimeStampChecks[0]!.valid).toBe(true);
    expect(r.level).toBe('B-T');
    expect(r.timestampTime).toBeInstanceOf(Date);

    // openssl agrees the token's imprint is the hash of the signature value
    writeFileSync(pki.path('sigvalue.bin'), r.signatureValue);
    writeFileSync(pki.path('bt.tst'), r.signatureTimeStamps[0]!);
    const tv = openssl(['ts', '-verify', '-data', 'sigvalue.bin', '-in', 'bt.tst', '-token_in', '-CAfile', 'root.pem', '-untrusted', 'inter.pem'], { cwd: pki.dir });
    expect(tv.stdout + tv.stderr).toMatch(/Verification: OK/);

    // a second time-stamp is appended after the first
    const twice = await addSignatureTimestamp(bt, opensslTimeStamper(pki));
    expect((await verifyCades(twice, { content: data })).signatureTimeStamps).toHaveLength(2);
  });

  it('tamper twin: a time-stamp token moved onto another signature does not count', async () => {
    const a = await addSignatureTimestamp(await signCades({ signer, content: data }), opensslTimeStamper(pki));
    const b = await signCades({ signer, content: utf8('another document') });
    const tokenOfA = (await verifyCades(a, { content: data })).signatureTimeStamps[0]!;
    const bWithA = await addSignatureTimestamp(b, { timestamp: async () => tokenOfA });
    const r = await verifyCades(bWithA, { content: utf8('another document'), trustAnchors: [pki.der('root.pem')] });
    expect(r.signatureTimeStampChecks[0]!.valid).toBe(false);
    expect(r.signatureTimeStampChecks[0]!.messageImprintOk).toBe(false);
    expect(r.level).toBe('B-B');
    expect(r.timestampTime).toBeNull();
    expect(r.warnings.join('\n')).toMatch(/time-stamp #1 is not valid/);
  });
});
