import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, toPkcs12, type TestIdentity, type TestPki } from '@kyso/testkit';
import { openssl, tempDir } from './helpers/openssl.js';

describe('toPkcs12', () => {
  let pki: TestPki;
  let ec: TestIdentity;
  const tmp = tempDir();
  beforeAll(async () => {
    pki = await createTestPki({ seed: 'p12-test', now: new Date('2026-12-01T00:00:00Z'), keySpec: 'rsa-2048' });
    ec = await pki.issue({ name: 'ec', keySpec: 'ecdsa-p384', subject: { C: 'VN', CN: 'Nguyễn Thị Ánh' } });
  });
  afterAll(() => tmp.cleanup());

  const cases = [
    ['modern', false],
    ['legacy', true],
  ] as const;

  for (const [kind, legacy] of cases) {
    it(`writes ${kind} files that OpenSSL 3 reads, for RSA and ECDSA keys`, async () => {
      for (const id of [pki.cadres.leader, ec]) {
        const file = tmp.write(`${id.name}-${kind}.p12`, await toPkcs12(id, 'kyso', { legacy }));
        const args = ['pkcs12', '-in', file, '-passin', 'pass:kyso', '-nodes', ...(legacy ? ['-legacy'] : [])];
        const info = openssl([...args, '-info', '-nokeys']);
        expect(info.status, info.stderr).toBe(0);
        if (legacy) {
          expect(info.stderr).toContain('MAC: sha1');
          expect(info.stderr).toContain('pbeWithSHA1And40BitRC2-CBC');
        } else {
          expect(info.stderr).toContain('MAC: sha256');
          expect(info.stderr).toContain('PBES2, PBKDF2, AES-256-CBC');
        }
        // The key inside is the identity's key, and the certificates are leaf + chain.
        const key = openssl([...args, '-nocerts']);
        expect(key.status).toBe(0);
        const inside = openssl(['pkey', '-pubout'], key.stdout).stdout;
        expect(inside).toBe(openssl(['pkey', '-pubout'], id.privateKeyPem).stdout);
        const certs = openssl([...args, '-nokeys']).stdout;
        expect(certs.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
        // Tamper twin: a wrong password is refused.
        expect(openssl(['pkcs12', '-in', file, '-passin', 'pass:wrong', '-nodes', ...(legacy ? ['-legacy'] : [])]).status).not.toBe(0);
      }
    });
  }

  it('needs -legacy for the legacy file (RC2-40 is not in OpenSSL 3 default provider)', async () => {
    const file = tmp.write('l.p12', await toPkcs12(pki.cadres.clerk, 'kyso', { legacy: true }));
    const r = openssl(['pkcs12', '-in', file, '-passin', 'pass:kyso', '-nodes']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('RC2-40-CBC');
  });

  it('is byte-identical with a seed and differs without', async () => {
    const a = await toPkcs12(pki.seal, 'kyso', { seed: 's' });
    const b = await toPkcs12(pki.seal, 'kyso', { seed: 's' });
    const c = await toPkcs12(pki.seal, 'kyso');
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('reads in NSS pk12util too (legacy)', async () => {
    const file = tmp.write('nss.p12', await toPkcs12(pki.cadres.head, 'kyso', { legacy: true }));
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('pk12util', ['-l', file, '-W', 'kyso']);
    if (r.error) throw new Error('pk12util is missing: install it with apt-get install libnss3-tools');
    expect(r.status, r.stderr?.toString()).toBe(0);
    expect(r.stdout.toString()).toContain('Lê Văn Cường');
  });
});
