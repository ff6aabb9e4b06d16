import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { encodePem } from '@kyso/core';
import type { TestIdentity, TestPki } from '../pki.js';
import { toPkcs12 } from '../pkcs12.js';

/** Options of {@link writeTestPki}. */
export interface WriteTestPkiOptions {
  /** Password of the .p12 files (default "kyso"). */
  readonly password?: string;
  /** Write .p12 files (default true). */
  readonly pkcs12?: boolean;
}

/** What {@link writeTestPki} wrote for one identity: file names relative to the directory. */
export interface WrittenIdentity {
  readonly name: string;
  /** Subject as one line. */
  readonly subject: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keySpec: string;
  /** SHA-256 of the DER certificate, hex. */
  readonly certificateSha256: string;
  /** PEM certificate. */
  readonly certificate: string;
  /** DER certificate. */
  readonly certificateDer: string;
  /** PEM PKCS#8 private key, unencrypted. */
  readonly privateKey: string;
  /** PEM issuer certificates, the issuer first, the root last (absent for the root). */
  readonly chain?: string;
  /** PKCS#12 with AES-256/PBKDF2/HMAC-SHA-256 (OpenSSL 3 default). */
  readonly pkcs12?: string;
  /** PKCS#12 with 3DES key and RC2-40 certificates, HMAC-SHA-1 (old .pfx exports). */
  readonly pkcs12Legacy?: string;
}

/** The manifest.json that {@link writeTestPki} writes. */
export interface TestPkiManifest {
  readonly description: string;
  readonly seed: string | null;
  readonly now: string;
  readonly keySpec: string;
  readonly caKeySpec: string;
  readonly password: string | null;
  readonly identities: Readonly<Record<string, WrittenIdentity>>;
  readonly crls: Readonly<Record<'root' | 'governmentCa', { readonly der: string; readonly pem: string }>>;
}

/** `governmentCa` → `government-ca`. */
export const fileBaseName = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * Writes a PKI to `dir` (Node only): per identity `NAME.pem` (certificate), `NAME.cer` (DER),
 * `NAME.key.pem` (PKCS#8), `NAME.chain.pem` (issuer first, root last), `NAME.p12` and
 * `NAME.legacy.p12` (password "kyso"); `root.crl`/`government-ca.crl` (DER) and `.crl.pem`;
 * and `manifest.json` describing it all. Names are kebab-case (`government-ca`, `not-yet-valid`).
 * With a seeded PKI the files are byte-identical on every run.
 */
export async function writeTestPki(pki: TestPki, dir: string, options: WriteTestPkiOptions = {}): Promise<TestPkiManifest> {
  const password = options.password ?? 'kyso';
  const withP12 = options.pkcs12 ?? true;
  await mkdir(dir, { recursive: true });
  const put = (file: string, data: Uint8Array | string) => writeFile(join(dir, file), data);
  const identities: Record<string, WrittenIdentity> = {};
  for (const id of pki.identities.values()) identities[id.name] = await writeIdentity(id);

  async function writeIdentity(id: TestIdentity): Promise<WrittenIdentity> {
    const base = fileBaseName(id.name);
    await put(`${base}.pem`, id.certificatePem);
    await put(`${base}.cer`, id.certificate);
    await put(`${base}.key.pem`, id.privateKeyPem);
    const w: { -readonly [K in keyof WrittenIdentity]: WrittenIdentity[K] } = {
      name: id.name,
      subject: id.subjectText,
      serialNumber: id.serialNumber,
      notBefore: id.notBefore.toISOString(),
      notAfter: id.notAfter.toISOString(),
      keySpec: id.keySpec,
      certificateSha256: createHash('sha256').update(id.certificate).digest('hex'),
      certificate: `${base}.pem`,
      certificateDer: `${base}.cer`,
      privateKey: `${base}.key.pem`,
    };
    if (id.chain.length > 0) {
      await put(`${base}.chain.pem`, id.chain.map((c) => encodePem(c, 'CERTIFICATE')).join(''));
      w.chain = `${base}.chain.pem`;
    }
    if (withP12) {
      const seed = pki.seed;
      await put(`${base}.p12`, await toPkcs12(id, password, seed === undefined ? {} : { seed }));
      await put(`${base}.legacy.p12`, await toPkcs12(id, password, seed === undefined ? { legacy: true } : { legacy: true, seed }));
      w.pkcs12 = `${base}.p12`;
      w.pkcs12Legacy = `${base}.legacy.p12`;
    }
    return w;
  }

  await put('root.crl', pki.crls.root);
  await put('root.crl.pem', encodePem(pki.crls.root, 'X509 CRL'));
  await put('government-ca.crl', pki.crls.governmentCa);
  await put('government-ca.crl.pem', encodePem(pki.crls.governmentCa, 'X509 CRL'));

  const manifest: TestPkiManifest = {
    description: 'kyso test PKI: TEST KEYS ONLY, never trust root.pem outside tests.',
    seed: pki.seed ?? null,
    now: pki.now.toISOString(),
    keySpec: pki.keySpec,
    caKeySpec: pki.caKeySpec,
    password: withP12 ? password : null,
    identities,
    crls: {
      root: { der: 'root.crl', pem: 'root.crl.pem' },
      governmentCa: { der: 'government-ca.crl', pem: 'government-ca.crl.pem' },
    },
  };
  await put('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
