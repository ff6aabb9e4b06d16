import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, fromHex, isKysoError, utf8 } from '@kyso/core';
import { signCades, verifyCades, type SignatureAlgorithm } from '@kyso/cms';
import { loadFixture } from '@kyso/test-fixtures';
import { openPkcs11Signer, Pkcs11Error, type Pkcs11Signer, type Pkcs11SignerOptions } from '../src/index.js';
import { loadBinding, translate } from '../src/binding.js';
import { makeTestToken, opensslCmsVerify, PIN, SOFTHSM_MODULE, TOKEN, type TestToken } from './helpers/softhsm.js';

const KEYS = [
  { fixture: 'leader', label: 'leader', id: '01' },
  { fixture: 'leader-p256', label: 'leader-p256', id: '02' },
  { fixture: 'leader-p384', label: 'leader-p384', id: '03' },
  { fixture: 'leader-rsa-pss', label: 'leader-rsa-pss', id: '04' },
  // No certificate on the token for this one: the caller must pass it.
  { fixture: 'leader-rsa3072', label: 'leader-rsa3072', id: '05', withCertificate: false },
];

let token: TestToken;
beforeAll(async () => {
  // The intermediate CA sits on the token without a key, as on Vietnamese CA-issued tokens; the
  // signer must embed it so that openssl, trusting only the root, builds the chain.
  token = await makeTestToken(KEYS, [{ fixture: 'government-ca', label: 'CA Test' }]);
});
afterAll(() => token?.cleanup());

const base = (over: Partial<Pkcs11SignerOptions> = {}): Pkcs11SignerOptions => ({ module: SOFTHSM_MODULE, tokenLabel: TOKEN, pin: PIN, ...over });

async function withSigner<T>(opts: Pkcs11SignerOptions, fn: (s: Pkcs11Signer) => Promise<T>): Promise<T> {
  const s = await openPkcs11Signer(opts);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

async function expectCode(p: Promise<unknown>, code: string): Promise<Pkcs11Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, `expected ${code}`).toBeInstanceOf(Pkcs11Error);
  expect((e as Pkcs11Error).code).toBe(code);
  return e as Pkcs11Error;
}

const content = utf8('Quyết định số 45/QĐ-UBND — ký bằng token PKCS#11\n'.repeat(50));

const CASES: { name: string; opts: Partial<Pkcs11SignerOptions>; mechanism: string; alg: SignatureAlgorithm; cert: string }[] = [
  { name: 'RSA PKCS#1 v1.5, token hashes', opts: { keyLabel: 'leader' }, mechanism: 'CKM_SHA256_RSA_PKCS', alg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, cert: 'leader' },
  { name: 'RSA PKCS#1 v1.5, kyso hashes (DigestInfo)', opts: { keyLabel: 'leader', hashOnToken: false }, mechanism: 'CKM_RSA_PKCS', alg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, cert: 'leader' },
  { name: 'RSA PKCS#1 v1.5 SHA-512 by key id', opts: { keyId: fromHex('01'), signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' } }, mechanism: 'CKM_SHA512_RSA_PKCS', alg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, cert: 'leader' },
  // The leader-rsa-pss fixture has an rsaEncryption key meant for PSS signatures: the algorithm is named.
  { name: 'RSA-PSS, token hashes', opts: { keyLabel: 'leader-rsa-pss', signatureAlgorithm: { name: 'RSA-PSS', hash: 'SHA-256' } }, mechanism: 'CKM_SHA256_RSA_PKCS_PSS', alg: { name: 'RSA-PSS', hash: 'SHA-256' }, cert: 'leader-rsa-pss' },
  { name: 'RSA-PSS, kyso hashes', opts: { keyLabel: 'leader-rsa-pss', hashOnToken: false, signatureAlgorithm: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 } }, mechanism: 'CKM_RSA_PKCS_PSS', alg: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }, cert: 'leader-rsa-pss' },
  { name: 'RSA-PSS SHA-384 with an rsaEncryption key', opts: { keyLabel: 'leader', signatureAlgorithm: { name: 'RSA-PSS', hash: 'SHA-384' } }, mechanism: 'CKM_SHA384_RSA_PKCS_PSS', alg: { name: 'RSA-PSS', hash: 'SHA-384' }, cert: 'leader' },
  { name: 'ECDSA P-256 (CKM_ECDSA over the digest)', opts: { keyLabel: 'leader-p256' }, mechanism: 'CKM_ECDSA', alg: { name: 'ECDSA', hash: 'SHA-256' }, cert: 'leader-p256' },
  { name: 'ECDSA P-384 SHA-384', opts: { keyId: fromHex('03'), signatureAlgorithm: { name: 'ECDSA', hash: 'SHA-384' } }, mechanism: 'CKM_ECDSA', alg: { name: 'ECDSA', hash: 'SHA-384' }, cert: 'leader-p384' },
];

