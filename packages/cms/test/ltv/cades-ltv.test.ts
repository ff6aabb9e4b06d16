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
});
