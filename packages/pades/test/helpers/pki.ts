import { readFileSync } from 'node:fs';
import { pemToDer } from '@kyso/core';
import { signerFromPkcs12, type Signer } from '@kyso/cms';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';

/** The fixture PKI's password for every .p12. */
export const P12_PASSWORD = 'kyso';

/** Identities of test-fixtures/pki. */
export type FixtureIdentity = 'drafter' | 'head' | 'leader' | 'clerk' | 'seal' | 'expired' | 'revoked' | 'not-yet-valid' | 'leader-p256' | 'leader-p384' | 'leader-rsa-pss' | 'leader-rsa3072';

const cache = new Map<string, Promise<Signer>>();

/** A PKCS#12 signer for a fixture identity (cached per test file). */
export function fixtureSigner(name: FixtureIdentity): Promise<Signer> {
  let s = cache.get(name);
  if (!s) {
    s = signerFromPkcs12(loadFixture('pki', `${name}.p12`), P12_PASSWORD);
    cache.set(name, s);
  }
  return s;
}

/** The fixture root certificate, PEM and DER. */
export function fixtureRoot(): { pem: string; der: Uint8Array } {
  const pem = readFileSync(fixturePath('pki', 'root.pem'), 'utf8');
  return { pem, der: pemToDer(pem, 'CERTIFICATE')[0]! };
}

/** The time the fixture PKI was made for. */
export const FIXTURE_NOW = new Date('2026-12-01T00:00:00Z');
