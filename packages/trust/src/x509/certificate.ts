import { decodePem, encodePem, looksLikePem, toHex } from '@kyso/core';
import { type DerNode, Tag, bytesToBigIntSigned, parseDer, readBitString, readSmallInt, readTime } from '../asn1/der.js';
import { Oid } from '../asn1/oids.js';
import { type AlgorithmIdentifier, PublicKeyInfo, readAlgorithmIdentifier } from '../crypto/algorithm.js';
import { sha256Sync } from '../crypto/sha2.js';
import { type SignatureCheck, verifySignature } from '../crypto/verify.js';
import { TrustError } from '../errors.js';
import {
  type AccessDescription,
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  type DistributionPoint,
  type Extension,
  type KeyUsage,
  type NameConstraints,
  type PolicyConstraints,
  type PolicyInformation,
  type PolicyMapping,
  parseAccessDescriptions,
  parseAuthorityKeyIdentifier,
  parseBasicConstraints,
  parseCertificatePolicies,
  parseDistributionPoints,
  parseGeneralNamesValue,
  parseInhibitAnyPolicy,
  parseKeyUsage,
  parseNameConstraints,
  parseOctetString,
  parseOidSequence,
  parsePolicyConstraints,
  parsePolicyMappings,
  readExtensions,
} from './extensions.js';
import type { GeneralName } from './general-name.js';
import { DistinguishedName } from './name.js';

/** Extensions whose meaning `@kyso/trust` knows; a critical extension not listed here fails validation (RFC 5280 §6.1.3(a)... §6.1.4(o)). */
export const SUPPORTED_CERT_EXTENSIONS: ReadonlySet<string> = new Set([
  Oid.subjectKeyIdentifier,
  Oid.keyUsage,
  Oid.subjectAltName,
  Oid.issuerAltName,
  Oid.basicConstraints,
  Oid.nameConstraints,
  Oid.crlDistributionPoints,
  Oid.certificatePolicies,
  Oid.policyMappings,
  Oid.authorityKeyIdentifier,
  Oid.policyConstraints,
  Oid.extKeyUsage,
  Oid.freshestCrl,
  Oid.inhibitAnyPolicy,
  Oid.authorityInfoAccess,
  Oid.subjectInfoAccess,
  Oid.ocspNoCheck,
]);

interface Parsed {
  basicConstraints?: BasicConstraints;
  keyUsage?: KeyUsage;
  extKeyUsage?: readonly string[];
  certificatePolicies?: readonly PolicyInformation[];
  policyMappings?: readonly PolicyMapping[];
  policyConstraints?: PolicyConstraints;
  inhibitAnyPolicy?: number;
  nameConstraints?: NameConstraints;
  subjectAltName?: readonly GeneralName[];
  issuerAltName?: readonly GeneralName[];
  crlDistributionPoints?: readonly DistributionPoint[];
  freshestCrl?: readonly DistributionPoint[];
  authorityInfoAccess?: readonly AccessDescription[];
  subjectKeyIdentifier?: Uint8Array;
  authorityKeyIdentifier?: AuthorityKeyIdentifier;
}

const uriOf = (n: GeneralName) => (n.type === 'uniformResourceIdentifier' ? [n.value] : []);

/**
 * An X.509 v1–v3 certificate (RFC 5280 §4), parsed once and immutable. Names come both as
 * {@link DistinguishedName} objects (RFC 4514 `toString()`, exact `der`, RFC 5280 §7.1
 * `equals`) and the extensions kyso uses are decoded into plain objects.
 *
 * @example
 * ```ts
 * const cert = Certificate.fromPem(pemText);
 * cert.subject.toString();        // "CN=Nguyễn Văn A,O=Bộ Nội vụ,C=VN"
 * cert.serialNumberHex;           // "1a2b..."
 * cert.fingerprintSha256;         // hex
 * (await cert.verifySignedBy(ca)).valid;
 * ```
 */
export class Certificate {
  /** DER of the whole certificate. */
  readonly der: Uint8Array;
  /** DER of tbsCertificate: what the issuer signed. */
  readonly tbsDer: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: number;
  /** The serial number (may be negative in broken certificates, RFC 5280 §4.1.2.2). */
  readonly serialNumber: bigint;
  /** Lower-case hex of the serial number INTEGER's content octets, as encoded. */
  readonly serialNumberHex: string;
  /** The outer signatureAlgorithm. */
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** tbsCertificate.signature: must equal `signatureAlgorithm` (RFC 5280 §4.1.1.2). */
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  /** The signature BIT STRING's bytes. */
  readonly signatureValue: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: PublicKeyInfo;
  /** Every extension as encoded, in order. */
  readonly extensions: readonly Extension[];
  /** Lower-case hex SHA-256 of `der`. */
  readonly fingerprintSha256: string;

  private readonly parsed: Parsed;

