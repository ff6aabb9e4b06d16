import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, generateTestKeyPair, KEY_SPECS, type TestPki } from '@kyso/testkit';
import { epoch, openssl, tempDir } from './helpers/openssl.js';

const NOW = new Date('2026-12-01T00:00:00Z');

const EXPECTED_ALG: Record<string, RegExp> = {
  'rsa-2048': /sha256WithRSAEncryption/,
  'rsa-3072': /sha256WithRSAEncryption/,
  'rsa-pss-2048': /rsassaPss[\s\S]*Hash Algorithm: sha256[\s\S]*Mask Algorithm: mgf1 with sha256[\s\S]*Salt Length: 0x20/,
  'ecdsa-p256': /ecdsa-with-SHA256/,
  'ecdsa-p384': /ecdsa-with-SHA384/,
};

// Each key spec as a CA (signing a leaf) and as a leaf, both seeded (deterministic signers:
// PKCS#1 v1.5, seeded PSS, RFC 6979 ECDSA) and random (WebCrypto signers).
describe.each([
  ['seeded', 'key-specs-test'],
  ['random', undefined],
] as const)('every KeySpec, %s', (_kind, seed) => {
  let pki: TestPki;
  const tmp = tempDir();
  beforeAll(async () => {
    pki = await createTestPki({ ...(seed ? { seed } : {}), now: NOW, keySpec: 'ecdsa-p256' });
    tmp.write('root.pem', pki.root.certificatePem);
  });
  afterAll(() => tmp.cleanup());

  it.each(KEY_SPECS)('%s signs certificates that OpenSSL verifies', async (spec) => {
    const ca = await pki.issue({ name: `ca-${spec}`, profile: 'ca', issuer: pki.root, keySpec: spec, pathLength: 0, subject: { C: 'VN', O: 'Test', CN: `CA ${spec}` } });
    const leaf = await pki.issue({ name: `leaf-${spec}`, issuer: ca, keySpec: spec, subject: { C: 'VN', CN: `Lê Thị ${spec}` } });
    expect(leaf.keySpec).toBe(spec);
    expect(leaf.hash).toBe(spec === 'ecdsa-p384' ? 'SHA-384' : 'SHA-256');
    const caFile = tmp.write(`ca-${spec}.pem`, ca.certificatePem);
    const leafFile = tmp.write(`leaf-${spec}.pem`, leaf.certificatePem);
    const text = openssl(['x509', '-in', leafFile, '-noout', '-text']).stdout;
    expect(text).toMatch(EXPECTED_ALG[spec]!);
    const bits = spec === 'rsa-3072' ? 3072 : spec === 'ecdsa-p256' ? 256 : spec === 'ecdsa-p384' ? 384 : 2048;
    expect(text).toContain(`Public-Key: (${bits} bit)`);
    const r = openssl(['verify', '-attime', epoch(NOW), '-CAfile', tmp.dir + '/root.pem', '-untrusted', caFile, leafFile]);
    expect(r.stdout).toContain(': OK');
    // Tamper twin: flip one byte of the leaf's signature and the chain no longer verifies.
    const bad = new Uint8Array(leaf.certificate);
    bad[bad.length - 5]! ^= 0x01;
    const badFile = tmp.write(`leaf-${spec}-bad.cer`, bad);
    const rb = openssl(['verify', '-attime', epoch(NOW), '-CAfile', tmp.dir + '/root.pem', '-untrusted', caFile, badFile]);
    expect(rb.status).not.toBe(0);
    // The CryptoKey signs, and the certificate's public key verifies it.
    const alg =
      spec.startsWith('ecdsa') ? { name: 'ECDSA', hash: leaf.hash } : spec === 'rsa-pss-2048' ? { name: 'RSA-PSS', saltLength: 32 } : { name: 'RSASSA-PKCS1-v1_5' };
    const data = new TextEncoder().encode('Công văn số 123/UBND-VP');
    const sig = await crypto.subtle.sign(alg, leaf.privateKey, data);
    expect(await crypto.subtle.verify(alg, leaf.publicKey, sig, data)).toBe(true);
    expect(await crypto.subtle.verify(alg, leaf.publicKey, sig, new TextEncoder().encode('Công văn số 124/UBND-VP'))).toBe(false);
    expect(leaf.privateKey.extractable).toBe(false);
  });
});

describe('generateTestKeyPair', () => {
  it('derives the same key from the same seed and label, different ones otherwise', async () => {
    const a = await generateTestKeyPair('ecdsa-p256', { seed: 's', label: 'a' });
    const a2 = await generateTestKeyPair('ecdsa-p256', { seed: 's', label: 'a' });
    const b = await generateTestKeyPair('ecdsa-p256', { seed: 's', label: 'b' });
    const c = await generateTestKeyPair('ecdsa-p256', { seed: 't', label: 'a' });
    expect(a2.pkcs8).toEqual(a.pkcs8);
    expect(b.pkcs8).not.toEqual(a.pkcs8);
    expect(c.pkcs8).not.toEqual(a.pkcs8);
    const r1 = await generateTestKeyPair('ecdsa-p256');
    const r2 = await generateTestKeyPair('ecdsa-p256');
    expect(r1.pkcs8).not.toEqual(r2.pkcs8);
  });

  it('signs deterministically with seeded keys of every spec', async () => {
    const data = new TextEncoder().encode('tbs');
    for (const spec of KEY_SPECS) {
      const k = await generateTestKeyPair(spec, { seed: 'det', label: 'x' });
      expect(await k.sign(data)).toEqual(await k.sign(data));
    }
  });

  it('rejects an unknown key spec', async () => {
    await expect(generateTestKeyPair('rsa-1024' as never)).rejects.toThrow(/Unknown key spec/);
  });
});
