import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePem, isKysoError, utf8 } from '@kyso/core';
import { signCades, signerFromCryptoKey, signerFromPkcs12, verifyCades, type Signer } from '@kyso/cms';
import { createTestPki, KEY_SPECS, toPkcs12, type TestPki } from '@kyso/testkit';
import { openssl } from '../helpers/openssl.js';

const content = utf8('Công văn số 123/UBND-VP về việc triển khai chữ ký số\n');

describe.each(KEY_SPECS)('CAdES with a testkit PKI (%s), Vietnamese names, checked by openssl', (keySpec) => {
  let pki: TestPki;
  let dir: string;
  beforeAll(async () => {
    pki = await createTestPki({ seed: `cms-${keySpec}`, now: new Date('2026-12-01T00:00:00Z'), keySpec });
    dir = mkdtempSync(join(tmpdir(), 'kyso-cms-tk-'));
    writeFileSync(join(dir, 'root.pem'), encodePem(pki.root.certificate, 'CERTIFICATE'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const verify = (p7s: Uint8Array, data: Uint8Array) => {
    writeFileSync(join(dir, 's.p7s'), p7s);
    writeFileSync(join(dir, 'c.bin'), data);
    // -attime: the PKI is made for 2026-12-01.
    return openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 's.p7s', '-content', 'c.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-attime', String(Date.parse('2026-12-02T00:00:00Z') / 1000), '-out', '/dev/null'], { cwd: dir });
  };
  const check = async (signer: Signer) => {
    const p7s = await signCades({ signer, content, signingTime: new Date('2026-12-01T08:00:00Z'), commitmentType: 'proofOfApproval' });
    const ok = verify(p7s, content);
    expect(ok.stderr).toContain('Verification successful');
    expect(ok.status).toBe(0);
    const bad = content.slice();
    bad[bad.length - 1] = 0x21;
    expect(verify(p7s, bad).status).not.toBe(0); // tamper twin
  };

  it('CryptoKey signer (non-extractable testkit key)', async () => {
    const leader = pki.cadres.leader;
    const signer = await signerFromCryptoKey(leader.privateKey, leader.certificate, leader.chain);
    await check(signer);
    const p7s = await signCades({ signer, content, signingTime: new Date('2026-12-01T08:00:00Z') });
    const r = await verifyCades(p7s, { content, trustAnchors: [pki.root.certificate], time: pki.now });
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.signerSubject).toBe(leader.subjectText);
    expect(r.signerSubject).toContain('Nguyễn Văn An');
  });

  it('PKCS#12 from the testkit, modern and legacy', async () => {
    for (const legacy of [false, true]) {
      await check(await signerFromPkcs12(await toPkcs12(pki.seal, 'Mật khẩu', { legacy }), 'Mật khẩu'));
    }
  });

  it('PKCS#12 whose key belongs to another certificate: KEY_CERT_MISMATCH', async () => {
    const swapped = { ...pki.cadres.leader, privateKeyPkcs8: pki.seal.privateKeyPkcs8 };
    const e = await signerFromPkcs12(await toPkcs12(swapped, 'x'), 'x').catch((x: unknown) => x);
    expect(isKysoError(e, 'KEY_CERT_MISMATCH')).toBe(true);
  });
});