describe.each(CASES)('openPkcs11Signer + signCades: $name', ({ opts, mechanism, alg, cert }) => {
  it('signs on the token; openssl cms -verify (CAfile = root only) and verifyCades accept it', async () => {
    await withSigner(base(opts), async (signer) => {
      expect(signer.mechanism).toBe(mechanism);
      expect(signer.signatureAlgorithm).toMatchObject(alg);
      expect(bytesEqual(signer.certificate, loadFixture('pki', `${cert}.cer`))).toBe(true);
      // The intermediate came from the token.
      expect(signer.chain.some((c) => bytesEqual(c, loadFixture('pki', 'government-ca.cer')))).toBe(true);
      expect(signer.token).toMatchObject({ label: TOKEN, initialized: true });
      const p7s = await signCades({ signer, content });
      const r = opensslCmsVerify(token.dir, p7s, content);
      expect(r.stderr).toContain('Verification successful');
      expect(r.ok).toBe(true);
      const mine = await verifyCades(p7s, { content, trustAnchors: [loadFixture('pki', 'root.cer')] });
      expect(mine.indication).toBe('TOTAL-PASSED');
      expect(mine.signerSubject).toContain('Nguyễn Văn An');
    });
  });

  it('tamper twin: the same signature over one changed byte fails in openssl and verifyCades', async () => {
    await withSigner(base(opts), async (signer) => {
      const p7s = await signCades({ signer, content });
      const tampered = content.slice();
      tampered[7]! ^= 1;
      const r = opensslCmsVerify(token.dir, p7s, tampered);
      expect(r.ok).toBe(false);
      expect(r.stderr).toMatch(/digest failure|verification failure/i);
      const mine = await verifyCades(p7s, { content: tampered, trustAnchors: [loadFixture('pki', 'root.cer')] });
      expect(mine.indication).toBe('TOTAL-FAILED');
    });
  });
});

describe('openPkcs11Signer: finding the key and certificate', () => {
  it('takes the certificate from the caller when the token has none (CKA_ID 05)', async () => {
    const e = await expectCode(openPkcs11Signer(base({ keyLabel: 'leader-rsa3072' })), 'PKCS11_CERT_NOT_FOUND');
    expect(e.message).toContain('--write-object');
    expect(e.message).toContain('--id 05');
    await withSigner(base({ keyLabel: 'leader-rsa3072', certificate: loadFixture('pki', 'leader-rsa3072.cer') }), async (signer) => {
      const p7s = await signCades({ signer, content });
      expect(opensslCmsVerify(token.dir, p7s, content).ok).toBe(true);
      const tampered = content.slice();
      tampered[0]! ^= 0x20;
      expect(opensslCmsVerify(token.dir, p7s, tampered).ok).toBe(false);
    });
  });

  it('refuses a certificate that does not belong to the key (PKCS11_KEY_CERT_MISMATCH)', async () => {
    await expectCode(openPkcs11Signer(base({ keyLabel: 'leader-rsa3072', certificate: loadFixture('pki', 'leader.cer') })), 'PKCS11_KEY_CERT_MISMATCH');
    await expectCode(openPkcs11Signer(base({ keyLabel: 'leader-p256', certificate: loadFixture('pki', 'leader.cer') })), 'PKCS11_KEY_CERT_MISMATCH');
  });

  it('asks which key when the token holds several and none is named (PKCS11_KEY_AMBIGUOUS)', async () => {
    const e = await expectCode(openPkcs11Signer(base()), 'PKCS11_KEY_AMBIGUOUS');
    expect(e.message).toContain('"leader" (id 01)');
  });

  it('an unknown key label or id is PKCS11_KEY_NOT_FOUND, listing the keys there are', async () => {
    const e = await expectCode(openPkcs11Signer(base({ keyLabel: 'chu-tich' })), 'PKCS11_KEY_NOT_FOUND');
    expect(e.message).toContain('"leader-p256" (id 02)');
    await expectCode(openPkcs11Signer(base({ keyId: fromHex('99') })), 'PKCS11_KEY_NOT_FOUND');
    // Label and id must both match.
    await expectCode(openPkcs11Signer(base({ keyLabel: 'leader', keyId: fromHex('02') })), 'PKCS11_KEY_NOT_FOUND');
  });

  it('a key type and algorithm that do not fit is refused before the token is asked', async () => {
    await expectCode(openPkcs11Signer(base({ keyLabel: 'leader-p256', signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } })), 'PKCS11_MECHANISM_UNSUPPORTED');
  });
});

