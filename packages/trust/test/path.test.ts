import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Certificate, Crl, CrlRevocationChecker, TrustError, buildPaths, validatePath } from '@kyso/trust';
import { openssl } from './helpers/openssl.js';
import { type TestPki, makePki } from './helpers/pki.js';

let pki: TestPki;
let root: Certificate;
let sub: Certificate;
let leaf: Certificate;
let revokedLeaf: Certificate;
let tsa: Certificate;
let ocspCert: Certificate;
let server: Certificate;
let expiredSub: Certificate;
let rootCrl: Crl;
let subCrl: Crl;
const cert = (f: string) => Certificate.fromPem(pki.read(f));
const NOW = () => new Date(Date.now() + 60_000);

beforeAll(() => {
  pki = makePki();
  root = cert('root.pem');
  sub = cert('sub.pem');
  leaf = cert(pki.issue('sub', 'leaf', '/C=VN/O=Bộ Nội vụ/CN=Nguyễn Văn A', 'v3_leaf'));
  revokedLeaf = cert(pki.issue('sub', 'revoked', '/C=VN/O=Bộ Nội vụ/CN=Trần Thị B', 'v3_leaf'));
  tsa = cert(pki.issue('sub', 'tsa', '/C=VN/CN=Kyso TSA', 'v3_tsa'));
  ocspCert = cert(pki.issue('sub', 'ocsp', '/C=VN/CN=Kyso OCSP', 'v3_ocsp'));
  server = cert(pki.issue('sub', 'server', '/C=VN/CN=server.kyso.vn', 'v3_server'));
  pki.revoke('sub', 'revoked.pem', 'keyCompromise');
  rootCrl = Crl.fromDer(pki.read(pki.crl('root', 'root-crl')));
  subCrl = Crl.fromDer(pki.read(pki.crl('sub', 'sub-crl')));
  // A second certificate for the sub CA's name and key, issued by the root but long expired.
  openssl(pki.dir, ['ca', '-batch', '-config', 'openssl.cnf', '-name', 'root_ca', '-extensions', 'v3_sub', '-in', 'sub.csr', '-out', 'sub-old.pem',
    '-notext', '-startdate', '20200101000000Z', '-enddate', '20210101000000Z']);
  expiredSub = cert('sub-old.pem');
});
afterAll(() => pki.cleanup());

