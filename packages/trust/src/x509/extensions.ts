import { type DerNode, Tag, bitAt, parseDer, readBigInt, readBitString, readBoolean, readOid, readSmallInt } from '../asn1/der.js';
import { Oid } from '../asn1/oids.js';
import { decodeAsn1String, type NameAttribute, readAttribute } from './name.js';
import { type GeneralName, readGeneralName, readGeneralNames } from './general-name.js';

/** One extension as encoded (RFC 5280 §4.1.2.9). */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING's content (the DER of the extension's own structure). */
  readonly value: Uint8Array;
}

/** Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`. @internal */
export function readExtensions(node: DerNode): Extension[] {
  node.expect(Tag.sequence, 'Extensions');
  return node.children().map((ext) => {
    ext.expect(Tag.sequence, 'Extension');
    const kids = ext.children();
    const oid = readOid(ext.child(0));
    let critical = false;
    let valueNode = kids[1];
    if (valueNode && valueNode.is(Tag.boolean)) {
      critical = readBoolean(valueNode);
      valueNode = kids[2];
    }
    if (!valueNode) throw new TypeError(`extension ${oid} has no value`);
    return Object.freeze({ oid, critical, value: valueNode.expect(Tag.octetString, 'extnValue').content.slice() });
  });
}

/** Key usage bits (RFC 5280 §4.2.1.3), by name. */
export interface KeyUsage {
  readonly digitalSignature: boolean;
  /** Also called contentCommitment. */
  readonly nonRepudiation: boolean;
  readonly keyEncipherment: boolean;
  readonly dataEncipherment: boolean;
  readonly keyAgreement: boolean;
  readonly keyCertSign: boolean;
  readonly cRLSign: boolean;
  readonly encipherOnly: boolean;
  readonly decipherOnly: boolean;
}

/** @internal */
export function parseKeyUsage(value: Uint8Array): KeyUsage {
  const bits = readBitString(parseDer(value).expect(Tag.bitString, 'KeyUsage'));
  return Object.freeze({
    digitalSignature: bitAt(bits, 0),
    nonRepudiation: bitAt(bits, 1),
    keyEncipherment: bitAt(bits, 2),
    dataEncipherment: bitAt(bits, 3),
    keyAgreement: bitAt(bits, 4),
    keyCertSign: bitAt(bits, 5),
    cRLSign: bitAt(bits, 6),
    encipherOnly: bitAt(bits, 7),
    decipherOnly: bitAt(bits, 8),
  });
}

/** basicConstraints (RFC 5280 §4.2.1.9). */
export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLenConstraint?: number;
}

/** @internal */
export function parseBasicConstraints(value: Uint8Array): BasicConstraints {
  const seq = parseDer(value).expect(Tag.sequence, 'BasicConstraints');
  let ca = false;
  let pathLen: number | undefined;
  for (const c of seq.children()) {
    if (c.is(Tag.boolean)) ca = readBoolean(c);
    else if (c.is(Tag.integer)) pathLen = readSmallInt(c);
  }
  return Object.freeze(pathLen === undefined ? { ca } : { ca, pathLenConstraint: pathLen });
}

/** A policy qualifier (RFC 5280 §4.2.1.4): CPS pointer or user notice. */
export interface PolicyQualifier {
  readonly oid: string;
  /** The CPS URI, or the user notice's explicitText, when present. */
  readonly text?: string;
  readonly der: Uint8Array;
}

/** One PolicyInformation of certificatePolicies. */
export interface PolicyInformation {
  readonly policyIdentifier: string;
  readonly qualifiers: readonly PolicyQualifier[];
}