describe('openPkcs11Signer: token, PIN and module errors', () => {
  it('a wrong PIN is PKCS11_PIN_INCORRECT (CKR_PIN_INCORRECT), and the right one still works afterwards', async () => {
    const e = await expectCode(openPkcs11Signer(base({ keyLabel: 'leader', pin: '0000' })), 'PKCS11_PIN_INCORRECT');
    expect(e.message).toContain('CKR_PIN_INCORRECT');
    expect(e.message).toContain('token "kyso"');
    await withSigner(base({ keyLabel: 'leader' }), async (s) => expect((await s.sign(content)).length).toBe(256));
  });

  it('no PIN for a token without a PIN pad is PKCS11_PIN_REQUIRED', async () => {
    const { pin: _pin, ...noPin } = base({ keyLabel: 'leader' });
    const e = await expectCode(openPkcs11Signer(noPin), 'PKCS11_PIN_REQUIRED');
    expect(e.message).toContain('--pin-env');
  });

  it('an unknown token label is PKCS11_TOKEN_NOT_FOUND, naming the tokens present', async () => {
    const e = await expectCode(openPkcs11Signer(base({ tokenLabel: 'VNPT-CA', keyLabel: 'leader' })), 'PKCS11_TOKEN_NOT_FOUND');
    expect(e.message).toContain('"kyso"');
    await expectCode(openPkcs11Signer(base({ tokenLabel: TOKEN, slot: 424242, keyLabel: 'leader' })), 'PKCS11_TOKEN_NOT_FOUND');
  });

  it('a module path with no file is PKCS11_MODULE_NOT_FOUND; a file that is no PKCS#11 library is PKCS11_MODULE_UNLOADABLE', async () => {
    const e = await expectCode(openPkcs11Signer(base({ module: '/usr/lib/no-such-token/libpkcs11.so' })), 'PKCS11_MODULE_NOT_FOUND');
    expect(e.message).toContain('softhsm2');
    await expectCode(openPkcs11Signer(base({ module: '/etc/hostname' })), 'PKCS11_MODULE_UNLOADABLE');
  });

  it('CKR_PIN_LOCKED and the other PIN return values map to their codes (SoftHSM2 never locks, so the binding error is made here)', async () => {
    const b = await loadBinding();
    const err = (name: string) => new b.Pkcs11Error(`${name}:${(b as unknown as Record<string, number>)[name]}`, (b as unknown as Record<string, number>)[name], 'C_Login');
    expect(translate(b, err('CKR_PIN_LOCKED'), 'C_Login', { tokenLabel: 'VNPT-CA' })).toMatchObject({ code: 'PKCS11_PIN_LOCKED' });
    expect(translate(b, err('CKR_PIN_LOCKED'), 'C_Login').message).toMatch(/locked.*security officer PIN/);
    expect(translate(b, err('CKR_PIN_INCORRECT'), 'C_Login', { tokenFlags: b.CKF_USER_PIN_FINAL_TRY }).message).toContain('one more wrong PIN locks the token');
    expect(translate(b, err('CKR_PIN_LEN_RANGE'), 'C_Login', { minPinLen: 4, maxPinLen: 8 })).toMatchObject({ code: 'PKCS11_PIN_INCORRECT', message: expect.stringContaining('4 to 8') });
    expect(translate(b, err('CKR_DEVICE_REMOVED'), 'C_Sign')).toMatchObject({ code: 'PKCS11_TOKEN_REMOVED' });
    expect(translate(b, err('CKR_GENERAL_ERROR'), 'C_Sign')).toMatchObject({ code: 'PKCS11_FAILED', message: expect.stringContaining('CKR_GENERAL_ERROR') });
    expect(isKysoError(translate(b, new Error('boom'), 'C_Sign'), 'PKCS11_FAILED')).toBe(true);
  });
});

describe('Pkcs11Signer lifecycle', () => {
  it('signs concurrently without mixing operations, and refuses to sign after close()', async () => {
    const signer = await openPkcs11Signer(base({ keyLabel: 'leader-p256' }));
    const docs = Array.from({ length: 6 }, (_, i) => utf8(`văn bản ${i}\n`));
    const sigs = await Promise.all(docs.map((content) => signCades({ signer, content })));
    for (const [i, p7s] of sigs.entries()) expect(opensslCmsVerify(token.dir, p7s, docs[i]!).ok).toBe(true);
    expect(opensslCmsVerify(token.dir, sigs[0]!, docs[1]!).ok).toBe(false);
    await signer.close();
    await signer.close();
    await expectCode(signer.sign(content), 'PKCS11_CLOSED');
  });

  it('two signers on the same token share one login; closing one leaves the other working', async () => {
    const a = await openPkcs11Signer(base({ keyLabel: 'leader' }));
    const b = await openPkcs11Signer(base({ keyLabel: 'leader-p384' }));
    await a.close();
    const p7s = await signCades({ signer: b, content });
    expect(opensslCmsVerify(token.dir, p7s, content).ok).toBe(true);
    await b.close();
    // And the module can be loaded again after the last one closed.
    await withSigner(base({ keyLabel: 'leader' }), async (s) => expect(opensslCmsVerify(token.dir, await signCades({ signer: s, content }), content).ok).toBe(true));
  });
});
