import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { Certificate, DistinguishedName, Oid, TrustError } from '@kyso/trust';
import { openssl, tempDir } from './helpers/openssl.js';

const t = tempDir();
afterAll(() => t.cleanup());

const ext = `[req]
distinguished_name=dn
[dn]
[v3_ca]
basicConstraints=critical,CA:TRUE,pathlen:1
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
certificatePolicies=1.2.3.4,2.5.29.32.0
nameConstraints=critical,permitted;DNS:.gov.vn,permitted;email:.gov.vn,excluded;IP:10.0.0.0/255.0.0.0
[v3_leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
extendedKeyUsage=emailProtection,1.3.6.1.5.5.7.3.36
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=email:a@bnv.gov.vn,DNS:bnv.gov.vn,URI:https://bnv.gov.vn/a,IP:192.168.1.1
crlDistributionPoints=URI:http://ca.example.vn/ca.crl
authorityInfoAccess=OCSP;URI:http://ocsp.example.vn,caIssuers;URI:http://ca.example.vn/ca.crt
`;

beforeAll(() => {
  t.write('ext.cnf', ext);
  openssl(t.dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650',
    '-subj', '/C=VN/O=Ban Cơ yếu Chính phủ/CN=Kyso Test CA', '-utf8', '-set_serial', '0x1122334455',
    '-config', 'ext.cnf', '-extensions', 'v3_ca']);
  openssl(t.dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-utf8',
    '-subj', '/C=VN/ST=Hà Nội/O=Bộ Nội vụ/OU=Văn phòng, Bộ/CN=Nguyễn Văn A', '-config', 'ext.cnf']);
  openssl(t.dir, ['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x00ff01',
    '-days', '365', '-extfile', 'ext.cnf', '-extensions', 'v3_leaf', '-out', 'leaf.pem']);
});

