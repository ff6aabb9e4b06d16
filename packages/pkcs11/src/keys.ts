/**
 * Listing what a token holds, for a "which key?" prompt or the CLI: private keys and certificates
 * paired by CKA_ID (PKCS#11 v2.40 §4.4).
 */
import { bytesEqual, toHex } from '@kyso/core';
import { formatName } from '@kyso/cms';
import { acquireModule } from './binding.js';
import { certificateForKey, findCertificates, findPrivateKeys, type CertObject } from './objects.js';
import { openSession, type TokenSelection } from './session.js';

/** A certificate on the token, summarised. */
export interface Pkcs11CertificateSummary {
  /** The subject as text (RFC 4514 order of the certificate), Vietnamese diacritics kept. */
  readonly subject: string;
  /** The issuer as text. */
  readonly issuer: string;
  /** serialNumber in hex. */
  readonly serialNumber: string;
  /** Start of validity. */
  readonly notBefore: Date;
  /** End of validity. */
  readonly notAfter: Date;
  /** True for a CA certificate (basicConstraints cA). */
  readonly isCa: boolean;
  /** The certificate, DER. */
  readonly der: Uint8Array;
}

/** One entry of {@link listPkcs11Keys}: a private key and/or a certificate sharing a CKA_ID. */
export interface Pkcs11KeyInfo {
  /** CKA_LABEL. */
  readonly label: string;
  /** CKA_ID in lower-case hex (pass `fromHex(id)` as `keyId`, or `--key-id` in the CLI). */
  readonly id: string;
  /** True when a private key is on the token (visible only after login). */
  readonly hasPrivateKey: boolean;
  /** The private key's type, when there is one. */
  readonly keyType?: 'RSA' | 'EC' | 'other';
  /** RSA modulus size in bits. */
  readonly bits?: number;
  /** EC named curve. */
  readonly curve?: 'P-256' | 'P-384' | 'P-521';
  /** The matching certificate, when the token holds one. */
  readonly certificate?: Pkcs11CertificateSummary;
}

function summary(c: CertObject): Pkcs11CertificateSummary {
  const serial = c.info.serialNumber;
  // serialNumber is the whole INTEGER element; skip its tag and length octets.
  const body = serial.subarray(serial[1]! & 0x80 ? 2 + (serial[1]! & 0x7f) : 2);
  return Object.freeze({
    subject: formatName(c.info.subject),
    issuer: formatName(c.info.issuer),
    serialNumber: toHex(body),
    notBefore: c.info.notBefore,
    notAfter: c.info.notAfter,
    isCa: c.info.isCa,
    der: c.der,
  });
}

/**
 * Lists the keys and certificates on a token. With the PIN, every private key shows, each with
 * its certificate; without it, only the public certificates (most tokens hide private keys
 * until login). CA certificates stored beside the user's appear as entries without a key.
 *
 * @example
 * ```ts
 * const keys = await listPkcs11Keys({ module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'kyso', pin: '1234' });
 * // [{ label: 'leader', id: '01', hasPrivateKey: true, keyType: 'RSA', bits: 2048, certificate: { subject: 'CN=Nguyễn Văn An, …' } }]
 * ```
 * @throws Pkcs11Error the codes of {@link openPkcs11Signer} up to the login
 */
export async function listPkcs11Keys(options: TokenSelection): Promise<Pkcs11KeyInfo[]> {
  const lease = await acquireModule(options.module);
  try {
    const s = openSession(lease, options, false);
    try {
      const { binding: b, lib } = lease;
      const keys = s.loggedIn || !s.token.loginRequired ? findPrivateKeys(b, lib, s.session) : [];
      const certs = findCertificates(b, lib, s.session);
      const used = new Set<CertObject>();
      const out: Pkcs11KeyInfo[] = [];
      for (const k of keys) {
        const c = certificateForKey(k, certs);
        if (c) used.add(c);
        out.push(
          Object.freeze({
            label: k.label,
            id: toHex(k.id),
            hasPrivateKey: true,
            keyType: k.keyType,
            ...(k.modulus ? { bits: bitLength(k.modulus) } : {}),
            ...(k.curve ? { curve: k.curve } : {}),
            ...(c ? { certificate: summary(c) } : {}),
          }),
        );
      }
      for (const c of certs) {
        if (used.has(c) || out.some((e) => e.certificate && bytesEqual(e.certificate.der, c.der))) continue;
        out.push(Object.freeze({ label: c.label, id: toHex(c.id), hasPrivateKey: false, certificate: summary(c) }));
      }
      return out;
    } finally {
      s.close();
    }
  } finally {
    lease.release();
  }
}

function bitLength(n: Uint8Array): number {
  const top = n[0] ?? 0;
  return n.length === 0 ? 0 : (n.length - 1) * 8 + (32 - Math.clz32(top));
}