  private constructor(der: Uint8Array) {
    this.der = der;
    let root: DerNode;
    try {
      root = parseDer(der).expect(Tag.sequence, 'Certificate');
      const tbs = root.child(0).expect(Tag.sequence, 'TBSCertificate');
      this.tbsDer = tbs.der;
      this.signatureAlgorithm = readAlgorithmIdentifier(root.child(1));
      this.signatureValue = readBitString(root.child(2).expect(Tag.bitString, 'signatureValue')).bytes;
      const f = tbs.children();
      let i = 0;
      this.version = 1;
      if (f[0]?.isContext(0)) {
        this.version = readSmallInt(f[0].child(0)) + 1;
        i++;
      }
      const serial = f[i++]!.expect(Tag.integer, 'serialNumber');
      this.serialNumber = bytesToBigIntSigned(serial.content);
      this.serialNumberHex = toHex(serial.content);
      this.tbsSignatureAlgorithm = readAlgorithmIdentifier(f[i++]!);
      this.issuer = DistinguishedName.fromNode(f[i++]!);
      const validity = f[i++]!.expect(Tag.sequence, 'Validity');
      this.notBefore = readTime(validity.child(0));
      this.notAfter = readTime(validity.child(1));
      this.subject = DistinguishedName.fromNode(f[i++]!);
      this.publicKey = PublicKeyInfo.fromNode(f[i++]!);
      let extensions: Extension[] = [];
      for (; i < f.length; i++) {
        if (f[i]!.isContext(3)) extensions = readExtensions(f[i]!.child(0));
      }
      this.extensions = Object.freeze(extensions);
    } catch (e) {
      if (e instanceof TrustError && e.code === 'CERT_MALFORMED') throw e;
      throw new TrustError('CERT_MALFORMED', `This is not a valid X.509 certificate (${(e as Error).message}). Check that the file holds a DER or PEM certificate.`, { cause: e });
    }
    this.parsed = parseKnownExtensions(this.extensions);
    this.fingerprintSha256 = toHex(sha256Sync(der));
  }

  /** Parses a DER certificate. Throws `TrustError` `CERT_MALFORMED` for anything else. */
  static fromDer(der: Uint8Array): Certificate {
    return new Certificate(new Uint8Array(der)); // a plain copy: a Node Buffer's slice() would be a view of its pool
  }

  /** Parses the first certificate of a PEM text (or PEM/DER bytes). */
  static fromPem(pem: string | Uint8Array): Certificate {
    const all = Certificate.allFromPem(pem);
    return all[0]!;
  }

  /** Every `CERTIFICATE` block of a PEM text; DER bytes give one certificate. Throws when there is none. */
  static allFromPem(pem: string | Uint8Array): Certificate[] {
    if (pem instanceof Uint8Array && !looksLikePem(pem)) return [Certificate.fromDer(pem)];
    const text = typeof pem === 'string' ? pem : new TextDecoder().decode(pem);
    const blocks = decodePem(text).filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
    if (blocks.length === 0) throw new TrustError('CERT_MALFORMED', 'No "-----BEGIN CERTIFICATE-----" block found; check that this is a PEM certificate file.');
    return blocks.map((b) => Certificate.fromDer(b.der));
  }

  /** PEM text of this certificate. */
  toPem(): string {
    return encodePem(this.der, 'CERTIFICATE');
  }

  /** The extension with `oid`, if present. */
  extension(oid: string): Extension | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

