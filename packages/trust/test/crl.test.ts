import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Certificate, Crl, CrlRevocationChecker, TrustError, validatePath } from '@kyso/trust';
import { openssl } from './helpers/openssl.js';
import { type TestPki, makePki } from './helpers/pki.js';

let pki: TestPki;
let root: Certificate;
let sub: Certificate;
const certs: Record<string, Certificate> = {};
let crl: Crl;
let rootCrl: Crl;

const REASONS = ['keyCompromise', 'superseded', 'cessationOfOperation', 'affiliationChanged', 'CACompromise'] as const;

beforeAll(() => {
  pki = makePki();
  root = Certificate.fromPem(pki.read('root.pem'));
  sub = Certificate.fromPem(pki.read('sub.pem'));
  for (const name of ['good', ...REASONS, 'hold']) certs[name] = Certificate.fromPem(pki.read(pki.issue('sub', name, `/CN=${name}`, 'v3_leaf')));
  for (const r of REASONS) pki.revoke('sub', `${r}.pem`, r);
  openssl(pki.dir, ['ca', '-config', 'openssl.cnf', '-name', 'sub_ca', '-revoke', 'hold.pem', '-crl_hold', 'holdInstructionReject']);
  crl = Crl.fromDer(pki.read(pki.crl('sub', 'sub-crl')));
  rootCrl = Crl.fromDer(pki.read(pki.crl('root', 'root-crl')));
});
afterAll(() => pki.cleanup());

describe('Crl', () => {
  it('parses an openssl CRL: issuer, dates, number, entries and reasons', () => {
    expect(crl.issuer.equals(sub.subject)).toBe(true);
    expect(crl.version).toBe(2);
    expect(crl.crlNumber).toBe(1n);
    expect(crl.isDelta).toBe(false);
    expect(crl.nextUpdate!.getTime() - crl.thisUpdate.getTime()).toBe(30 * 86400_000);
    expect(crl.authorityKeyIdentifier?.keyIdentifier).toEqual(sub.subjectKeyIdentifier);
    expect(crl.entries).toHaveLength(REASONS.length + 1);
    for (const r of REASONS) {
      expect(crl.findEntry(certs[r]!)?.reason).toBe(r === 'CACompromise' ? 'cACompromise' : r);
    }
    expect(crl.findEntry(certs.hold!)?.reason).toBe('certificateHold');
    expect(crl.findEntry(certs.good!)).toBeUndefined();
    // Same serial, other issuer: not this CRL's business.
    expect(crl.findEntry(certs.keyCompromise!.serialNumber, root.subject)).toBeUndefined();
    expect(crl.findEntry(certs.keyCompromise!)?.serialNumberHex).toBe(certs.keyCompromise!.serialNumberHex);
    expect(Crl.fromPem(crl.toPem()).fingerprintSha256).toBe(crl.fingerprintSha256);
    expect(Crl.fromPem(new TextDecoder().decode(pki.read('sub-crl.pem'))).der).toEqual(crl.der);
  });

  it('verifies its signature with the issuer, not with another key (tamper twin)', async () => {
    expect(await crl.verifySignedBy(sub)).toEqual({ valid: true });
    expect((await crl.verifySignedBy(root)).valid).toBe(false);
    const der = crl.der.slice();
    const at = der.length - 300; // inside the tbsCertList (the entries)
    der[at] = der[at]! ^ 0x01;
    let tampered: Crl | undefined;
    try {
      tampered = Crl.fromDer(der);
    } catch {
      tampered = undefined;
    }
    if (tampered) expect((await tampered.verifySignedBy(sub)).valid).toBe(false);
  });

  it('throws CRL_MALFORMED for input that is not a CRL', () => {
    expect(() => Crl.fromDer(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01))).toThrow(TrustError);
    expect(() => Crl.fromDer(sub.der)).toThrow(/not a valid X.509 CRL/);
    expect(() => Crl.fromPem('nothing here')).toThrow(/X509 CRL/);
  });
});

describe('CrlRevocationChecker', () => {
  const now = () => new Date(Date.now() + 60_000);
  const run = (c: Certificate, crls: Crl[], time = now()) =>
    validatePath({ certificates: [c, sub], trustAnchors: [root], time, revocation: new CrlRevocationChecker({ crls }) });

  it('gives good, revoked (with reason) and on-hold statuses', async () => {
    expect((await run(certs.good!, [crl, rootCrl])).valid).toBe(true);
    for (const r of REASONS) {
      const res = await run(certs[r]!, [crl, rootCrl]);
      expect(res.failures.map((f) => f.code)).toEqual(['REVOKED']);
    }
    const hold = await run(certs.hold!, [crl, rootCrl]);
    expect(hold.revocation[0]).toMatchObject({ status: 'revoked', reason: 'certificateHold' });
  });

  it('does not use a CRL past its nextUpdate, a tampered CRL, or a CRL of another issuer', async () => {
    const late = new Date(crl.nextUpdate!.getTime() + 1000);
    const stale = await run(certs.good!, [crl, rootCrl], late);
    expect(stale.failures.map((f) => [f.certIndex, f.code])).toEqual([
      [1, 'REVOCATION_UNKNOWN'],
      [0, 'REVOCATION_UNKNOWN'],
    ]);
    expect(stale.failures[1]!.message).toMatch(/nextUpdate/);

    // The root's CRL does not speak for certificates the sub CA issued.
    const forged = Crl.fromDer(pki.read('root-crl.der'));
    const wrongIssuer = await run(certs.keyCompromise!, [forged, rootCrl]);
    expect(wrongIssuer.failures[0]?.code).toBe('REVOCATION_UNKNOWN');

    const der = crl.der.slice();
    der[der.length - 1] = der[der.length - 1]! ^ 0x01; // last byte of the signature
    const badSig = await run(certs.keyCompromise!, [Crl.fromDer(der), rootCrl]);
    expect(badSig.failures[0]?.code).toBe('REVOCATION_UNKNOWN');
    expect(badSig.failures[0]!.message).toMatch(/signature/);
  });

  it('fetches more CRLs on demand when the given ones do not settle the status', async () => {
    let asked = 0;
    const revocation = new CrlRevocationChecker({
      crls: [rootCrl],
      fetchCrls: async (c) => {
        asked++;
        expect(c.issuer.equals(sub.subject)).toBe(true);
        return [crl];
      },
    });
    const r = await validatePath({ certificates: [certs.keyCompromise!, sub], trustAnchors: [root], time: now(), revocation });
    expect(r.failures.map((f) => f.code)).toEqual(['REVOKED']);
    expect(asked).toBe(1);
  });
});
