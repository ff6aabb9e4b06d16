import * as asn1js from 'asn1js';
import { sha1 } from '@noble/hashes/legacy.js';
import { bits, der, explicit, int, raw, seq, uint, x509Time } from '../internal/der.js';
import type { TestKeyPair } from '../keys/key-pair.js';
import { spkiPublicKeyBits } from '../keys/key-pair.js';
import { encodeExtension, type ExtensionSpec } from './extensions.js';

/** Everything in a TBSCertificate except the signature algorithm (RFC 5280 §4.1.2). */
export interface CertificateTemplate {
  /** Unsigned big-endian serial number bytes (at most 20 octets, RFC 5280 §4.1.2.2). */
  readonly serialNumber: Uint8Array;
  /** DER Name of the issuer (copied byte for byte from the issuer's subject). */
  readonly issuer: Uint8Array;
  /** DER Name of the subject. */
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  readonly extensions: readonly ExtensionSpec[];
}

/** Key identifier method 1 of RFC 5280 §4.2.1.2: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  return sha1(spkiPublicKeyBits(spki));
}

/** A v3 certificate for `tpl`, signed with `issuerKey` (RFC 5280 §4.1). Returns DER. */
export async function signCertificate(tpl: CertificateTemplate, issuerKey: TestKeyPair): Promise<Uint8Array> {
  const sigAlg = issuerKey.signatureAlgorithm;
  const items: asn1js.AsnType[] = [
    explicit(0, int(2)),
    uint(tpl.serialNumber),
    raw(sigAlg),
    raw(tpl.issuer),
    seq(x509Time(tpl.notBefore), x509Time(tpl.notAfter)),
    raw(tpl.subject),
    raw(tpl.spki),
  ];
  if (tpl.extensions.length > 0) items.push(explicit(3, seq(...tpl.extensions.map(encodeExtension))));
  const tbs = der(seq(...items));
  const signature = await issuerKey.sign(tbs);
  return der(seq(raw(tbs), raw(sigAlg), bits(signature)));
}