/** @internal */
export function parseCertificatePolicies(value: Uint8Array): PolicyInformation[] {
  const seq = parseDer(value).expect(Tag.sequence, 'CertificatePolicies');
  return seq.children().map((pi) => {
    const policyIdentifier = readOid(pi.child(0));
    const qs = pi.children()[1];
    const qualifiers = qs
      ? qs.children().map((q) => {
          const oid = readOid(q.child(0));
          const val = q.children()[1];
          let text: string | undefined;
          if (val && oid === Oid.qtCps) text = decodeAsn1String(val) ?? undefined;
          if (val && oid === Oid.qtUnotice && val.is(Tag.sequence)) {
            const explicit = val.children().find((c) => !c.is(Tag.sequence));
            if (explicit) text = decodeAsn1String(explicit) ?? undefined;
          }
          return Object.freeze(text === undefined ? { oid, der: q.der.slice() } : { oid, text, der: q.der.slice() });
        })
      : [];
    return Object.freeze({ policyIdentifier, qualifiers: Object.freeze(qualifiers) });
  });
}

/** One policy mapping (RFC 5280 §4.2.1.5). */
export interface PolicyMapping {
  readonly issuerDomainPolicy: string;
  readonly subjectDomainPolicy: string;
}

/** @internal */
export function parsePolicyMappings(value: Uint8Array): PolicyMapping[] {
  return parseDer(value)
    .expect(Tag.sequence, 'PolicyMappings')
    .children()
    .map((m) => Object.freeze({ issuerDomainPolicy: readOid(m.child(0)), subjectDomainPolicy: readOid(m.child(1)) }));
}

/** policyConstraints (RFC 5280 §4.2.1.11). */
export interface PolicyConstraints {
  readonly requireExplicitPolicy?: number;
  readonly inhibitPolicyMapping?: number;
}

function implicitInt(node: DerNode): number {
  const c = node.content;
  let v = 0;
  for (const b of c) v = v * 256 + b;
  if (c.length > 0 && (c[0]! & 0x80) !== 0) throw new TypeError('negative skip count');
  return v;
}

/** @internal */
export function parsePolicyConstraints(value: Uint8Array): PolicyConstraints {
  const out: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } = {};
  for (const c of parseDer(value).expect(Tag.sequence, 'PolicyConstraints').children()) {
    if (c.isContext(0)) out.requireExplicitPolicy = implicitInt(c);
    else if (c.isContext(1)) out.inhibitPolicyMapping = implicitInt(c);
  }
  return Object.freeze(out);
}

/** @internal */
export function parseInhibitAnyPolicy(value: Uint8Array): number {
  const v = readBigInt(parseDer(value));
  if (v < 0n) throw new TypeError('negative SkipCerts');
  return v > 1000n ? 1000 : Number(v);
}

/** A GeneralSubtree of nameConstraints (RFC 5280 §4.2.1.10). */
export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum: number;
  readonly maximum?: number;
}

/** nameConstraints. */
export interface NameConstraints {
  readonly permitted: readonly GeneralSubtree[] | null;
  readonly excluded: readonly GeneralSubtree[] | null;
}

/** @internal */
export function parseNameConstraints(value: Uint8Array): NameConstraints {
  let permitted: GeneralSubtree[] | null = null;
  let excluded: GeneralSubtree[] | null = null;
  const readSubtrees = (n: DerNode) =>
    n.children().map((st) => {
      const kids = st.children();
      const base = readGeneralName(st.child(0));
      let minimum = 0;
      let maximum: number | undefined;
      for (const k of kids.slice(1)) {
        if (k.isContext(0)) minimum = implicitInt(k);
        else if (k.isContext(1)) maximum = implicitInt(k);
      }
      return Object.freeze(maximum === undefined ? { base, minimum } : { base, minimum, maximum });
    });
  for (const c of parseDer(value).expect(Tag.sequence, 'NameConstraints').children()) {
    if (c.isContext(0)) permitted = readSubtrees(c);
    else if (c.isContext(1)) excluded = readSubtrees(c);
  }
  return Object.freeze({ permitted, excluded });
}

