import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchHttpClient, utf8 } from '@kyso/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRevocationSources,
  extendCades,
  httpTimeStamper,
  LTV_OID,
  parseSignedData,
  readEmbeddedValidationData,
  signCades,
  signerFromCryptoKey,
  verifyArchiveTimestamps,
  verifyCades,
  verifyCadesLongTerm,
} from '@kyso/cms';
import { Certificate, validatePath } from '@kyso/trust';
import { createTestPki } from '@kyso/testkit';
import { startPkiServer, type PkiServer } from '@kyso/testkit/node';
import { openssl } from '../helpers/openssl.js';

const content = utf8('Quyết định số 15/QĐ-UBND về việc lưu trữ hồ sơ điện tử dài hạn\n');

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('CAdES B-LT and B-LTA (certificate-values, revocation-values, archive-time-stamp-v3) with the testkit TSA, OCSP and CRLs', () => {
  let server: PkiServer;
  let dir: string;
  beforeAll(async () => {
    server = await startPkiServer({ pki: (baseUrl) => createTestPki({ baseUrl, seed: 'kyso-cades-ltv' }) });
    dir = mkdtempSync(join(tmpdir(), 'kyso-cades-ltv-'));
    writeFileSync(join(dir, 'root.pem'), server.pki.root.certificatePem);
    writeFileSync(join(dir, 'content.bin'), content);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const opensslVerify = (p7s: Uint8Array, data: Uint8Array = content) => {
    writeFileSync(join(dir, 's.p7s'), p7s);
    writeFileSync(join(dir, 'c.bin'), data);
    return openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 's.p7s', '-content', 'c.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
  };

  it('B-LT: a signature time-stamp, then the paths and OCSP/CRL as unsigned attributes; openssl cms still verifies; the data settles the paths offline', async () => {
    const leader = server.pki.cadres.leader;
    const signer = await signerFromCryptoKey(leader.privateKey, leader.certificate, leader.chain.slice(0, -1));
    const p7s = await signCades({ signer, content });
    const tsa = httpTimeStamper({ url: server.tsaUrl });
    const lt = await extendCades(p7s, { level: 'B-LT', timeStamper: tsa, http: fetchHttpClient(), trustAnchors: [server.pki.root.certificate] });
    const si = parseSignedData(lt).signerInfos[0]!;
    expect(si.unsignedAttrs.map((a) => a.type)).toEqual(['1.2.840.113549.1.9.16.2.14', LTV_OID.certificateValues, LTV_OID.revocationValues]);
    const data = readEmbeddedValidationData(lt);
    expect(data.ocspResponses.length).toBeGreaterThanOrEqual(2); // the signer and the TSA
    expect(data.crls.length).toBeGreaterThanOrEqual(1); // the government CA, on the root's CRL
    expect(data.certificates.some((c) => c.length === server.pki.root.certificate.length && c.every((b, i) => b === server.pki.root.certificate[i]))).toBe(true);
    const ok = opensslVerify(lt);
    expect(ok.stderr).toContain('Verification successful');
    expect(opensslVerify(lt, utf8('tampered')).status).not.toBe(0); // tamper twin
    const v = await verifyCades(lt, { content });
    expect(v).toMatchObject({ intact: true, level: 'B-T' });
    // Offline, the embedded values alone give every certificate of the path a status.
    const sources = await createRevocationSources({ crls: data.crls, ocspResponses: data.ocspResponses, online: false });
    const path = await validatePath({
      certificates: [Certificate.fromDer(leader.certificate), ...data.certificates.map((c) => Certificate.fromDer(c))],
      trustAnchors: [Certificate.fromDer(server.pki.root.certificate)],
      revocation: sources.checker,
      purpose: 'document-signing',
    });
    expect(path.valid).toBe(true);
    expect(path.revocation.map((s) => s?.status)).toEqual(['good', 'good']);
  });

  it('B-LTA twice: each archive-time-stamp-v3 verifies; tampering with the content or a covered value breaks it', async () => {
    const head = server.pki.cadres.head;
    const signer = await signerFromCryptoKey(head.privateKey, head.certificate, head.chain.slice(0, -1));
    const tsa = httpTimeStamper({ url: server.tsaUrl });
    const opts = { timeStamper: tsa, http: fetchHttpClient(), trustAnchors: [server.pki.root.certificate], content };
    const lta = await extendCades(await signCades({ signer, content }), { ...opts, level: 'B-LTA' });
    const checks = await verifyArchiveTimestamps(lta, { content });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ valid: true, problems: [] });
    expect(opensslVerify(lta).stderr).toContain('Verification successful');

    const again = await extendCades(lta, { ...opts, level: 'B-LTA' });
    const both = await verifyArchiveTimestamps(again, { content });
    expect(both.map((c) => c.valid)).toEqual([true, true]);
    expect(both[1]!.genTime!.getTime()).toBeGreaterThanOrEqual(both[0]!.genTime!.getTime());
    expect(opensslVerify(again).stderr).toContain('Verification successful');

    // Tamper twins: other content; a changed byte in the root certificate inside certificate-values.
    expect((await verifyArchiveTimestamps(again, { content: utf8('other') })).map((c) => c.valid)).toEqual([false, false]);
    const at = indexOfBytes(again, server.pki.root.certificate);
    expect(at).toBeGreaterThan(0);
    const bad = again.slice();
    bad[at + server.pki.root.certificate.length - 1] ^= 0x01;
    const badChecks = await verifyArchiveTimestamps(bad, { content });
    expect(badChecks.map((c) => c.valid)).toEqual([false, false]);
    expect(badChecks[0]!.problems.join()).toMatch(/unsigned attribute value .* removed or changed/);
  });

  it('B-LTA needs the content and a TSA', async () => {
    const signer = await signerFromCryptoKey(server.pki.seal.privateKey, server.pki.seal.certificate, server.pki.seal.chain.slice(0, -1));
    const p7s = await signCades({ signer, content });
    await expect(extendCades(p7s, { level: 'B-LTA', timeStamper: httpTimeStamper({ url: server.tsaUrl }) })).rejects.toMatchObject({ code: 'CMS_BAD_OPTIONS' });
  });

  it('verifyCadesLongTerm: B-LT and B-LTA offline from the values the signature carries; tamper twin; no data → TRY_LATER', async () => {
    const drafter = server.pki.cadres.drafter;
    const signer = await signerFromCryptoKey(drafter.privateKey, drafter.certificate, drafter.chain.slice(0, -1));
    const tsa = httpTimeStamper({ url: server.tsaUrl });
    const anchors = [server.pki.root.certificatePem];
    const p7s = await signCades({ signer, content });
    const net = { http: fetchHttpClient(), trustAnchors: [server.pki.root.certificate] };
    const lt = await extendCades(p7s, { ...net, level: 'B-LT', timeStamper: tsa });
    const rLt = await verifyCadesLongTerm(lt, { content, trustAnchors: anchors, online: false });
    expect(rLt).toMatchObject({ indication: 'TOTAL-PASSED', subIndication: null, level: 'B-LT', errors: [] });
    expect(rLt.revocation.map((x) => [x.type, x.source, x.status])).toEqual([['ocsp', 'embedded', 'good'], ['crl', 'embedded', 'good']]);
    expect(rLt.chain).toHaveLength(3);
    const lta = await extendCades(lt, { ...net, level: 'B-LTA', timeStamper: tsa, content });
    const r = await verifyCadesLongTerm(lta, { content, trustAnchors: anchors, online: false });
    expect(r).toMatchObject({ indication: 'TOTAL-PASSED', level: 'B-LTA' });
    expect(r.timestamps.map((t) => [t.type, t.valid])).toEqual([['signature', true], ['archive', true]]);
    expect((await verifyCadesLongTerm(lta, { content: utf8('khác'), trustAnchors: anchors, online: false })).indication).toBe('TOTAL-FAILED');
    // Without the values and offline: nothing proves the status, not even the TSA's (so the level
    // counts no time-stamp: only time-stamps that validate count).
    const bt = await extendCades(p7s, { level: 'B-LT', timeStamper: tsa, online: false, trustAnchors: [server.pki.root.certificate] });
    expect(await verifyCadesLongTerm(bt, { content, trustAnchors: anchors, online: false })).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER', level: 'B-B' });
    // Online, the same signature fetches what it lacks.
    expect(await verifyCadesLongTerm(bt, { content, trustAnchors: anchors, http: fetchHttpClient() })).toMatchObject({ indication: 'TOTAL-PASSED', level: 'B-T' });
  });

  it('verifyCadesLongTerm: revoked before the time-stamp fails REVOKED; expired after it passes offline at a later time', async () => {
    const tsa = httpTimeStamper({ url: server.tsaUrl });
    const anchors = [server.pki.root.certificatePem];
    const revoked = server.pki.revoked;
    const rs = await signerFromCryptoKey(revoked.privateKey, revoked.certificate, revoked.chain.slice(0, -1));
    const rp = await extendCades(await signCades({ signer: rs, content }), { level: 'B-LT', timeStamper: tsa, http: fetchHttpClient(), trustAnchors: [server.pki.root.certificate] });
    expect(await verifyCadesLongTerm(rp, { content, trustAnchors: anchors, online: false })).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });

    const short = await server.pki.issue({ name: 'cades-short', subject: { C: 'VN', O: 'UBND tỉnh Bắc Ninh', CN: 'Lý Thị Mai' }, notAfter: new Date(Date.now() + 3600_000) });
    const ss = await signerFromCryptoKey(short.privateKey, short.certificate, short.chain.slice(0, -1));
    const sp = await signCades({ signer: ss, content });
    const lta = await extendCades(sp, { level: 'B-LTA', timeStamper: tsa, content, http: fetchHttpClient(), trustAnchors: [server.pki.root.certificate] });
    const later = new Date(Date.now() + 3 * 86400_000);
    const r = await verifyCadesLongTerm(lta, { content, trustAnchors: anchors, online: false, time: later });
    expect(r).toMatchObject({ indication: 'TOTAL-PASSED', level: 'B-LTA' });
    expect(r.warnings.join('\n')).toMatch(/expired at .* after the proof of existence/);
    // Twin: no time-stamp, no proof of existence.
    expect(await verifyCadesLongTerm(sp, { content, trustAnchors: anchors, online: false, time: later })).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });
  });
});