describe('Certificate', () => {
  it('parses names with UTF-8 intact in RFC 4514 form and keeps the raw DER', () => {
    const leaf = Certificate.fromPem(new TextDecoder().decode(t.read('leaf.pem')));
    expect(leaf.subject.toString()).toBe('CN=Nguyễn Văn A,OU=Văn phòng\\, Bộ,O=Bộ Nội vụ,ST=Hà Nội,C=VN');
    expect(leaf.issuer.toString()).toBe('CN=Kyso Test CA,O=Ban Cơ yếu Chính phủ,C=VN');
    expect(leaf.subject.commonName).toBe('Nguyễn Văn A');
    expect(DistinguishedName.fromDer(leaf.issuer.der).equals(leaf.issuer)).toBe(true);
    const subjectDer = openssl(t.dir, ['x509', '-in', 'leaf.pem', '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb']).toString();
    expect(subjectDer.trim()).toBe(`subject=${leaf.subject.toString()}`);
  });

  it('reads serial, validity, fingerprint and the extensions', () => {
    const leaf = Certificate.fromPem(t.read('leaf.pem'));
    const ca = Certificate.fromPem(t.read('ca.pem'));
    expect(leaf.serialNumberHex).toBe('00ff01');
    expect(leaf.serialNumber).toBe(0xff01n);
    expect(ca.serialNumberHex).toBe('1122334455');
    expect(leaf.version).toBe(3);
    const fp = openssl(t.dir, ['x509', '-in', 'leaf.pem', '-noout', '-fingerprint', '-sha256']).toString();
    expect(fp.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()).toBe(leaf.fingerprintSha256);
    const end = openssl(t.dir, ['x509', '-in', 'leaf.pem', '-noout', '-enddate']).toString().split('=')[1]!.trim();
    expect(leaf.notAfter.getTime()).toBe(new Date(end).getTime());
    expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBe(365 * 86400_000);

    expect(ca.basicConstraints).toEqual({ ca: true, pathLenConstraint: 1 });
    expect(ca.keyUsage?.keyCertSign).toBe(true);
    expect(ca.keyUsage?.digitalSignature).toBe(false);
    expect(ca.certificatePolicies?.map((p) => p.policyIdentifier)).toEqual(['1.2.3.4', Oid.anyPolicy]);
    expect(ca.nameConstraints?.permitted?.map((s) => s.base)).toEqual([
      { type: 'dNSName', value: '.gov.vn' },
      { type: 'rfc822Name', value: '.gov.vn' },
    ]);
    expect(ca.nameConstraints?.excluded?.[0]?.base).toEqual({ type: 'iPAddress', bytes: Uint8Array.of(10, 0, 0, 0, 255, 0, 0, 0) });
    expect(ca.isSelfIssued).toBe(true);

    expect(leaf.basicConstraints).toEqual({ ca: false });
    expect(leaf.keyUsage?.nonRepudiation).toBe(true);
    expect(leaf.keyUsage?.keyCertSign).toBe(false);
    expect(leaf.extKeyUsage).toEqual([Oid.kpEmailProtection, Oid.kpDocumentSigning]);
    expect(leaf.authorityKeyIdentifier?.keyIdentifier).toEqual(ca.subjectKeyIdentifier);
    expect(leaf.subjectAltName).toEqual([
      { type: 'rfc822Name', value: 'a@bnv.gov.vn' },
      { type: 'dNSName', value: 'bnv.gov.vn' },
      { type: 'uniformResourceIdentifier', value: 'https://bnv.gov.vn/a' },
      { type: 'iPAddress', bytes: Uint8Array.of(192, 168, 1, 1) },
    ]);
    expect(leaf.crlUrls).toEqual(['http://ca.example.vn/ca.crl']);
    expect(leaf.ocspUrls).toEqual(['http://ocsp.example.vn']);
    expect(leaf.caIssuersUrls).toEqual(['http://ca.example.vn/ca.crt']);
    expect(leaf.isSelfIssued).toBe(false);
    expect(Object.isFrozen(leaf.extensions)).toBe(true);
  });

  it('round-trips PEM and reads several certificates from one file', () => {
    const pem = new TextDecoder().decode(t.read('leaf.pem')) + new TextDecoder().decode(t.read('ca.pem'));
    const all = Certificate.allFromPem(pem);
    expect(all.map((c) => c.subject.commonName)).toEqual(['Nguyễn Văn A', 'Kyso Test CA']);
    expect(Certificate.fromPem(all[1]!.toPem()).equals(all[1]!)).toBe(true);
  });

  it('throws CERT_MALFORMED on garbage and truncated DER', () => {
    const der = Certificate.fromPem(t.read('leaf.pem')).der;
    expect(() => Certificate.fromDer(der.subarray(0, der.length - 10))).toThrow(TrustError);
    try {
      Certificate.fromDer(Uint8Array.of(1, 2, 3));
    } catch (e) {
      expect((e as TrustError).code).toBe('CERT_MALFORMED');
    }
    expect(() => Certificate.fromPem('hello')).toThrow(/BEGIN CERTIFICATE/);
  });
});

describe('Node Buffer input (regression: Buffer.slice() is a view of the shared pool)', () => {
  it('a certificate read with readFileSync from a pooled Buffer verifies signatures', async () => {
    const { readFileSync } = await import('node:fs');
    const { fixturePath } = await import('@kyso/test-fixtures');
    const raw = readFileSync(fixturePath('pki', 'leader.cer'));
    const pooled = Buffer.concat([Buffer.from([1, 2, 3]), raw]).subarray(3); // non-zero byteOffset
    expect(pooled.byteOffset).toBeGreaterThan(0);
    const leader = Certificate.fromDer(pooled);
    const issuer = Certificate.fromDer(readFileSync(fixturePath('pki', 'government-ca.cer')));
    expect((await leader.verifySignedBy(issuer)).valid).toBe(true);
  });
});
