import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, isKysoError, toBase64, utf8 } from '@kyso/core';
import { finishCades, OID, prepareCades, signCades, signerFromPem, verifyCades, type PreparedCadesState, type Signer } from '@kyso/cms';
import { children, parseOne, raw, readOid, setOf, seq, oid, octets } from '../../src/asn1/der.js';
import { makeOpensslPki, openssl, opensslOk, type OpensslPki } from '../helpers/openssl.js';

const content = utf8('Hồ sơ thủ tục hành chính số 000.00.00.H10-261201-0001\n'.repeat(20));

let pki: OpensslPki;
let signer: Signer;
beforeAll(async () => {
  pki = makeOpensslPki('rsa2048');
  signer = await signerFromPem(pki.text('signer.key'), pki.text('signer.pem'), pki.text('inter.pem'));
});
afterAll(() => pki.cleanup());

function opensslVerify(p7s: Uint8Array, data: Uint8Array, extra: string[] = []): { ok: boolean; stderr: string } {
  writeFileSync(pki.path('s.p7s'), p7s);
  writeFileSync(pki.path('c.bin'), data);
  const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 's.p7s', '-content', 'c.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null', ...extra], { cwd: pki.dir });
  return { ok: r.status === 0, stderr: r.stderr };
}

/** Signs the digest with `openssl pkeyutl` in another process, as a remote service would. */
function remoteSignDigest(digest: Uint8Array, key = 'signer.key'): Uint8Array {
  const di = seq(seq(oid(OID.sha256), Uint8Array.of(5, 0)), octets(digest));
  writeFileSync(pki.path('di.bin'), di);
  opensslOk(['pkeyutl', '-sign', '-inkey', key, '-pkeyopt', 'rsa_padding_mode:pkcs1', '-in', 'di.bin', '-out', 'sig.bin'], { cwd: pki.dir });
  return pki.read('sig.bin');
}

describe('staged signing', () => {
  it('prepare → JSON round trip → sign the digest elsewhere → finish: openssl verifies', async () => {
    const identity = { certificate: signer.certificate, chain: signer.chain, signatureAlgorithm: signer.signatureAlgorithm };
    const { digestToSign, toBeSigned, state } = await prepareCades({ signer: identity, content, signingTime: new Date('2026-12-01T01:02:03Z'), commitmentType: 'proofOfOrigin' });
    expect(new Uint8Array(await crypto.subtle.digest('SHA-256', toBeSigned))).toEqual(digestToSign);
    const json = JSON.stringify(state);
    const restored = JSON.parse(json) as PreparedCadesState;
    const p7s = await finishCades(restored, remoteSignDigest(digestToSign));
    expect(opensslVerify(p7s, content).ok).toBe(true);
    const r = await verifyCades(p7s, { content, trustAnchors: [pki.der('root.pem')] });
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.signingTime?.toISOString()).toBe('2026-12-01T01:02:03.000Z');
    expect(r.commitmentType).toBe('1.2.840.113549.1.9.16.6.1');
    // tamper twin
    expect(opensslVerify(p7s, utf8('other')).ok).toBe(false);
  });

  it('a signature value over another digest, or by another key, is refused by finishCades', async () => {
    const { digestToSign, state } = await prepareCades({ signer, content });
    const wrongDigest = digestToSign.slice();
    wrongDigest[0]! ^= 1;
    const e1 = await finishCades(state, remoteSignDigest(wrongDigest)).catch((x: unknown) => x);
    expect(isKysoError(e1, 'SIGNATURE_MISMATCH')).toBe(true);
    const e2 = await finishCades(state, remoteSignDigest(digestToSign, 'inter.key')).catch((x: unknown) => x);
    expect(isKysoError(e2, 'SIGNATURE_MISMATCH')).toBe(true);
    // forced through without the check, the verifier reports it
    const forced = await finishCades(state, remoteSignDigest(wrongDigest), { verify: false });
    const r = await verifyCades(forced, { content });
    expect(r.subIndication).toBe('SIG_CRYPTO_FAILURE');
    expect(opensslVerify(forced, content).ok).toBe(false);
  });

  it('a broken state is refused with CMS_BAD_STATE', async () => {
    const e = await finishCades({} as PreparedCadesState, new Uint8Array(256)).catch((x: unknown) => x);
    expect(isKysoError(e, 'CMS_BAD_STATE')).toBe(true);
  });

  it('PAdES style: { digest } content and no signing-time', async () => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', content));
    const p7s = await signCades({ signer, content: { digest }, signingTime: false });
    const r = await verifyCades(p7s, { content, trustAnchors: [pki.der('root.pem')] });
    expect(r.indication).toBe('TOTAL-PASSED');
    expect(r.signingTime).toBeNull();
    expect(r.signedAttributes.map((a) => a.type)).not.toContain(OID.signingTime);
    expect(opensslVerify(p7s, content).ok).toBe(true);
    const bad = await signCades({ signer, content: { digest: digest.subarray(1) } }).catch((x: unknown) => x);
    expect(isKysoError(bad, 'CMS_BAD_OPTIONS')).toBe(true);
  });
});