describe('validatePath', () => {
  it('validates leaf → sub CA → root, intermediates in any order, with CRLs', async () => {
    const r = await validatePath({
      certificates: [leaf, server, sub],
      trustAnchors: [root],
      time: NOW(),
      purpose: 'document-signing',
      revocation: new CrlRevocationChecker({ crls: [subCrl, rootCrl] }),
    });
    expect(r.failures).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.path.map((c) => c.subject.commonName)).toEqual(['Nguyễn Văn A', 'Kyso Test Sub CA']);
    expect(r.trustAnchor?.equals(root)).toBe(true);
    expect(r.revocation.map((s) => s?.status)).toEqual(['good', 'good']);
    expect(r.userConstrainedPolicySet).toEqual([]);
    expect(Object.isFrozen(r) && Object.isFrozen(r.failures) && Object.isFrozen(r.path)).toBe(true);
  });

  it('reports a revoked certificate with its reason and time, and accepts it at a time before revocation', async () => {
    const revocation = new CrlRevocationChecker({ crls: [subCrl, rootCrl] });
    const r = await validatePath({ certificates: [revokedLeaf, sub], trustAnchors: [root], time: NOW(), revocation });
    expect(r.valid).toBe(false);
    expect(r.failures).toEqual([expect.objectContaining({ certIndex: 0, code: 'REVOKED' })]);
    expect(r.revocation[0]).toMatchObject({ status: 'revoked', reason: 'keyCompromise', source: 'crl' });
    const revokedAt = r.revocation[0]!.revocationTime!;
    expect(Math.abs(revokedAt.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    // A CRL issued later proves the status at an earlier time (RFC 5280 §6.3.3 with a past time).
    const before = await validatePath({ certificates: [revokedLeaf, sub], trustAnchors: [root], time: new Date('2025-01-01T00:00:00Z'), revocation });
    expect(before.failures).toEqual([]);
    expect(before.revocation[0]?.status).toBe('revoked');
  });

  it('fails without revocation data in hard-fail mode and passes in soft-fail mode', async () => {
    const revocation = new CrlRevocationChecker({ crls: [rootCrl] });
    const hard = await validatePath({ certificates: [leaf, sub], trustAnchors: [root], time: NOW(), revocation });
    expect(hard.failures.map((f) => [f.certIndex, f.code])).toEqual([[0, 'REVOCATION_UNKNOWN']]);
    const soft = await validatePath({ certificates: [leaf, sub], trustAnchors: [root], time: NOW(), revocation, revocationMode: 'soft-fail' });
    expect(soft.valid).toBe(true);
    expect(soft.revocation.map((s) => s?.status)).toEqual(['unknown', 'good']);
  });

  it('says NO_PATH_FOUND without the intermediate or with the wrong anchor', async () => {
    const r = await validatePath({ certificates: [leaf], trustAnchors: [root], time: NOW() });
    expect(r.valid).toBe(false);
    expect(r.failures[0]?.code).toBe('NO_PATH_FOUND');
    expect(r.trustAnchor).toBeNull();
    const r2 = await validatePath({ certificates: [leaf, sub], trustAnchors: [tsa], time: NOW() });
    expect(r2.failures[0]?.code).toBe('NO_PATH_FOUND');
  });

  it('tries the next candidate path when the first fails, and reports both', async () => {
    // The expired certificate of the sub CA comes first in the input.
    const r = await validatePath({ certificates: [leaf, expiredSub, sub], trustAnchors: [root], time: NOW() });
    expect(r.valid).toBe(true);
    expect(r.attempts).toHaveLength(2);
    expect(r.attempts[0]!.failures.map((f) => f.code)).toEqual(['CERT_EXPIRED']);
    expect(r.attempts[0]!.path[1]!.equals(expiredSub)).toBe(true);
    expect(r.path[1]!.equals(sub)).toBe(true);
    // Only the expired one: the failure names the certificate.
    const bad = await validatePath({ certificates: [leaf, expiredSub], trustAnchors: [root], time: NOW() });
    expect(bad.failures).toEqual([expect.objectContaining({ certIndex: 1, code: 'CERT_EXPIRED' })]);
  });

  it('checks validity of the end entity at the validation time', async () => {
    const early = await validatePath({ certificates: [leaf, sub], trustAnchors: [root], time: new Date('2023-06-01T00:00:00Z') });
    expect(early.failures.map((f) => [f.certIndex, f.code])).toEqual([
      [1, 'CERT_NOT_YET_VALID'],
      [0, 'CERT_NOT_YET_VALID'],
    ]);
    const late = await validatePath({ certificates: [leaf, sub], trustAnchors: [root], time: new Date('2034-01-01T00:00:00Z') });
    expect(late.failures.map((f) => f.code)).toEqual(['CERT_EXPIRED']);
  });

  it('detects a tampered certificate in the path (tamper twin)', async () => {
    const der = leaf.der.slice();
    const i = der.length - 20; // inside the signature value
    der[i] = der[i]! ^ 0xff;
    const r = await validatePath({ certificates: [Certificate.fromDer(der), sub], trustAnchors: [root], time: NOW() });
    expect(r.failures.map((f) => [f.certIndex, f.code])).toEqual([[0, 'SIGNATURE_INVALID']]);
  });

  it('checks the purpose of the end-entity certificate', async () => {
    const ok = async (c: Certificate, purpose: 'document-signing' | 'timestamping' | 'ocsp-signing') =>
      (await validatePath({ certificates: [c, sub], trustAnchors: [root], time: NOW(), purpose })).failures.map((f) => f.code);
    expect(await ok(leaf, 'document-signing')).toEqual([]);
    expect(await ok(leaf, 'timestamping')).toEqual(['EKU_NOT_ALLOWED']);
    expect(await ok(tsa, 'timestamping')).toEqual([]);
    expect(await ok(tsa, 'document-signing')).toEqual(['EKU_NOT_ALLOWED']);
    expect(await ok(ocspCert, 'ocsp-signing')).toEqual([]);
    expect(await ok(server, 'document-signing')).toEqual(['EKU_NOT_ALLOWED']);
    expect(await ok(server, 'ocsp-signing')).toEqual(['EKU_NOT_ALLOWED']);
    expect((await validatePath({ certificates: [server, sub], trustAnchors: [root], time: NOW() })).valid).toBe(true);
  });

  it('refuses an intermediate that is not a CA, and honours pathLenConstraint', async () => {
    // A certificate "issued" by the leaf: the leaf is not a CA.
    openssl(pki.dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'leaf.pem', '-CAkey', 'leaf.key', '-set_serial', '77', '-days', '30', '-out', 'under-leaf.pem']);
    const underLeaf = cert('under-leaf.pem');
    const r = await validatePath({ certificates: [underLeaf, leaf, sub], trustAnchors: [root], time: NOW() });
    expect(r.failures.map((f) => [f.certIndex, f.code])).toEqual([
      [1, 'NOT_A_CA'],
      [1, 'PATH_LENGTH_EXCEEDED'],
      [1, 'KEY_CERT_SIGN_MISSING'],
    ]);
    // The sub CA has pathlen:0, so a CA below it may not issue.
    const subsub = cert(pki.issue('sub', 'subsub', '/CN=Sub Sub CA', 'v3_ca_any'));
    openssl(pki.dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'subsub.pem', '-CAkey', 'subsub.key', '-set_serial', '78', '-days', '30', '-out', 'under-subsub.pem']);
    const r2 = await validatePath({ certificates: [cert('under-subsub.pem'), subsub, sub], trustAnchors: [root], time: NOW() });
    expect(r2.failures.map((f) => [f.certIndex, f.code])).toEqual([[1, 'PATH_LENGTH_EXCEEDED']]);
  });

  it('accepts a trust anchor given as the certificate itself', async () => {
    const r = await validatePath({ certificates: [root], trustAnchors: [root], time: NOW() });
    expect(r.valid).toBe(true);
    expect(r.path).toEqual([]);
  });

  it('throws BAD_ARGUMENT on misuse', async () => {
    await expect(validatePath({ certificates: [], trustAnchors: [root] })).rejects.toThrow(TrustError);
    await expect(validatePath({ certificates: [leaf], trustAnchors: 'root' as never })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});

describe('buildPaths', () => {
  let crossDir: TestPki;
  beforeAll(() => {
    crossDir = makePki();
  });
  afterAll(() => crossDir.cleanup());

  it('follows a cross-certificate to another anchor and refuses loops', () => {
    // Root B cross-certifies root A (same subject and key as A's self-signed certificate).
    const d = crossDir.dir;
    openssl(d, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'b.key', '-out', 'b.pem', '-days', '3650', '-subj', '/CN=Root B', '-config', 'openssl.cnf', '-extensions', 'v3_root']);
    openssl(d, ['x509', '-x509toreq', '-in', 'root.pem', '-signkey', 'root.key', '-out', 'a.csr']);
    openssl(d, ['x509', '-req', '-in', 'a.csr', '-CA', 'b.pem', '-CAkey', 'b.key', '-set_serial', '5', '-days', '365', '-extfile', 'openssl.cnf', '-extensions', 'v3_ca_any', '-out', 'a-by-b.pem']);
    const a = Certificate.fromPem(crossDir.read('root.pem'));
    const b = Certificate.fromPem(crossDir.read('b.pem'));
    const aByB = Certificate.fromPem(crossDir.read('a-by-b.pem'));
    const subA = Certificate.fromPem(crossDir.read('sub.pem'));
    const paths = [...buildPaths({ leaf: subA, candidates: [a, aByB], trustAnchors: [b] })];
    // a (self-signed) cannot lead anywhere: its issuer is itself, and the cross-certificate has
    // the same subject and key, so following it from a would be a loop.
    expect(paths.map((p) => p.certificates.map((c) => c.fingerprintSha256))).toEqual([[subA.fingerprintSha256, aByB.fingerprintSha256]]);
    expect(paths[0]!.trustAnchor.equals(b)).toBe(true);
    const both = [...buildPaths({ leaf: subA, candidates: [aByB], trustAnchors: [b, a] })];
    expect(both.map((p) => [p.certificates.length, p.trustAnchor.subject.commonName])).toEqual([
      [1, 'Kyso Test Root'],
      [2, 'Root B'],
    ]);
  });

  it('terminates on mutually cross-certified CAs without an anchor', async () => {
    const d = crossDir.dir;
    const cnf = ['-config', 'openssl.cnf'];
    openssl(d, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'x.key', '-out', 'x.csr', '-subj', '/CN=X', ...cnf]);
    openssl(d, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'y.key', '-out', 'y.csr', '-subj', '/CN=Y', ...cnf]);
    openssl(d, ['x509', '-req', '-in', 'x.csr', '-signkey', 'x.key', '-out', 'x-self.pem', '-days', '30']);
    openssl(d, ['x509', '-req', '-in', 'y.csr', '-signkey', 'y.key', '-out', 'y-self.pem', '-days', '30']);
    openssl(d, ['x509', '-req', '-in', 'x.csr', '-CA', 'y-self.pem', '-CAkey', 'y.key', '-set_serial', '1', '-out', 'x-by-y.pem', '-days', '30', '-extfile', 'openssl.cnf', '-extensions', 'v3_ca_noaki']);
    openssl(d, ['x509', '-req', '-in', 'y.csr', '-CA', 'x-self.pem', '-CAkey', 'x.key', '-set_serial', '2', '-out', 'y-by-x.pem', '-days', '30', '-extfile', 'openssl.cnf', '-extensions', 'v3_ca_noaki']);
    const xy = Certificate.fromPem(crossDir.read('x-by-y.pem'));
    const yx = Certificate.fromPem(crossDir.read('y-by-x.pem'));
    const unrelated = Certificate.fromPem(crossDir.read('root.pem'));
    expect([...buildPaths({ leaf: xy, candidates: [yx, xy], trustAnchors: [unrelated] })]).toEqual([]);
    const r = await validatePath({ certificates: [xy, yx], trustAnchors: [unrelated] });
    expect(r.failures.map((f) => f.code)).toEqual(['NO_PATH_FOUND']);
  });
});
