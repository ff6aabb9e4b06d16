import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestPki } from '@kyso/testkit';
import { writeTestPki, type TestPkiManifest } from '@kyso/testkit/node';
import { epoch, openssl, tempDir } from '../helpers/openssl.js';

describe('writeTestPki', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('writes PEM, DER, keys, chains, PKCS#12 and a manifest that OpenSSL can use', async () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const pki = await createTestPki({ seed: 'write-test', now, keySpec: 'ecdsa-p256' });
    const manifest = await writeTestPki(pki, tmp.dir);
    const onDisk = JSON.parse(readFileSync(join(tmp.dir, 'manifest.json'), 'utf8')) as TestPkiManifest;
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(onDisk.now).toBe(now.toISOString());
    expect(onDisk.seed).toBe('write-test');
    expect(Object.keys(onDisk.identities).sort()).toEqual(
      ['clerk', 'drafter', 'expired', 'governmentCa', 'head', 'leader', 'notYetValid', 'ocspResponder', 'revoked', 'root', 'seal', 'tsa'],
    );
    const leader = onDisk.identities.leader!;
    expect(leader.subject).toContain('CN=Nguyễn Văn An');
    const f = (name: string) => join(tmp.dir, name);
    // The chain file alone (issuer first, root last) is enough to verify the leaf.
    expect(openssl(['verify', '-attime', epoch(now), '-CAfile', f('root.pem'), '-untrusted', f(leader.chain!), f(leader.certificate)]).stdout).toContain(': OK');
    expect(openssl(['x509', '-inform', 'DER', '-in', f(leader.certificateDer), '-noout', '-fingerprint', '-sha256']).stdout.replace(/:/g, '').toLowerCase()).toContain(leader.certificateSha256);
    expect(openssl(['pkey', '-in', f(leader.privateKey), '-noout']).status).toBe(0);
    expect(openssl(['pkcs12', '-in', f(leader.pkcs12!), '-passin', 'pass:kyso', '-nodes', '-nokeys']).status).toBe(0);
    expect(openssl(['pkcs12', '-legacy', '-in', f(leader.pkcs12Legacy!), '-passin', 'pass:kyso', '-nodes', '-nokeys']).status).toBe(0);
    expect(openssl(['crl', '-inform', 'DER', '-in', f('government-ca.crl'), '-noout', '-CAfile', f('government-ca.pem')]).stderr).toContain('verify OK');
    expect(readdirSync(tmp.dir)).toContain('not-yet-valid.pem');
  });
});
