import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, isKysoError, utf8 } from '@kyso/core';
import { CmsError, OID, verifyCades } from '@kyso/cms';
import { makeOpensslPki, opensslOk, type KeyType, type OpensslPki } from '../helpers/openssl.js';

const content = utf8('Biên bản họp ngày 01/12/2026 — signed by openssl\n'.repeat(50));
const other = utf8('Biên bản họp ngày 02/12/2026 — other content\n'.repeat(50));

/** `openssl cms -sign` with extra flags; returns the DER .p7s. */
function opensslSign(pki: OpensslPki, flags: string[]): Uint8Array {
  writeFileSync(pki.path('content.bin'), content);
  opensslOk(['cms', '-sign', '-binary', '-in', 'content.bin', '-outform', 'DER', '-signer', 'signer.pem', '-inkey', 'signer.key', '-certfile', 'inter.pem', '-out', 'o.p7s', ...flags], { cwd: pki.dir });
  return pki.read('o.p7s');
}

const CASES: { type: KeyType; flags: string[]; sig: string; md: string }[] = [
  { type: 'rsa2048', flags: ['-md', 'sha256'], sig: 'RSASSA-PKCS1-v1_5', md: 'SHA-256' },
  { type: 'rsa3072', flags: ['-md', 'sha512'], sig: 'RSASSA-PKCS1-v1_5', md: 'SHA-512' },
  { type: 'rsa2048', flags: ['-md', 'sha256', '-keyopt', 'rsa_padding_mode:pss'], sig: 'RSA-PSS', md: 'SHA-256' },
  { type: 'p256', flags: ['-md', 'sha256'], sig: 'ECDSA', md: 'SHA-256' },
  { type: 'p384', flags: ['-md', 'sha384'], sig: 'ECDSA', md: 'SHA-384' },
];

describe.each(CASES)('verifyCades on openssl cms -sign -cades ($type $flags)', ({ type, flags, sig, md }) => {
  let pki: OpensslPki;
  let p7s: Uint8Array;
  beforeAll(() => {
    pki = makeOpensslPki(type);
    p7s = opensslSign(pki, [...flags, '-cades']);
  });
  afterAll(() => pki.cleanup());

  it('TOTAL-PASSED with the root as trust anchor, signing-certificate-v2 checked', async () => {
    const r = await verifyCades(p7s, { content, trustAnchors: [pki.der('root.pem')] });
    expect(r.errors).toEqual([]);
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.subIndication).toBeNull();
    expect(r.signatureAlgorithm?.name).toBe(sig);
    expect(r.digestAlgorithm).toBe(md);
    expect(r.messageDigestOk).toBe(true);
    expect(r.signatureOk).toBe(true);
    expect(r.signingCertificateV2Ok).toBe(true);
    expect(r.signingTime).toBeInstanceOf(Date);
    expect(bytesEqual(r.signerCertificate!, pki.der('signer.pem'))).toBe(true);
    expect(r.signerSubject).toBe('CN=Kyso OpenSSL Signer, O=Kyso OpenSSL Test');
    expect(r.chain.status).toBe('trusted');
    expect(r.chain.path).toHaveLength(3);
    expect(r.warnings.join('\n')).toMatch(/revocation was not checked/);
    expect(Object.isFrozen(r)).toBe(true);
  });

  it('tamper twin: the same .p7s over other content is HASH_FAILURE', async () => {
    const r = await verifyCades(p7s, { content: other, trustAnchors: [pki.der('root.pem')] });
    expect(r.indication).toBe('TOTAL-FAILED');
    expect(r.subIndication).toBe('HASH_FAILURE');
    expect(r.messageDigestOk).toBe(false);
    expect(r.signatureOk).toBe(true); // the attributes themselves are intact
  });

  it('a flipped bit in the signature value is SIG_CRYPTO_FAILURE', async () => {
    const bad = p7s.slice();
    bad[bad.length - 5]! ^= 0x01; // the signature value is the last element of the SignerInfo
    const r = await verifyCades(bad, { content });
    expect(r.subIndication).toBe('SIG_CRYPTO_FAILURE');
    expect(r.signatureOk).toBe(false);
    expect(r.messageDigestOk).toBe(true);
  });
});

