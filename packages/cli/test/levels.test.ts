import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePem } from '@kyso/core';
import { createTestPki, toPkcs12 } from '@kyso/testkit';
import { startPkiServer, type PkiServer } from '@kyso/testkit/node';
import { fixturePath } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kyso, kysoAsync, tempDir } from './helpers.js';

describe('kyso sign --level B-T|B-LT|B-LTA with a TSA and OCSP on 127.0.0.1', () => {
  const dir = tempDir();
  const f = (n: string) => join(dir, n);
  let server: PkiServer;
  beforeAll(async () => {
    server = await startPkiServer({ pki: (baseUrl) => createTestPki({ baseUrl, keySpec: 'ecdsa-p256' }) });
    writeFileSync(f('root.pem'), encodePem(server.pki.root.certificate, 'CERTIFICATE'));
    writeFileSync(f('leader.p12'), await toPkcs12(server.pki.cadres.leader, 'kyso'));
  });
  afterAll(() => server?.close());

  for (const level of ['B-T', 'B-LT', 'B-LTA'] as const) {
    it(`signs at ${level} and verification reports ${level}`, async () => {
      const out = f(`${level}.pdf`);
      const r = await kysoAsync(['sign', fixturePath('pdfs', 'libreoffice-vi.pdf'), '-o', out, '--p12', f('leader.p12'), '--password-env', 'KYSO_PW', '--level', level, '--tsa', server.tsaUrl, '--trust', f('root.pem')], { env: { KYSO_PW: 'kyso' } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // B-T carries no revocation data: it is checked online (the OCSP responder is up);
      // B-LT and B-LTA carry theirs, so they verify offline.
      const offline = level === 'B-T' ? [] : ['--offline'];
      const v = await kysoAsync(['verify', out, '--trust', f('root.pem'), ...offline, '--format', 'json']);
      const rep = JSON.parse(v.stdout);
      expect(rep.signatures[0].indication).toBe('TOTAL-PASSED');
      expect(rep.signatures[0].level).toBe(level);
      expect(rep.signatures[0].timestampTime).not.toBeNull();
      // tamper twin
      const bytes = readFileSync(out);
      bytes[bytes.indexOf('/Producer') + 3] ^= 1;
      writeFileSync(f(`${level}-bad.pdf`), bytes);
      const bad = JSON.parse((await kysoAsync(['verify', f(`${level}-bad.pdf`), '--trust', f('root.pem'), ...offline, '--format', 'json'])).stdout);
      expect(bad.signatures[0].indication).toBe('TOTAL-FAILED');
    });
  }

  it('offline, a B-T signature without revocation data is not TOTAL-PASSED', async () => {
    const v = JSON.parse((await kysoAsync(['verify', f('B-T.pdf'), '--trust', f('root.pem'), '--offline', '--format', 'json'])).stdout);
    expect(v.signatures[0].indication).toBe('INDETERMINATE');
  });

  it('CAdES at B-LTA: verifies offline at B-LTA, OpenSSL still accepts it, and fails over other content', async () => {
    writeFileSync(f('report.txt'), 'Báo cáo chuyển đổi số năm 2027\n');
    const p7s = f('report.txt.p7s');
    const r = await kysoAsync(['cades', 'sign', f('report.txt'), '-o', p7s, '--p12', f('leader.p12'), '--password-env', 'KYSO_PW', '--level', 'B-LTA', '--tsa', server.tsaUrl, '--trust', f('root.pem')], { env: { KYSO_PW: 'kyso' } });
    expect(r.stderr).toBe('');
    const v = JSON.parse((await kysoAsync(['cades', 'verify', p7s, '--content', f('report.txt'), '--trust', f('root.pem'), '--offline', '--format', 'json'])).stdout);
    expect(v.indication).toBe('TOTAL-PASSED');
    expect(v.level).toBe('B-LTA');
    expect(v.timestamps.map((t: { type: string }) => t.type)).toEqual(['signature', 'archive']);
    const o = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', f('report.txt'), '-CAfile', f('root.pem'), '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
    expect(o.stderr).toContain('Verification successful');
    writeFileSync(f('other.txt'), 'Báo cáo khác\n');
    const bad = JSON.parse((await kysoAsync(['cades', 'verify', p7s, '--content', f('other.txt'), '--trust', f('root.pem'), '--offline', '--format', 'json'])).stdout);
    expect(bad.indication).toBe('TOTAL-FAILED');
  });

  it('a level above B-B without --tsa is a usage error', () => {
    const r = kyso(['sign', fixturePath('pdfs', 'libreoffice-vi.pdf'), '-o', f('x.pdf'), '--p12', f('leader.p12'), '--password-env', 'KYSO_PW', '--level', 'B-T'], { env: { KYSO_PW: 'kyso' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tsa URL/);
    expect(kyso(['sign', 'x.pdf', '-o', f('y.pdf'), '--level', 'B-X']).stderr).toMatch(/--level must be one of/);
  });
});
