import * as asn1js from 'asn1js';
import { utf8 } from '@kyso/core';
import { bits, bool, der, explicit, implicitPrimitive, int, nul, octets, oid, seq } from '../internal/der.js';
import { OID } from '../internal/oids.js';

/** One X.509 v3 extension (RFC 5280 §4.1.2.9): its OID, criticality and DER extnValue contents. */
export interface ExtensionSpec {
  readonly oid: string;
  readonly critical: boolean;
  /** The DER value that goes inside extnValue's OCTET STRING. */
  readonly value: Uint8Array;
}

/** Key usage bits by name (RFC 5280 §4.2.1.3). */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KU_BITS: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** The DER encoding of an Extension. */
export function encodeExtension(e: ExtensionSpec): asn1js.Sequence {
  return e.critical ? seq(oid(e.oid), bool(true), octets(e.value)) : seq(oid(e.oid), octets(e.value));
}

/** basicConstraints (RFC 5280 §4.2.1.9), always critical here. */
export function basicConstraints(ca: boolean, pathLength?: number): ExtensionSpec {
  const items: asn1js.AsnType[] = [];
  if (ca) items.push(bool(true));
  if (ca && pathLength !== undefined) items.push(int(pathLength));
  return { oid: OID.basicConstraints, critical: true, value: der(seq(...items)) };
}

/** keyUsage (RFC 5280 §4.2.1.3) as a DER BIT STRING without trailing zero bits; critical. */
export function keyUsage(usages: readonly KeyUsageName[]): ExtensionSpec {
  let mask = 0;
  for (const u of usages) mask |= 1 << KU_BITS.indexOf(u);
  let highest = -1;
  for (let i = 0; i < KU_BITS.length; i++) if (mask & (1 << i)) highest = i;
  const nBytes = highest >= 8 ? 2 : 1;
  const bytes = new Uint8Array(nBytes);
  for (let i = 0; i <= highest; i++) if (mask & (1 << i)) bytes[i >> 3]! |= 0x80 >> (i & 7);
  const unused = nBytes * 8 - (highest + 1);
  return { oid: OID.keyUsage, critical: true, value: der(bits(bytes, unused)) };
}

/** extKeyUsage (RFC 5280 §4.2.1.12). */
export function extKeyUsage(purposes: readonly string[], critical = false): ExtensionSpec {
  return { oid: OID.extKeyUsage, critical, value: der(seq(...purposes.map(oid))) };
}

/** subjectKeyIdentifier (RFC 5280 §4.2.1.2). */
export function subjectKeyIdentifier(keyId: Uint8Array): ExtensionSpec {
  return { oid: OID.subjectKeyIdentifier, critical: false, value: der(octets(keyId)) };
}

/** authorityKeyIdentifier with keyIdentifier only (RFC 5280 §4.2.1.1). */
export function authorityKeyIdentifier(keyId: Uint8Array): ExtensionSpec {
  return { oid: OID.authorityKeyIdentifier, critical: false, value: der(seq(implicitPrimitive(0, keyId))) };
}

/** cRLDistributionPoints with one fullName URI per point (RFC 5280 §4.2.1.13). */
export function crlDistributionPoints(urls: readonly string[]): ExtensionSpec {
  const points = urls.map((u) => seq(explicit(0, explicit(0, implicitPrimitive(6, utf8(u))))));
  return { oid: OID.cRLDistributionPoints, critical: false, value: der(seq(...points)) };
}

/** authorityInfoAccess with OCSP and caIssuers URIs (RFC 5280 §4.2.2.1). */
export function authorityInfoAccess(access: { ocsp?: readonly string[]; caIssuers?: readonly string[] }): ExtensionSpec {
  const ads: asn1js.AsnType[] = [];
  for (const u of access.ocsp ?? []) ads.push(seq(oid(OID.adOcsp), implicitPrimitive(6, utf8(u))));
  for (const u of access.caIssuers ?? []) ads.push(seq(oid(OID.adCaIssuers), implicitPrimitive(6, utf8(u))));
  return { oid: OID.authorityInfoAccess, critical: false, value: der(seq(...ads)) };
}

/** certificatePolicies with bare policy OIDs (RFC 5280 §4.2.1.4). */
export function certificatePolicies(policies: readonly string[]): ExtensionSpec {
  return { oid: OID.certificatePolicies, critical: false, value: der(seq(...policies.map((p) => seq(oid(p))))) };
}

/** subjectAltName with rfc822Name entries (RFC 5280 §4.2.1.6). */
export function subjectAltNameEmail(emails: readonly string[]): ExtensionSpec {
  return { oid: OID.subjectAltName, critical: false, value: der(seq(...emails.map((e) => implicitPrimitive(1, utf8(e))))) };
}

/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): the responder certificate is not checked for revocation. */
export function ocspNoCheck(): ExtensionSpec {
  return { oid: OID.ocspNoCheck, critical: false, value: der(nul()) };
}