/**
 * Forgeries: a valid signature by the right key over signed attributes that are wrong.
 * `edit` rewrites the list of attribute encodings before signing.
 */
async function forge(edit: (attrs: Uint8Array[]) => Uint8Array[], certificate?: Uint8Array): Promise<Uint8Array> {
  const { state } = await prepareCades({ signer, content });
  const attrs = children(parseOne(fromBase64(state.signedAttributes))).map(raw);
  const signed = setOf(edit(attrs));
  const forged: PreparedCadesState = {
    ...state,
    signedAttributes: toBase64(signed),
    certificates: certificate ? [toBase64(certificate), ...state.certificates.slice(1)] : state.certificates,
  };
  return finishCades(forged, await signer.sign(signed));
}
const typeOf = (a: Uint8Array) => readOid(children(parseOne(a))[0]!);

describe('forged signed attributes', () => {
  it('control: an unedited forge passes, so the checks below test the edits', async () => {
    const r = await verifyCades(await forge((a) => a), { content, trustAnchors: [pki.der('root.pem')] });
    expect(r.indication).toBe('TOTAL-PASSED');
  });

  it('a duplicated message-digest attribute (one for other content): FORMAT_FAILURE', async () => {
    const otherDigest = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8('evil')));
    const p7s = await forge((a) => [...a, seq(oid(OID.messageDigest), setOf([octets(otherDigest)]))]);
    const r = await verifyCades(p7s, { content });
    expect(r.indication).toBe('TOTAL-FAILED');
    expect(r.subIndication).toBe('FORMAT_FAILURE');
    expect(r.errors.join('\n')).toMatch(/message-digest signed attribute appears 2 times/);
  });

  it('two values in one message-digest attribute: FORMAT_FAILURE', async () => {
    const otherDigest = new Uint8Array(32);
    const p7s = await forge((a) => a.map((x) => (typeOf(x) === OID.messageDigest ? seq(oid(OID.messageDigest), setOf([...children(children(parseOne(x))[1]!).map(raw), octets(otherDigest)])) : x)));
    expect((await verifyCades(p7s, { content })).subIndication).toBe('FORMAT_FAILURE');
  });

  it('missing message-digest or content-type: FORMAT_FAILURE', async () => {
    for (const drop of [OID.messageDigest, OID.contentType]) {
      const r = await verifyCades(await forge((a) => a.filter((x) => typeOf(x) !== drop)), { content });
      expect(r.subIndication).toBe('FORMAT_FAILURE');
      expect(r.errors.join('\n')).toMatch(/mandatory .* signed attribute is missing/);
    }
  });

  it('a content-type attribute that differs from eContentType: FORMAT_FAILURE', async () => {
    const p7s = await forge((a) => a.map((x) => (typeOf(x) === OID.contentType ? seq(oid(OID.contentType), setOf([oid(OID.tstInfo)])) : x)));
    expect((await verifyCades(p7s, { content })).subIndication).toBe('FORMAT_FAILURE');
  });

  it('the signer certificate swapped for another with the same name, serial and key: NO_SIGNING_CERTIFICATE_FOUND', async () => {
    // A second certificate for the same key, same issuer, subject and serial number (a CA reissue, or a forger's).
    opensslOk(['x509', '-req', '-in', 'signer.csr', '-CA', 'inter.pem', '-CAkey', 'inter.key', '-set_serial', '3', '-days', '30', '-sha256', '-extfile', 'openssl.cnf', '-extensions', 'v3_leaf', '-out', 'twin.pem'], { cwd: pki.dir });
    const twin = pki.der('twin.pem');
    const p7s = await forge((a) => a, twin);
    const r = await verifyCades(p7s, { content, trustAnchors: [pki.der('root.pem')] });
    expect(r.signatureOk).toBe(true); // same key: the signature itself verifies
    expect(r.signingCertificateV2Ok).toBe(false);
    expect(r.indication).toBe('INDETERMINATE');
    expect(r.subIndication).toBe('NO_SIGNING_CERTIFICATE_FOUND');
    expect(r.errors.join('\n')).toMatch(/certificate was replaced/);
    // OpenSSL's CAdES check (-cades) agrees
    expect(opensslVerify(p7s, content, ['-cades']).ok).toBe(false);
    expect(opensslVerify(await forge((a) => a), content, ['-cades']).ok).toBe(true);
  });

  it('signed attributes without signing-certificate-v2: a warning, and intact', async () => {
    const r = await verifyCades(await forge((a) => a.filter((x) => typeOf(x) !== OID.signingCertificateV2)), { content });
    expect(r.signingCertificateV2Ok).toBe('absent');
    expect(r.intact).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/not a CAdES baseline/);
  });
});