/** Revocation reasons in ReasonFlags bit order (RFC 5280 §4.2.1.13). */
export const REASON_FLAGS = [
  'unused',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

/** A reason named in ReasonFlags. */
export type ReasonFlag = (typeof REASON_FLAGS)[number];

/** A DistributionPointName: a full name, or a name relative to the CRL issuer. */
export type DistributionPointName =
  | { readonly type: 'fullName'; readonly names: readonly GeneralName[] }
  | { readonly type: 'nameRelativeToCRLIssuer'; readonly rdn: readonly NameAttribute[] };

/** A DistributionPoint of cRLDistributionPoints / freshestCRL (RFC 5280 §4.2.1.13). */
export interface DistributionPoint {
  readonly distributionPoint?: DistributionPointName;
  /** The reasons this point covers; absent means all reasons. */
  readonly reasons?: readonly ReasonFlag[];
  readonly cRLIssuer?: readonly GeneralName[];
}

/** @internal */
export function readDistributionPointName(node: DerNode): DistributionPointName {
  if (node.isContext(0)) return Object.freeze({ type: 'fullName', names: Object.freeze(readGeneralNames(node)) });
  if (node.isContext(1)) return Object.freeze({ type: 'nameRelativeToCRLIssuer', rdn: Object.freeze(node.children().map(readAttribute)) });
  throw new TypeError('bad DistributionPointName');
}

/** @internal */
export function readReasonFlags(node: DerNode): ReasonFlag[] {
  const bits = readBitString(node);
  return REASON_FLAGS.filter((_, i) => bitAt(bits, i));
}

/** @internal */
export function parseDistributionPoints(value: Uint8Array): DistributionPoint[] {
  return parseDer(value)
    .expect(Tag.sequence, 'CRLDistributionPoints')
    .children()
    .map((dp) => {
      const out: { distributionPoint?: DistributionPointName; reasons?: ReasonFlag[]; cRLIssuer?: GeneralName[] } = {};
      for (const c of dp.children()) {
        if (c.isContext(0)) out.distributionPoint = readDistributionPointName(c.child(0));
        else if (c.isContext(1)) out.reasons = readReasonFlags(c);
        else if (c.isContext(2)) out.cRLIssuer = readGeneralNames(c);
      }
      return Object.freeze(out);
    });
}

/** authorityKeyIdentifier (RFC 5280 §4.2.1.1). */
export interface AuthorityKeyIdentifier {
  readonly keyIdentifier?: Uint8Array;
  readonly authorityCertIssuer?: readonly GeneralName[];
  /** Hex of the serial number's INTEGER content. */
  readonly authorityCertSerialNumber?: string;
}

/** @internal */
export function parseAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  const out: { keyIdentifier?: Uint8Array; authorityCertIssuer?: GeneralName[]; authorityCertSerialNumber?: string } = {};
  for (const c of parseDer(value).expect(Tag.sequence, 'AuthorityKeyIdentifier').children()) {
    if (c.isContext(0)) out.keyIdentifier = c.content.slice();
    else if (c.isContext(1)) out.authorityCertIssuer = readGeneralNames(c);
    else if (c.isContext(2)) out.authorityCertSerialNumber = Array.from(c.content, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  return Object.freeze(out);
}

/** One AccessDescription of authorityInfoAccess (RFC 5280 §4.2.2.1). */
export interface AccessDescription {
  readonly method: string;
  readonly location: GeneralName;
}

/** @internal */
export function parseAccessDescriptions(value: Uint8Array): AccessDescription[] {
  return parseDer(value)
    .expect(Tag.sequence, 'AuthorityInfoAccessSyntax')
    .children()
    .map((ad) => Object.freeze({ method: readOid(ad.child(0)), location: readGeneralName(ad.child(1)) }));
}

/** @internal */
export function parseOidSequence(value: Uint8Array): string[] {
  return parseDer(value).expect(Tag.sequence, 'ExtKeyUsageSyntax').children().map(readOid);
}

/** @internal */
export function parseOctetString(value: Uint8Array): Uint8Array {
  return parseDer(value).expect(Tag.octetString, 'KeyIdentifier').content.slice();
}

/** @internal */
export function parseGeneralNamesValue(value: Uint8Array): GeneralName[] {
  return readGeneralNames(parseDer(value).expect(Tag.sequence, 'GeneralNames'));
}