describe('other shapes openssl produces', () => {
  let pki: OpensslPki;
  beforeAll(() => {
    pki = makeOpensslPki('rsa2048');
  });
  afterAll(() => pki.cleanup());

  it('SubjectKeyIdentifier as SignerIdentifier (-keyid)', async () => {
    const r = await verifyCades(opensslSign(pki, ['-md', 'sha256', '-keyid']), { content, trustAnchors: [pki.der('root.pem')] });
    expect(r.indication).toBe('TOTAL-PASSED');
  });

  it('no signed attributes (-noattr): signature over the content, from bytes, a stream and a digest', async () => {
    const p7s = opensslSign(pki, ['-md', 'sha256', '-noattr']);
    const anchors = [pki.der('root.pem')];
    const a = await verifyCades(p7s, { content, trustAnchors: anchors });
    expect(a.signedAttributesPresent).toBe(false);
    expect(a.indication).toBe('TOTAL-PASSED');
    expect(a.signingCertificateV2Ok).toBe('absent');
    async function* chunks() {
      for (let i = 0; i < content.length; i += 100) yield content.subarray(i, i + 100);
    }
    expect((await verifyCades(p7s, { content: chunks(), trustAnchors: anchors })).indication).toBe('TOTAL-PASSED');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', content));
    expect((await verifyCades(p7s, { content: { digest }, trustAnchors: anchors })).indication).toBe('TOTAL-PASSED');
    // tamper twins
    expect((await verifyCades(p7s, { content: other })).subIndication).toBe('HASH_FAILURE');
    const wrong = new Uint8Array(await crypto.subtle.digest('SHA-256', other));
    expect((await verifyCades(p7s, { content: { digest: wrong } })).subIndication).toBe('HASH_FAILURE');
  });

  it('attached content (-nodetach) is used without a content option', async () => {
    const r = await verifyCades(opensslSign(pki, ['-md', 'sha256', '-nodetach']), { trustAnchors: [pki.der('root.pem')] });
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(bytesEqual(r.encapsulatedContent!, content)).toBe(true);
  });

  it('SHA-1 is accepted but flagged weak', async () => {
    const r = await verifyCades(opensslSign(pki, ['-md', 'sha1']), { content, trustAnchors: [pki.der('root.pem')] });
    expect(r.digestAlgorithm).toBe('SHA-1');
    expect(r.intact).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/SHA-1.*weak/);
  });

  it('a detached signature verified without content: SIGNED_DATA_NOT_FOUND', async () => {
    const r = await verifyCades(opensslSign(pki, ['-md', 'sha256']), {});
    expect(r.indication).toBe('INDETERMINATE');
    expect(r.subIndication).toBe('SIGNED_DATA_NOT_FOUND');
  });

  it('without trust anchors: intact, but INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const r = await verifyCades(opensslSign(pki, ['-md', 'sha256', '-cades']), { content });
    expect(r.intact).toBe(true);
    expect(r.indication).toBe('INDETERMINATE');
    expect(r.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(r.chain.status).toBe('not-checked');
  });

  it('another root as anchor: NO_CERTIFICATE_CHAIN_FOUND; after expiry: OUT_OF_BOUNDS_NO_POE', async () => {
    const stranger = makeOpensslPki('p256');
    try {
      const p7s = opensslSign(pki, ['-md', 'sha256', '-cades']);
      const r = await verifyCades(p7s, { content, trustAnchors: [stranger.der('root.pem')] });
      expect(r.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
      expect(r.chain.status).toBe('untrusted');
      const late = await verifyCades(p7s, { content, trustAnchors: [pki.der('root.pem')], time: new Date(Date.now() + 20 * 365 * 86400_000) });
      expect(late.indication).toBe('INDETERMINATE');
      expect(late.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    } finally {
      stranger.cleanup();
    }
  });
});

describe('bytes that are not a signature throw CmsError', () => {
  let p7s: Uint8Array;
  let pki: OpensslPki;
  beforeAll(() => {
    pki = makeOpensslPki('p256');
    p7s = opensslSign(pki, ['-md', 'sha256', '-cades']);
  });
  afterAll(() => pki.cleanup());

  const expectCms = async (bytes: Uint8Array, code: string) => {
    const e = await verifyCades(bytes, { content }).then(
      () => expect.fail('expected a CmsError'),
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CmsError);
    expect(isKysoError(e, code), String(e)).toBe(true);
    expect((e as Error).message).toMatch(/check|give/i);
  };

  it('empty', () => expectCms(new Uint8Array(0), 'CMS_EMPTY'));
  it('truncated at several points', async () => {
    for (const n of [1, 2, 10, 100, p7s.length - 1]) await expectCms(p7s.subarray(0, n), 'CMS_MALFORMED');
  });
  it('random bytes', async () => {
    for (let i = 0; i < 20; i++) await expectCms(crypto.getRandomValues(new Uint8Array(300)), 'CMS_MALFORMED');
  });
  it('a certificate instead of a signature', () => expectCms(pki.der('signer.pem'), 'CMS_MALFORMED'));
  it('a ContentInfo of another type', async () => {
    // ContentInfo { id-data, [0] OCTET STRING "x" }
    const { seq, oid, ctx, octets } = await import('../../src/asn1/der.js');
    await expectCms(seq(oid(OID.data), ctx(0, octets(utf8('x')))), 'CMS_NOT_SIGNED_DATA');
  });
});
