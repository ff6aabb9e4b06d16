import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestIdentity, type TestPki } from '@kyso/testkit';
import { encodePem } from '@kyso/core';
import { epoch, openssl, tempDir } from './helpers/openssl.js';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('createTestPki (seeded, RSA-2048)', () => {
  let pki: TestPki;
  const tmp = tempDir();
  const files: Record<string, string> = {};
  beforeAll(async () => {
    pki = await createTestPki({ seed: 'testkit-pki-test', now: NOW, baseUrl: 'http://127.0.0.1:8099/' });
    for (const [name, id] of pki.identities) files[name] = tmp.write(`${name}.pem`, id.certificatePem);
    files.govCrl = tmp.write('gov.crl.pem', encodePem(pki.crls.governmentCa, 'X509 CRL'));
    files.rootCrl = tmp.write('root.crl.pem', encodePem(pki.crls.root, 'X509 CRL'));
  });
  afterAll(() => tmp.cleanup());

  const verify = (id: TestIdentity, extra: string[] = []) =>
    openssl(['verify', '-attime', epoch(NOW), '-CAfile', files.root!, '-untrusted', files.governmentCa!, ...extra, files[id.name]!]);

  it('chains every good cadre, the seal, the TSA and the OCSP responder to the root at `now`', () => {
    for (const id of [...Object.values(pki.cadres), pki.seal, pki.tsa, pki.ocspResponder]) {
      const r = verify(id);
      expect(r.stdout + r.stderr).toContain(': OK');
      expect(r.status).toBe(0);
    }
  });

  it('rejects the expired and not-yet-valid cadres at `now`', () => {
    const e = verify(pki.expired);
    expect(e.status).not.toBe(0);
    expect(e.stderr + e.stdout).toContain('certificate has expired');
    const n = verify(pki.notYetValid);
    expect(n.status).not.toBe(0);
    expect(n.stderr + n.stdout).toContain('certificate is not yet valid');
  });

  it('rejects the revoked cadre with the government CA CRL, and accepts the others', () => {
    const crl = ['-crl_check_all', '-CRLfile', files.govCrl!, '-CRLfile', files.rootCrl!];
    const r = verify(pki.revoked, crl);
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('certificate revoked');
    const ok = verify(pki.cadres.leader, crl);
    expect(ok.stdout).toContain(': OK');
    // Without the CRL the revoked certificate is otherwise fine: the CRL is what rejects it.
    expect(verify(pki.revoked).status).toBe(0);
  });

  it('writes Vietnamese names as UTF8String, exactly', () => {
    const r = openssl(['x509', '-in', files.leader!, '-noout', '-subject', '-nameopt', 'utf8,sep_multiline']);
    expect(r.stdout).toContain('CN=Nguyễn Văn An');
    expect(r.stdout).toContain('O=UBND tỉnh Bắc Ninh');
    expect(r.stdout).toContain('OU=Văn phòng');
    expect(r.stdout).toContain('title=Chủ tịch');
    expect(r.stdout).toContain('UID=CCCD:001085012345');
    expect(r.stdout).toContain('C=VN');
    const revoked = openssl(['x509', '-in', files.revoked!, '-noout', '-subject', '-nameopt', 'utf8,sep_multiline']);
    expect(revoked.stdout).toContain('CN=Đặng Văn Hùng');
    // ASN.1 dump: the CN is a UTF8STRING, the country a PRINTABLESTRING.
    const dump = openssl(['asn1parse', '-in', files.leader!]).stdout;
    expect(dump).toMatch(/commonName\s*\n.*UTF8STRING/);
    expect(dump).toMatch(/countryName\s*\n.*PRINTABLESTRING\s*:VN/);
  });

  it('gives each certificate the extensions of its role', () => {
    const text = (name: string) => openssl(['x509', '-in', files[name]!, '-noout', '-text']).stdout;
    const root = text('root');
    expect(root).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(root).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const gov = text('governmentCa');
    expect(gov).toMatch(/CA:TRUE, pathlen:0/);
    expect(gov).toContain('URI:http://127.0.0.1:8099/crl/root.crl');
    expect(gov).toContain('CA Issuers - URI:http://127.0.0.1:8099/certs/root.cer');
    const leader = text('leader');
    expect(leader).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(leader).toMatch(/Extended Key Usage: \s+E-mail Protection, 1\.3\.6\.1\.5\.5\.7\.3\.36/);
    expect(leader).toContain('URI:http://127.0.0.1:8099/crl/government-ca.crl');
    expect(leader).toContain('OCSP - URI:http://127.0.0.1:8099/ocsp');
    expect(leader).toContain('email:annv@bacninh.gov.vn');
    const tsa = text('tsa');
    expect(tsa).toMatch(/Extended Key Usage: critical\s+Time Stamping\n/);
    const ocsp = text('ocspResponder');
    expect(ocsp).toMatch(/Extended Key Usage: \s+OCSP Signing/);
    expect(ocsp).toContain('OCSP No Check');
    const seal = openssl(['x509', '-in', files.seal!, '-noout', '-subject', '-nameopt', 'utf8,sep_multiline']).stdout;
    expect(seal).toContain('UID=MST:2300000000');
    expect(seal).toContain('CN=Ủy ban nhân dân tỉnh Bắc Ninh');
    // OpenSSL's purpose checks agree with the profiles.
    const purpose = (name: string) => openssl(['x509', '-in', files[name]!, '-noout', '-purpose']).stdout;
    expect(purpose('tsa')).toContain('Time Stamp signing : Yes');
    expect(purpose('leader')).toContain('S/MIME signing : Yes');
    expect(purpose('leader')).toContain('Time Stamp signing : No');
  });

  it('lists the revoked cadre in the government CA CRL with reason keyCompromise', () => {
    const r = openssl(['crl', '-in', files.govCrl!, '-noout', '-text']);
    expect(r.stdout).toContain(`Serial Number: ${pki.revoked.serialNumber.toUpperCase()}`);
    expect(r.stdout).toContain('Key Compromise');
    const v = openssl(['crl', '-in', files.govCrl!, '-noout', '-CAfile', files.governmentCa!]);
    expect(v.stderr + v.stdout).toContain('verify OK');
  });

  it('checks that the private key matches the certificate', () => {
    for (const id of pki.identities.values()) {
      const pubFromCert = openssl(['x509', '-in', files[id.name]!, '-noout', '-pubkey']).stdout;
      const pubFromKey = openssl(['pkey', '-pubout'], id.privateKeyPem).stdout;
      expect(pubFromKey).toBe(pubFromCert);
    }
  });
});
