import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '@kyso/core';
import { signCades, signerFromPem, verifyCades, type SignatureAlgorithm } from '@kyso/cms';
import { makeOpensslPki, openssl, type KeyType, type OpensslPki } from '../helpers/openssl.js';

const CASES: { name: string; type: KeyType; alg?: SignatureAlgorithm }[] = [
  { name: 'RSA-2048 PKCS#1 v1.5', type: 'rsa2048' },
  { name: 'RSA-3072 PKCS#1 v1.5 SHA-384', type: 'rsa3072', alg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' } },
  { name: 'RSA-2048 PSS', type: 'rsa2048', alg: { name: 'RSA-PSS', hash: 'SHA-256' } },
  { name: 'ECDSA P-256', type: 'p256' },
  { name: 'ECDSA P-384', type: 'p384' },
];

/** `openssl cms -verify` of a detached signature over `content`. */
function opensslVerify(pki: OpensslPki, p7s: Uint8Array, content: Uint8Array): { ok: boolean; stderr: string } {
  writeFileSync(pki.path('sig.p7s'), p7s);
  writeFileSync(pki.path('content.bin'), content);
  const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.p7s', '-content', 'content.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: pki.dir });
  return { ok: r.status === 0, stderr: r.stderr };
}

describe.each(CASES)('signCades with $name verifies in openssl cms', ({ type, alg }) => {
  let pki: OpensslPki;
  beforeAll(() => {
    pki = makeOpensslPki(type);
  });
  afterAll(() => pki.cleanup());

  const content = utf8('Tờ trình số 12/TTr-UBND — kyso CAdES test\n'.repeat(100));

  it('openssl accepts our detached .p7s (chain embedded, CAfile = root only)', async () => {
    const signer = await signerFromPem(pki.text('signer.key'), pki.text('signer.pem'), pki.text('inter.pem'), alg ? { signatureAlgorithm: alg } : {});
    const p7s = await signCades({ signer, content });
    const r = opensslVerify(pki, p7s, content);
    expect(r.stderr).toContain('Verification successful');
    expect(r.ok).toBe(true);
    // openssl's own CAdES check (ESS signing-certificate-v2) accepts it too
    writeFileSync(pki.path('sig.p7s'), p7s);
    const cades = openssl(['cms', '-verify', '-cades', '-binary', '-inform', 'DER', '-in', 'sig.p7s', '-content', 'content.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: pki.dir });
    expect(cades.status).toBe(0);
    // and openssl reads back the attributes we wrote
    const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.p7s'], { cwd: pki.dir }).stdout;
    for (const attr of ['contentType', 'signingTime', 'messageDigest', 'id-smime-aa-signingCertificateV2']) expect(printed).toContain(attr);
    const mine = await verifyCades(p7s, { content, trustAnchors: [pki.der('root.pem')] });
    expect(mine.indication).toBe('TOTAL-PASSED');
    expect(mine.signatureAlgorithm).toMatchObject(signer.signatureAlgorithm);
  });

  it('tamper twin: openssl rejects the same .p7s over one changed byte', async () => {
    const signer = await signerFromPem(pki.text('signer.key'), pki.text('signer.pem'), pki.text('inter.pem'), alg ? { signatureAlgorithm: alg } : {});
    const p7s = await signCades({ signer, content });
    const tampered = content.slice();
    tampered[10]! ^= 1;
    const r = opensslVerify(pki, p7s, tampered);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/digest failure|verification failure/i);
  });
});