  get basicConstraints(): BasicConstraints | undefined {
    return this.parsed.basicConstraints;
  }
  get keyUsage(): KeyUsage | undefined {
    return this.parsed.keyUsage;
  }
  /** extendedKeyUsage purposes (OIDs). */
  get extKeyUsage(): readonly string[] | undefined {
    return this.parsed.extKeyUsage;
  }
  get certificatePolicies(): readonly PolicyInformation[] | undefined {
    return this.parsed.certificatePolicies;
  }
  get policyMappings(): readonly PolicyMapping[] | undefined {
    return this.parsed.policyMappings;
  }
  get policyConstraints(): PolicyConstraints | undefined {
    return this.parsed.policyConstraints;
  }
  /** inhibitAnyPolicy SkipCerts. */
  get inhibitAnyPolicy(): number | undefined {
    return this.parsed.inhibitAnyPolicy;
  }
  get nameConstraints(): NameConstraints | undefined {
    return this.parsed.nameConstraints;
  }
  get subjectAltName(): readonly GeneralName[] | undefined {
    return this.parsed.subjectAltName;
  }
  get issuerAltName(): readonly GeneralName[] | undefined {
    return this.parsed.issuerAltName;
  }
  get crlDistributionPoints(): readonly DistributionPoint[] | undefined {
    return this.parsed.crlDistributionPoints;
  }
  /** freshestCRL: where delta CRLs are (RFC 5280 §4.2.1.15). */
  get freshestCrl(): readonly DistributionPoint[] | undefined {
    return this.parsed.freshestCrl;
  }
  get authorityInfoAccess(): readonly AccessDescription[] | undefined {
    return this.parsed.authorityInfoAccess;
  }
  get subjectKeyIdentifier(): Uint8Array | undefined {
    return this.parsed.subjectKeyIdentifier;
  }
  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    return this.parsed.authorityKeyIdentifier;
  }
  /** True with id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1). */
  get ocspNoCheck(): boolean {
    return this.extension(Oid.ocspNoCheck) !== undefined;
  }
  /** OCSP responder URLs from authorityInfoAccess. */
  get ocspUrls(): string[] {
    return (this.authorityInfoAccess ?? []).filter((a) => a.method === Oid.authorityInfoAccessOcsp).flatMap((a) => uriOf(a.location));
  }
  /** caIssuers URLs from authorityInfoAccess. */
  get caIssuersUrls(): string[] {
    return (this.authorityInfoAccess ?? []).filter((a) => a.method === Oid.authorityInfoAccessCaIssuers).flatMap((a) => uriOf(a.location));
  }
  /** URLs of the full names of every CRL distribution point. */
  get crlUrls(): string[] {
    return (this.crlDistributionPoints ?? []).flatMap((dp) =>
      dp.distributionPoint?.type === 'fullName' ? dp.distributionPoint.names.flatMap(uriOf) : [],
    );
  }
  /** True when issuer and subject are the same name (RFC 5280 §6.1: self-issued). */
  get isSelfIssued(): boolean {
    return this.issuer.equals(this.subject);
  }
  /** True when basicConstraints says cA. */
  get isCa(): boolean {
    return this.basicConstraints?.ca === true;
  }

  /** True when `time` lies within notBefore..notAfter (inclusive, RFC 5280 §4.1.2.5). */
  isValidAt(time: Date): boolean {
    return time.getTime() >= this.notBefore.getTime() && time.getTime() <= this.notAfter.getTime();
  }

  /**
   * Checks this certificate's signature with `issuer`'s public key (a certificate or a key).
   * Returns `{ valid: false }` rather than throwing.
   */
  verifySignedBy(issuer: Certificate | PublicKeyInfo): Promise<SignatureCheck> {
    const key = issuer instanceof Certificate ? issuer.publicKey : issuer;
    return verifySignature(key, this.signatureAlgorithm, this.signatureValue, this.tbsDer);
  }

  /** True when both are the same certificate (same DER). */
  equals(other: Certificate): boolean {
    return this.fingerprintSha256 === other.fingerprintSha256;
  }
}

function parseKnownExtensions(extensions: readonly Extension[]): Parsed {
  const p: Parsed = {};
  const seen = new Set<string>();
  for (const ext of extensions) {
    if (seen.has(ext.oid)) {
      throw new TrustError('CERT_MALFORMED', `The certificate has two ${ext.oid} extensions (RFC 5280 §4.2 forbids it).`);
    }
    seen.add(ext.oid);
    try {
      switch (ext.oid) {
        case Oid.basicConstraints:
          p.basicConstraints = parseBasicConstraints(ext.value);
          break;
        case Oid.keyUsage:
          p.keyUsage = parseKeyUsage(ext.value);
          break;
        case Oid.extKeyUsage:
          p.extKeyUsage = Object.freeze(parseOidSequence(ext.value));
          break;
        case Oid.certificatePolicies:
          p.certificatePolicies = Object.freeze(parseCertificatePolicies(ext.value));
          break;
        case Oid.policyMappings:
          p.policyMappings = Object.freeze(parsePolicyMappings(ext.value));
          break;
        case Oid.policyConstraints:
          p.policyConstraints = parsePolicyConstraints(ext.value);
          break;
        case Oid.inhibitAnyPolicy:
          p.inhibitAnyPolicy = parseInhibitAnyPolicy(ext.value);
          break;
        case Oid.nameConstraints:
          p.nameConstraints = parseNameConstraints(ext.value);
          break;
        case Oid.subjectAltName:
          p.subjectAltName = Object.freeze(parseGeneralNamesValue(ext.value));
          break;
        case Oid.issuerAltName:
          p.issuerAltName = Object.freeze(parseGeneralNamesValue(ext.value));
          break;
        case Oid.crlDistributionPoints:
          p.crlDistributionPoints = Object.freeze(parseDistributionPoints(ext.value));
          break;
        case Oid.freshestCrl:
          p.freshestCrl = Object.freeze(parseDistributionPoints(ext.value));
          break;
        case Oid.authorityInfoAccess:
          p.authorityInfoAccess = Object.freeze(parseAccessDescriptions(ext.value));
          break;
        case Oid.subjectKeyIdentifier:
          p.subjectKeyIdentifier = parseOctetString(ext.value);
          break;
        case Oid.authorityKeyIdentifier:
          p.authorityKeyIdentifier = parseAuthorityKeyIdentifier(ext.value);
          break;
      }
    } catch (e) {
      throw new TrustError('CERT_MALFORMED', `The certificate's extension ${ext.oid} is malformed (${(e as Error).message}).`, { cause: e });
    }
  }
  return p;
}
