import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, isKysoError, pemToDer, toArrayBuffer, utf8 } from '@kyso/core';
import { digestInfo, externalSigner, signCades, signerFromCryptoKey, signerFromPem, signerFromPkcs12, SignerError, type Signer } from '@kyso/cms';
import { makeOpensslPki, openssl, opensslOk, type OpensslPki } from '../helpers/openssl.js';

const content = utf8('Quyết định số 45/QĐ-UBND\n');

function opensslAccepts(pki: OpensslPki, p7s: Uint8Array, data: Uint8Array = content): boolean {
  writeFileSync(pki.path('s.p7s'), p7s);
  writeFileSync(pki.path('c.bin'), data);
  return openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 's.p7s', '-content', 'c.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: pki.dir }).status === 0;
}

async function expectCode(p: Promise<unknown>, code: string): Promise<SignerError> {
  const e = await p.then(
    () => expect.fail(`expected ${code}`),
    (x: unknown) => x,
  );
  expect(isKysoError(e, code), `${(e as Error).name}: ${(e as Error).message}`).toBe(true);
  expect(e).toBeInstanceOf(SignerError);
  return e as SignerError;
}

async function signAndCheck(pki: OpensslPki, signer: Signer): Promise<void> {
  const p7s = await signCades({ signer, content });
  expect(opensslAccepts(pki, p7s)).toBe(true);
  const other = content.slice();
  other[0]! ^= 0x20;
  expect(opensslAccepts(pki, p7s, other)).toBe(false); // tamper twin
}

describe.each(['rsa2048', 'p256'] as const)('PKCS#12 made by openssl pkcs12 -export (%s)', (type) => {
  let pki: OpensslPki;
  beforeAll(() => {
    pki = makeOpensslPki(type);
    const base = ['pkcs12', '-export', '-inkey', 'signer.key', '-in', 'signer.pem', '-certfile', 'inter.pem', '-name', 'Nguyễn Văn An', '-passout', 'pass:Mật-khẩu 1'];
    opensslOk([...base, '-out', 'modern.p12'], { cwd: pki.dir });
    opensslOk([...base, '-legacy', '-out', 'legacy.p12'], { cwd: pki.dir });
    // 3DES for both key and certificates: another legacy variant Windows exports.
    opensslOk([...base, '-legacy', '-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-out', 'legacy-3des.p12'], { cwd: pki.dir });
  });
  afterAll(() => pki.cleanup());

  it('the fixtures really use the encryptions under test', () => {
    const info = (f: string) => openssl(['pkcs12', '-info', '-noout', '-in', f, '-passin', 'pass:Mật-khẩu 1', '-legacy'], { cwd: pki.dir }).stderr;
    expect(info('modern.p12')).toMatch(/PBES2, PBKDF2, AES-256-CBC/);
    expect(info('legacy.p12')).toMatch(/pbeWithSHA1And40BitRC2-CBC/);
    expect(info('legacy.p12')).toMatch(/pbeWithSHA1And3-KeyTripleDES-CBC/);
    expect(info('legacy-3des.p12')).not.toMatch(/RC2/);
  });

  it.each(['modern.p12', 'legacy.p12', 'legacy-3des.p12'])('%s signs a .p7s that openssl verifies', async (file) => {
    const signer = await signerFromPkcs12(pki.read(file), 'Mật-khẩu 1');
    expect(bytesEqual(signer.certificate, pki.der('signer.pem'))).toBe(true);
    expect(signer.chain).toHaveLength(1);
    expect(bytesEqual(signer.chain[0]!, pki.der('inter.pem'))).toBe(true);
    await signAndCheck(pki, signer);
  });

  it.each(['modern.p12', 'legacy.p12'])('%s with a wrong password: P12_BAD_PASSWORD', async (file) => {
    const e = await expectCode(signerFromPkcs12(pki.read(file), 'mật-khẩu 1'), 'P12_BAD_PASSWORD');
    expect(e.message).toMatch(/password is wrong/);
  });

  it('an empty password (openssl -passout pass:) opens, a non-empty one does not', async () => {
    opensslOk(['pkcs12', '-export', '-inkey', 'signer.key', '-in', 'signer.pem', '-certfile', 'inter.pem', '-passout', 'pass:', '-out', 'empty.p12'], { cwd: pki.dir });
    await signAndCheck(pki, await signerFromPkcs12(pki.read('empty.p12'), ''));
    await expectCode(signerFromPkcs12(pki.read('empty.p12'), 'x'), 'P12_BAD_PASSWORD');
  });

  it('a PKCS#12 without the key or without certificates says so', async () => {
    opensslOk(['pkcs12', '-export', '-nokeys', '-in', 'signer.pem', '-passout', 'pass:p', '-out', 'nokey.p12'], { cwd: pki.dir });
    await expectCode(signerFromPkcs12(pki.read('nokey.p12'), 'p'), 'P12_NO_KEY');
  });

  it('unreadable bytes: P12_UNREADABLE', async () => {
    await expectCode(signerFromPkcs12(new Uint8Array(0), 'x'), 'P12_UNREADABLE');
    await expectCode(signerFromPkcs12(pki.read('modern.p12').subarray(0, 300), 'x'), 'P12_UNREADABLE');
    await expectCode(signerFromPkcs12(utf8('not a pfx at all'), 'x'), 'P12_UNREADABLE');
  });
});

