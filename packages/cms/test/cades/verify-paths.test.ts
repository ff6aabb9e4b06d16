// Signature values are checked with node:crypto in Node and with WebCrypto elsewhere
// (verifyWithCertificate): both paths must reach the same verdict, for every key type and
// scheme kyso signs with, on good signatures and on altered ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '@kyso/core';
import { signCades, signerFromPem, verifyCades, type SignatureAlgorithm } from '@kyso/cms';
import { withoutNodeBuiltins } from '../../../core/test/helpers/platform.js';
import { makeOpensslPki, type KeyType, type OpensslPki } from '../helpers/openssl.js';

const content = utf8('Tờ trình số 12/TTr-VP\n');

const CASES: [KeyType, SignatureAlgorithm][] = [
  ['rsa2048', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }],
  ['rsa2048', { name: 'RSA-PSS', hash: 'SHA-256' }],
  ['p256', { name: 'ECDSA', hash: 'SHA-256' }],
  ['p384', { name: 'ECDSA', hash: 'SHA-384' }],
];

describe.each(CASES)('a %s key with %o: node:crypto and WebCrypto agree', (type, signatureAlgorithm) => {
  let pki: OpensslPki;
  beforeAll(() => {
    pki = makeOpensslPki(type);
  });
  afterAll(() => pki.cleanup());

  const verify = (p7s: Uint8Array) => verifyCades(p7s, { content, trustAnchors: [pki.der('root.pem')] });
  const verdict = (r: Awaited<ReturnType<typeof verifyCades>>) => [r.indication, r.subIndication];

  it('on a good signature (and its chain): TOTAL-PASSED both ways', async () => {
    const signer = await signerFromPem(pki.text('signer.key'), pki.text('signer.pem'), pki.text('inter.pem'), { signatureAlgorithm });
    const p7s = await signCades({ signer, content });
    expect(verdict(await verify(p7s))).toEqual(['TOTAL-PASSED', null]);
    expect(verdict(await withoutNodeBuiltins(() => verify(p7s)))).toEqual(['TOTAL-PASSED', null]);
  });

  it('on a signature value with one bit changed: SIG_CRYPTO_FAILURE both ways', async () => {
    const signer = await signerFromPem(pki.text('signer.key'), pki.text('signer.pem'), pki.text('inter.pem'), { signatureAlgorithm });
    const p7s = await signCades({ signer, content });
    p7s[p7s.length - 1]! ^= 0x01; // the SignerInfo's signature is the last element (no unsigned attributes)
    expect(verdict(await verify(p7s))).toEqual(['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE']);
    expect(verdict(await withoutNodeBuiltins(() => verify(p7s)))).toEqual(['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE']);
  });
});
