import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, isKysoError, utf8 } from '@kyso/core';
import { signCades } from '@kyso/cms';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { listPkcs11Keys, listPkcs11Tokens, Pkcs11Error } from '../src/index.js';
import { signerFromPkcs11Options } from '../../cli/src/keys-pkcs11.js';
import { makeTestToken, opensslCmsVerify, PIN, SOFTHSM_MODULE, TOKEN, type TestToken } from './helpers/softhsm.js';

let token: TestToken;
beforeAll(async () => {
  token = await makeTestToken(
    [
      { fixture: 'leader', label: 'leader', id: '01' },
      { fixture: 'leader-p384', label: 'leader-p384', id: 'a1b2' },
      { fixture: 'head', label: 'head', id: '03', withCertificate: false },
    ],
    [{ fixture: 'government-ca', label: 'CA Test' }],
  );
});
afterAll(() => token?.cleanup());

describe('listPkcs11Tokens', () => {
  it('lists the test token (initialised, login required) and SoftHSM2’s blank slot', async () => {
    const tokens = await listPkcs11Tokens(SOFTHSM_MODULE);
    const kyso = tokens.find((t) => t.label === TOKEN);
    expect(kyso).toMatchObject({ initialized: true, loginRequired: true, userPinLocked: false, manufacturer: 'SoftHSM project' });
    expect(Number.isInteger(kyso!.slotId)).toBe(true);
    expect(tokens.some((t) => !t.initialized)).toBe(true);
    expect(Object.isFrozen(kyso)).toBe(true);
  });

  it('fails with PKCS11_MODULE_NOT_FOUND for a missing module', async () => {
    await expect(listPkcs11Tokens('/opt/no-token/lib.so')).rejects.toMatchObject({ code: 'PKCS11_MODULE_NOT_FOUND' });
  });
});

describe('listPkcs11Keys', () => {
  it('with the PIN: every private key with its certificate, and the CA certificate on its own', async () => {
    const keys = await listPkcs11Keys({ module: SOFTHSM_MODULE, tokenLabel: TOKEN, pin: PIN });
    const byLabel = Object.fromEntries(keys.map((k) => [k.label, k]));
    expect(byLabel['leader']).toMatchObject({ id: '01', hasPrivateKey: true, keyType: 'RSA', bits: 2048 });
    expect(byLabel['leader']!.certificate!.subject).toContain('CN=Nguyễn Văn An');
    expect(bytesEqual(byLabel['leader']!.certificate!.der, loadFixture('pki', 'leader.cer'))).toBe(true);
    expect(byLabel['leader-p384']).toMatchObject({ id: 'a1b2', hasPrivateKey: true, keyType: 'EC', curve: 'P-384' });
    expect(byLabel['head']).toMatchObject({ id: '03', hasPrivateKey: true, keyType: 'RSA' });
    expect(byLabel['head']!.certificate).toBeUndefined();
    expect(byLabel['CA Test']).toMatchObject({ hasPrivateKey: false, certificate: { isCa: true } });
    expect(keys).toHaveLength(4);
  });

  it('without the PIN: only the public certificates', async () => {
    const keys = await listPkcs11Keys({ module: SOFTHSM_MODULE, tokenLabel: TOKEN });
    expect(keys.every((k) => !k.hasPrivateKey)).toBe(true);
    expect(keys.map((k) => k.label).sort()).toEqual(['CA Test', 'leader', 'leader-p384']);
  });

  it('a wrong PIN is PKCS11_PIN_INCORRECT; an unknown token PKCS11_TOKEN_NOT_FOUND', async () => {
    await expect(listPkcs11Keys({ module: SOFTHSM_MODULE, tokenLabel: TOKEN, pin: '9999' })).rejects.toMatchObject({ code: 'PKCS11_PIN_INCORRECT' });
    await expect(listPkcs11Keys({ module: SOFTHSM_MODULE, tokenLabel: 'Viettel-CA', pin: PIN })).rejects.toBeInstanceOf(Pkcs11Error);
    await expect(listPkcs11Keys({ module: SOFTHSM_MODULE, tokenLabel: 'Viettel-CA', pin: PIN })).rejects.toMatchObject({ code: 'PKCS11_TOKEN_NOT_FOUND' });
  });
});

describe('kyso CLI: signerFromPkcs11Options (--pkcs11 --token --pin-env --key-id/--key-label --cert)', () => {
  const content = utf8('Công văn số 7/CV — ký từ dòng lệnh\n');

  it('builds a signer from the options; the signature verifies in openssl, and not over other bytes', async () => {
    process.env['KYSO_TEST_PIN'] = PIN;
    const signer = await signerFromPkcs11Options({ pkcs11: SOFTHSM_MODULE, token: TOKEN, 'pin-env': 'KYSO_TEST_PIN', 'key-id': 'a1:b2' });
    try {
      expect(bytesEqual(signer.certificate, loadFixture('pki', 'leader-p384.cer'))).toBe(true);
      const p7s = await signCades({ signer, content });
      expect(opensslCmsVerify(token.dir, p7s, content).ok).toBe(true);
      expect(opensslCmsVerify(token.dir, p7s, utf8('Công văn số 8/CV — ký từ dòng lệnh\n')).ok).toBe(false);
    } finally {
      await signer.close();
    }
  });

  it('--cert supplies the certificate a token lacks', async () => {
    process.env['KYSO_TEST_PIN'] = PIN;
    const signer = await signerFromPkcs11Options({ pkcs11: SOFTHSM_MODULE, token: TOKEN, 'pin-env': 'KYSO_TEST_PIN', 'key-label': 'head', cert: fixturePath('pki', 'head.pem'), chain: [fixturePath('pki', 'head.chain.pem')] });
    try {
      const p7s = await signCades({ signer, content });
      expect(opensslCmsVerify(token.dir, p7s, content).ok).toBe(true);
      const tampered = content.slice();
      tampered[1]! ^= 1;
      expect(opensslCmsVerify(token.dir, p7s, tampered).ok).toBe(false);
    } finally {
      await signer.close();
    }
  });

  it('bad usage is a USAGE error with a hint; token trouble keeps its PKCS11_ code', async () => {
    delete process.env['KYSO_NO_SUCH_PIN'];
    await expect(signerFromPkcs11Options({ pkcs11: SOFTHSM_MODULE, token: TOKEN, 'pin-env': 'KYSO_NO_SUCH_PIN' })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('KYSO_NO_SUCH_PIN') });
    await expect(signerFromPkcs11Options({ pkcs11: SOFTHSM_MODULE, token: TOKEN, 'key-id': 'zz' })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(signerFromPkcs11Options({ pkcs11: SOFTHSM_MODULE, token: TOKEN, slot: 'first' })).rejects.toMatchObject({ code: 'USAGE' });
    process.env['KYSO_TEST_PIN'] = '0000';
    const e = await signerFromPkcs11Options({ pkcs11: SOFTHSM_MODULE, token: TOKEN, 'pin-env': 'KYSO_TEST_PIN', 'key-label': 'leader' }).catch((x: unknown) => x);
    expect(isKysoError(e, 'PKCS11_PIN_INCORRECT')).toBe(true);
    // Without --pin-env the caller's prompt is asked.
    let asked = '';
    const s = await signerFromPkcs11Options({ pkcs11: SOFTHSM_MODULE, token: TOKEN, 'key-label': 'leader' }, { askPin: async (q) => ((asked = q), PIN) });
    expect(asked).toContain('kyso');
    await s.close();
  });
});