describe('PEM signers', () => {
  let pki: OpensslPki;
  let ec: OpensslPki;
  beforeAll(() => {
    pki = makeOpensslPki('rsa2048');
    ec = makeOpensslPki('p384');
    opensslOk(['rsa', '-in', 'signer.key', '-traditional', '-out', 'signer.pkcs1.key'], { cwd: pki.dir });
    opensslOk(['pkcs8', '-topk8', '-in', 'signer.key', '-v2', 'aes-256-cbc', '-passout', 'pass:secret', '-out', 'signer.enc.key'], { cwd: pki.dir });
    opensslOk(['ec', '-in', 'signer.key', '-out', 'signer.sec1.key'], { cwd: ec.dir });
  });
  afterAll(() => {
    pki.cleanup();
    ec.cleanup();
  });

  it('reads PKCS#8, "RSA PRIVATE KEY", "EC PRIVATE KEY" and encrypted PKCS#8', async () => {
    expect(pki.text('signer.pkcs1.key')).toContain('BEGIN RSA PRIVATE KEY');
    expect(ec.text('signer.sec1.key')).toContain('BEGIN EC PRIVATE KEY');
    await signAndCheck(pki, await signerFromPem(pki.text('signer.key'), pki.text('signer.pem'), pki.text('inter.pem')));
    await signAndCheck(pki, await signerFromPem(pki.text('signer.pkcs1.key'), pki.text('signer.pem'), pki.text('inter.pem')));
    await signAndCheck(pki, await signerFromPem(pki.text('signer.enc.key'), pki.text('signer.pem'), pki.text('inter.pem'), { password: 'secret' }));
    const ecSigner = await signerFromPem(ec.read('signer.sec1.key'), ec.read('signer.pem'), ec.read('inter.pem'));
    expect(ecSigner.signatureAlgorithm).toEqual({ name: 'ECDSA', hash: 'SHA-384' });
    await signAndCheck(ec, ecSigner);
  });

  it('a key that does not match the certificate: KEY_CERT_MISMATCH', async () => {
    const e = await expectCode(signerFromPem(pki.text('inter.key'), pki.text('signer.pem'), pki.text('inter.pem')), 'KEY_CERT_MISMATCH');
    expect(e.message).toMatch(/does not match the certificate/);
    // RSA key with an EC certificate
    await expectCode(signerFromPem(pki.text('signer.key'), ec.text('signer.pem')), 'KEY_CERT_MISMATCH');
    // EC key of the right type but another key
    await expectCode(signerFromPem(ec.text('inter.key'), ec.text('signer.pem')), 'KEY_CERT_MISMATCH');
  });

  it('wrong password for an encrypted key, and garbage key files', async () => {
    await expectCode(signerFromPem(pki.text('signer.enc.key'), pki.text('signer.pem'), undefined, { password: 'nope' }), 'KEY_BAD_PASSWORD');
    await expectCode(signerFromPem(pki.text('signer.enc.key'), pki.text('signer.pem')), 'KEY_PASSWORD_REQUIRED');
    await expectCode(signerFromPem('hello', pki.text('signer.pem')), 'KEY_UNREADABLE');
    await expectCode(signerFromPem(pki.text('signer.key'), 'hello'), 'CERT_UNREADABLE');
  });
});

