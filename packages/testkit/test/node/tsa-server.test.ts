import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '@kyso/core';
import { createTestPki, type KeySpec, type TestPki } from '@kyso/testkit';
import { startTsaServer, type TsaServer } from '@kyso/testkit/node';
import { openssl, tempDir } from '../helpers/openssl.js';

const post = async (url: string, body: Uint8Array, contentType = 'application/timestamp-query') => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: r.status, contentType: r.headers.get('content-type'), body: new Uint8Array(await r.arrayBuffer()) };
};

describe('startTsaServer', () => {
  let pki: TestPki;
  let server: TsaServer;
  const tmp = tempDir();
  const at = new Date('2026-12-01T08:30:00Z');
  beforeAll(async () => {
    pki = await createTestPki({ seed: 'tsa-test', now: new Date('2026-12-01T00:00:00Z'), keySpec: 'ecdsa-p256' });
    server = await startTsaServer({ tsa: pki.tsa, clock: fixedClock(at) });
    tmp.write('root.pem', pki.root.certificatePem);
    tmp.write('untrusted.pem', pki.tsa.certificatePem + pki.governmentCa.certificatePem);
    tmp.write('gov.pem', pki.governmentCa.certificatePem);
    tmp.write('data.txt', 'Quyết định số 01/QĐ-UBND');
    tmp.write('other.txt', 'Quyết định số 02/QĐ-UBND');
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  const query = (name: string, extra: string[] = []) => {
    const out = `${tmp.dir}/${name}.tsq`;
    const r = openssl(['ts', '-query', '-data', `${tmp.dir}/data.txt`, '-sha256', ...extra, '-out', out]);
    expect(r.status, r.stderr).toBe(0);
    return out;
  };
  const ask = async (tsq: string, name: string) => {
    const r = await post(server.url, new Uint8Array(readFileSync(tsq)));
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('application/timestamp-reply');
    return tmp.write(`${name}.tsr`, r.body);
  };
  const verify = (args: string[]) => openssl(['ts', '-verify', ...args, '-CAfile', `${tmp.dir}/root.pem`, '-untrusted', `${tmp.dir}/untrusted.pem`]);

  it('grants a token that `openssl ts -verify` accepts, with nonce, policy, accuracy and the TSA cert', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const tsq = query('q1', ['-cert']);
    const tsr = await ask(tsq, 'r1');
    const v = verify(['-queryfile', tsq, '-in', tsr]);
    expect(v.stdout, v.stderr).toContain('Verification: OK');
    const text = openssl(['ts', '-reply', '-in', tsr, '-text']).stdout;
    expect(text).toContain('Status: Granted.');
    expect(text).toContain('Policy OID: 2.999.84.2');
    expect(text).toContain('Time stamp: Dec  1 08:30:00 2026 GMT');
    expect(text).toContain('Accuracy: 0x01 seconds');
    const nonce = /Nonce: (0x[0-9A-F]+)/.exec(openssl(['ts', '-query', '-in', tsq, '-text']).stdout)?.[1];
    expect(nonce).toBeDefined();
    expect(text).toContain(`Nonce: ${nonce}`);
    // certReq → the TSA certificate is in the token.
    const token = openssl(['ts', '-reply', '-in', tsr, '-token_out', '-out', `${tmp.dir}/t1.der`]);
    expect(token.status).toBe(0);
    const certs = openssl(['pkcs7', '-inform', 'DER', '-in', `${tmp.dir}/t1.der`, '-print_certs', '-noout']).stdout;
    expect(certs).toContain('CN = TSA Test');
  });

  it('fails verification for other data (tamper twin) and counts serial numbers up', async () => {
    const tsq = query('q2', ['-cert']);
    const tsr = await ask(tsq, 'r2');
    const bad = verify(['-data', `${tmp.dir}/other.txt`, '-in', tsr]);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/message imprint mismatch/);
    expect(verify(['-data', `${tmp.dir}/data.txt`, '-in', tsr]).stdout).toContain('Verification: OK');
    const s1 = /Serial number: (0x[0-9A-F]+)/.exec(openssl(['ts', '-reply', '-in', `${tmp.dir}/r1.tsr`, '-text']).stdout)?.[1];
    const s2 = /Serial number: (0x[0-9A-F]+)/.exec(openssl(['ts', '-reply', '-in', tsr, '-text']).stdout)?.[1];
    expect(s1).not.toBe(s2);
  });

  it('leaves the certificate out without certReq (then -untrusted supplies it)', async () => {
    const tsq = query('q3');
    const tsr = await ask(tsq, 'r3');
    openssl(['ts', '-reply', '-in', tsr, '-token_out', '-out', `${tmp.dir}/t3.der`]);
    const certs = openssl(['pkcs7', '-inform', 'DER', '-in', `${tmp.dir}/t3.der`, '-print_certs', '-noout']).stdout;
    expect(certs).not.toContain('CN = TSA Test');
    expect(verify(['-queryfile', tsq, '-in', tsr]).stdout).toContain('Verification: OK');
  });

  it('rejects another policy, a non-DER body and GET', async () => {
    const tsq = query('q4', ['-tspolicy', '1.2.3.4']);
    const tsr = await ask(tsq, 'r4');
    const text = openssl(['ts', '-reply', '-in', tsr, '-text']).stdout;
    expect(text).toContain('Status: Rejected.');
    expect(text).toContain('the requested TSA policy is not supported');
    const junk = await post(server.url, new TextEncoder().encode('not asn.1'));
    const junkText = openssl(['ts', '-reply', '-in', tmp.write('junk.tsr', junk.body), '-text']).stdout;
    expect(junkText).toContain('Status: Rejected.');
    expect(junkText).toContain('the data submitted has the wrong format');
    expect((await fetch(server.url)).status).toBe(405);
  });

  // OpenSSL's `ts -verify` goes through its PKCS#7 code, which has no RSA-PSS; a PSS token is
  // checked with `openssl cms -verify` instead (the TSTInfo content comes out intact).
  it.each<KeySpec>(['rsa-2048', 'rsa-pss-2048', 'ecdsa-p384'])('works with a %s TSA key', async (keySpec) => {
    const tsa = await pki.issue({ name: `tsa-${keySpec}`, profile: 'tsa', keySpec, subject: { C: 'VN', CN: `TSA ${keySpec}` } });
    const s = await startTsaServer({ tsa, clock: fixedClock(at), includeChain: true });
    try {
      const tsq = query(`q-${keySpec}`, ['-cert']);
      const r = await post(s.url, new Uint8Array(readFileSync(tsq)));
      const tsr = tmp.write(`r-${keySpec}.tsr`, r.body);
      tmp.write(`u-${keySpec}.pem`, tsa.certificatePem + pki.governmentCa.certificatePem);
      if (keySpec !== 'rsa-pss-2048') {
        const v = openssl(['ts', '-verify', '-queryfile', tsq, '-in', tsr, '-CAfile', `${tmp.dir}/root.pem`, '-untrusted', `${tmp.dir}/u-${keySpec}.pem`]);
        expect(v.stdout, v.stderr).toContain('Verification: OK');
      }
      const token = `${tmp.dir}/t-${keySpec}.der`;
      expect(openssl(['ts', '-reply', '-in', tsr, '-token_out', '-out', token]).status).toBe(0);
      const c = openssl(['cms', '-verify', '-inform', 'DER', '-in', token, '-CAfile', `${tmp.dir}/root.pem`, '-purpose', 'timestampsign', '-attime', String(at.getTime() / 1000)]);
      expect(c.stderr).toContain('Verification successful');
      expect(c.stdoutBytes[0]).toBe(0x30); // the DER TSTInfo
    } finally {
      await s.close();
    }
  });
});
