import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki } from '@kyso/testkit';
import { startCrlServer, startPkiServer, type PkiServer } from '@kyso/testkit/node';
import { opensslAsync, tempDir } from '../helpers/openssl.js';

describe('startPkiServer', () => {
  let server: PkiServer;
  const tmp = tempDir();
  const f: Record<string, string> = {};
  beforeAll(async () => {
    // The PKI is made after the server has its port, so the certificates point at it.
    server = await startPkiServer({ pki: (baseUrl) => createTestPki({ seed: 'pki-server-test', baseUrl, keySpec: 'ecdsa-p256' }) });
    for (const [name, id] of server.pki.identities) f[name] = tmp.write(`${name}.pem`, id.certificatePem);
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('puts its own URLs into the certificates', async () => {
    expect(server.pki.urls?.ocsp).toBe(`${server.url}/ocsp`);
    const uri = await opensslAsync(['x509', '-in', f.leader!, '-noout', '-ocsp_uri']);
    expect(uri.stdout.trim()).toBe(server.ocspUrl);
  });

  it('lets openssl download the CRLs from the CRL DPs and reject the revoked cadre', async () => {
    // -crl_check (not _all): a self-signed root has no CRL DP; the government CA is checked
    // against the root's CRL as a leaf of its own below.
    const v = (name: string) =>
      opensslAsync(['verify', '-crl_check', '-crl_download', '-CAfile', f.root!, '-untrusted', f.governmentCa!, f[name]!]);
    const ca = await opensslAsync(['verify', '-crl_check', '-crl_download', '-CAfile', f.root!, f.governmentCa!]);
    expect(ca.stdout, ca.stderr).toContain(': OK');
    const good = await v('leader');
    expect(good.stdout, good.stderr).toContain(': OK');
    const bad = await v('revoked');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr + bad.stdout).toContain('certificate revoked');
    const paths = server.requests.map((r) => r.path);
    expect(paths).toContain('/crl/government-ca.crl');
    expect(paths).toContain('/crl/root.crl');
  });

  it('answers OCSP at the AIA URL and time-stamps at /tsa', async () => {
    const o = await opensslAsync(['ocsp', '-issuer', f.governmentCa!, '-cert', f.revoked!, '-url', server.ocspUrl, '-CAfile', f.root!]);
    expect(o.stderr).toContain('Response verify OK');
    expect(o.stdout).toContain(': revoked');
    const data = tmp.write('data.txt', 'Tờ trình');
    const q = await opensslAsync(['ts', '-query', '-data', data, '-sha256', '-cert']);
    const res = await fetch(server.tsaUrl, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: q.stdoutBytes });
    const tsr = tmp.write('r.tsr', new Uint8Array(await res.arrayBuffer()));
    const untrusted = tmp.write('untrusted.pem', server.pki.tsa.certificatePem + server.pki.governmentCa.certificatePem);
    const v = await opensslAsync(['ts', '-verify', '-data', data, '-in', tsr, '-CAfile', f.root!, '-untrusted', untrusted]);
    expect(v.stdout, v.stderr).toContain('Verification: OK');
    expect(server.tsa.granted).toBe(1);
  });

  it('serves the CA certificates and 404s the rest', async () => {
    const r = await fetch(`${server.url}/certs/government-ca.cer`);
    expect(r.headers.get('content-type')).toBe('application/pkix-cert');
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(server.pki.governmentCa.certificate);
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
  });
});

describe('startCrlServer', () => {
  it('serves CRLs that list revocations made after the PKI', async () => {
    const pki = await createTestPki({ seed: 'crl-server-test', keySpec: 'ecdsa-p256' });
    const server = await startCrlServer({ pki });
    const tmp = tempDir();
    try {
      const get = async () => new Uint8Array(await (await fetch(`${server.url}/crl/government-ca.crl`)).arrayBuffer());
      const before = await opensslAsync(['crl', '-inform', 'DER', '-noout', '-text'], await get());
      expect(before.stdout).toContain(pki.revoked.serialNumber.toUpperCase());
      expect(before.stdout).not.toContain(pki.cadres.head.serialNumber.toUpperCase());
      pki.revoke(pki.cadres.head, new Date(pki.now.getTime() - 1000), 'superseded');
      const after = await opensslAsync(['crl', '-inform', 'DER', '-noout', '-text', '-CAfile', tmp.write('gov.pem', pki.governmentCa.certificatePem)], await get());
      expect(after.stdout).toContain(pki.cadres.head.serialNumber.toUpperCase());
      expect(after.stdout).toContain('Superseded');
      expect(after.stderr).toContain('verify OK');
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
      tmp.cleanup();
    }
  });
});