describe('CryptoKey and external signers', () => {
  let pki: OpensslPki;
  let ec: OpensslPki;
  beforeAll(() => {
    pki = makeOpensslPki('rsa2048');
    ec = makeOpensslPki('p256');
  });
  afterAll(() => {
    pki.cleanup();
    ec.cleanup();
  });

  const pkcs8 = (p: OpensslPki) => pemToDer(p.text('signer.key'), 'PRIVATE KEY')[0]!;

  it('signs with a non-extractable WebCrypto key (RSA-PSS and ECDSA)', async () => {
    const rsaKey = await crypto.subtle.importKey('pkcs8', toArrayBuffer(pkcs8(pki)), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
    const s1 = await signerFromCryptoKey(rsaKey, pki.der('signer.pem'), [pki.der('inter.pem')]);
    expect(s1.signatureAlgorithm.name).toBe('RSA-PSS');
    await signAndCheck(pki, s1);
    const ecKey = await crypto.subtle.importKey('pkcs8', toArrayBuffer(pkcs8(ec)), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    await signAndCheck(ec, await signerFromCryptoKey(ecKey, ec.der('signer.pem'), [ec.der('inter.pem')]));
  });

  it('a CryptoKey that is not the certificate\'s: KEY_CERT_MISMATCH', async () => {
    const other = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    await expectCode(signerFromCryptoKey(other.privateKey, ec.der('signer.pem')), 'KEY_CERT_MISMATCH');
  });

  it('external signer: the callback gets only the digest (RSA via raw DigestInfo, ECDSA raw r||s)', async () => {
    // The "remote" side signs the digest with openssl pkeyutl, a peer that never sees the data.
    const seen: Uint8Array[] = [];
    const rsa = externalSigner({
      certificate: pki.der('signer.pem'),
      chain: [pki.der('inter.pem')],
      signDigest: async (digest, alg) => {
        seen.push(digest);
        expect(alg).toEqual({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
        writeFileSync(pki.path('di.bin'), digestInfo(digest, alg.hash));
        opensslOk(['pkeyutl', '-sign', '-inkey', 'signer.key', '-pkeyopt', 'rsa_padding_mode:pkcs1', '-in', 'di.bin', '-out', 'sig.bin'], { cwd: pki.dir });
        return pki.read('sig.bin');
      },
    });
    await signAndCheck(pki, rsa);
    expect(seen[0]).toHaveLength(32);

    const ecKey = await crypto.subtle.importKey('pkcs8', toArrayBuffer(pkcs8(ec)), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const ecExt = externalSigner({
      certificate: ec.der('signer.pem'),
      chain: [ec.der('inter.pem')],
      // A WebCrypto-style device returns r||s over the data; emulate a digest signer with openssl.
      signDigest: async (digest) => {
        writeFileSync(ec.path('d.bin'), digest);
        opensslOk(['pkeyutl', '-sign', '-inkey', 'signer.key', '-in', 'd.bin', '-out', 'sig.bin'], { cwd: ec.dir });
        return ec.read('sig.bin'); // DER Ecdsa-Sig-Value
      },
    });
    await signAndCheck(ec, ecExt);
    void ecKey;
  });

  it('external signer returning a signature by another key fails before any output', async () => {
    const bad = externalSigner({
      certificate: pki.der('signer.pem'),
      signDigest: async (digest, alg) => {
        writeFileSync(pki.path('di.bin'), digestInfo(digest, alg.hash));
        opensslOk(['pkeyutl', '-sign', '-inkey', 'inter.key', '-pkeyopt', 'rsa_padding_mode:pkcs1', '-in', 'di.bin', '-out', 'sig.bin'], { cwd: pki.dir });
        return pki.read('sig.bin');
      },
    });
    await expectCode(signCades({ signer: bad, content }), 'SIGNATURE_MISMATCH');
    const failing = externalSigner({ certificate: pki.der('signer.pem'), signDigest: async () => Promise.reject(new Error('token removed')) });
    const e = await expectCode(signCades({ signer: failing, content }), 'SIGNER_FAILED');
    expect(e.message).toContain('token removed');
  });
});
