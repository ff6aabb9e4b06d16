import { describe, expect, it } from 'vitest';
import { createTestPki } from '@kyso/testkit';
import { loadFixture } from '@kyso/test-fixtures';
import { fileBaseName } from '@kyso/testkit/node';

const FIXTURE = { seed: 'kyso-test-fixtures-v1', now: new Date('2026-12-01T00:00:00Z') } as const;

describe('determinism', () => {
  it('reproduces the committed fixture PKI byte for byte (made by another process)', async () => {
    const pki = await createTestPki(FIXTURE);
    for (const id of pki.identities.values()) {
      const base = fileBaseName(id.name);
      expect(id.certificate, base).toEqual(loadFixture('pki', `${base}.cer`));
      expect(id.privateKeyPem, base).toBe(new TextDecoder().decode(loadFixture('pki', `${base}.key.pem`)));
    }
    expect(pki.crls.governmentCa).toEqual(loadFixture('pki', 'government-ca.crl'));
    expect(pki.crls.root).toEqual(loadFixture('pki', 'root.crl'));
  });

  it('gives the same PKI twice in one process, and another one for another seed or time', async () => {
    const a = await createTestPki(FIXTURE);
    const b = await createTestPki(FIXTURE);
    expect(b.cadres.leader.certificate).toEqual(a.cadres.leader.certificate);
    expect(b.crls.governmentCa).toEqual(a.crls.governmentCa);
    const later = await createTestPki({ ...FIXTURE, now: new Date('2026-12-02T00:00:00Z') });
    expect(later.cadres.leader.privateKeyPkcs8).toEqual(a.cadres.leader.privateKeyPkcs8);
    expect(later.cadres.leader.certificate).not.toEqual(a.cadres.leader.certificate);
    const other = await createTestPki({ seed: 'another-seed', now: FIXTURE.now, keySpec: 'ecdsa-p256' });
    expect(other.cadres.leader.serialNumber).not.toBe(a.cadres.leader.serialNumber);
  });

  it('makes fresh keys and serial numbers without a seed', async () => {
    const a = await createTestPki({ keySpec: 'ecdsa-p256' });
    const b = await createTestPki({ keySpec: 'ecdsa-p256' });
    expect(a.seed).toBeUndefined();
    expect(a.root.privateKeyPkcs8).not.toEqual(b.root.privateKeyPkcs8);
    expect(a.root.serialNumber).not.toBe(b.root.serialNumber);
  });
});
