import { bytesEqual, decodePem, encodePem, looksLikePem, toHex } from '@kyso/core';
import { type DerNode, Tag, bytesToBigIntSigned, parseDer, readBigInt, readBitString, readSmallInt, readTime } from '../asn1/der.js';
import { Oid } from '../asn1/oids.js';
import { type AlgorithmIdentifier, type PublicKeyInfo, readAlgorithmIdentifier } from '../crypto/algorithm.js';
import { sha256Sync } from '../crypto/sha2.js';
import { type SignatureCheck, verifySignature } from '../crypto/verify.js';
import { TrustError } from '../errors.js';
import { Certificate } from '../x509/certificate.js';
import {
  type AuthorityKeyIdentifier,
  type DistributionPoint,
  type DistributionPointName,
  type Extension,
  type ReasonFlag,
  parseAuthorityKeyIdentifier,
  parseDistributionPoints,
  readDistributionPointName,
  readExtensions,
  readReasonFlags,
} from '../x509/extensions.js';
import { type GeneralName, readGeneralNames } from '../x509/general-name.js';
import { DistinguishedName } from '../x509/name.js';
import { CRL_REASON_CODES, type CrlReason } from './checker.js';

/** issuingDistributionPoint (RFC 5280 §5.2.5). */
export interface IssuingDistributionPoint {
  readonly distributionPoint?: DistributionPointName;
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCACerts: boolean;
  /** Absent: the CRL covers every reason. */
  readonly onlySomeReasons?: readonly ReasonFlag[];
  readonly indirectCRL: boolean;
  readonly onlyContainsAttributeCerts: boolean;
  /** DER of the extension value, to compare a delta CRL's scope with its base (§6.3.3(c)). */
  readonly der: Uint8Array;
}

/** One revokedCertificates entry (RFC 5280 §5.1.2.6, §5.3). */
export interface CrlEntry {
  readonly serialNumber: bigint;
  /** Lower-case hex of the serial INTEGER content, as encoded. */
  readonly serialNumberHex: string;
  readonly revocationDate: Date;
  /** reasonCode (§5.3.1); absent means unspecified. */
  readonly reason?: CrlReason;
  /** invalidityDate (§5.3.2). */
  readonly invalidityDate?: Date;
  /** The issuer of the revoked certificate: certificateIssuer (§5.3.3), carried over from earlier entries; null = the CRL issuer. */
  readonly certificateIssuer: readonly GeneralName[] | null;
  readonly extensions: readonly Extension[];
}

/** CRL extensions `@kyso/trust` processes (RFC 5280 §5.2); a CRL with another critical one is not used. */
export const SUPPORTED_CRL_EXTENSIONS: ReadonlySet<string> = new Set([
  Oid.authorityKeyIdentifier,
  Oid.issuerAltName,
  Oid.crlNumber,
  Oid.deltaCrlIndicator,
  Oid.issuingDistributionPoint,
  Oid.freshestCrl,
  Oid.authorityInfoAccess,
]);

/** CRL entry extensions `@kyso/trust` processes (RFC 5280 §5.3). */
export const SUPPORTED_CRL_ENTRY_EXTENSIONS: ReadonlySet<string> = new Set([
  Oid.reasonCode,
  Oid.invalidityDate,
  Oid.certificateIssuer,
  '2.5.29.23', // holdInstructionCode
]);

/**
 * An X.509 certificate revocation list (RFC 5280 §5), parsed once and immutable.
 *
 * @example
 * ```ts
 * const crl = Crl.fromDer(bytes);
 * (await crl.verifySignedBy(caCert)).valid;
 * crl.findEntry(cert)?.reason;      // 'keyCompromise'
 * ```
 */
export class Crl {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  /** 1 or 2. */
  readonly version: number;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly signatureValue: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly entries: readonly CrlEntry[];
  readonly extensions: readonly Extension[];
  /** cRLNumber (§5.2.3). */
  readonly crlNumber: bigint | undefined;
  /** BaseCRLNumber of a delta CRL's deltaCRLIndicator (§5.2.4); undefined for a complete CRL. */
  readonly baseCrlNumber: bigint | undefined;
  readonly issuingDistributionPoint: IssuingDistributionPoint | undefined;
  readonly authorityKeyIdentifier: AuthorityKeyIdentifier | undefined;
  /** freshestCRL (§5.2.6): where delta CRLs are. */
  readonly freshestCrl: readonly DistributionPoint[] | undefined;
  /** Critical CRL or entry extensions kyso cannot process: such a CRL must not be used (§5.2, §5.3). */
  readonly unsupportedCriticalExtensions: readonly string[];
  /** Lower-case hex SHA-256 of `der`. */
  readonly fingerprintSha256: string;

  private constructor(der: Uint8Array) {
    this.der = der;
    const unsupported: string[] = [];
    let crlNumber: bigint | undefined;
    let baseCrlNumber: bigint | undefined;
    let idp: IssuingDistributionPoint | undefined;
    let aki: AuthorityKeyIdentifier | undefined;
    let freshest: DistributionPoint[] | undefined;
    try {
      const root = parseDer(der).expect(Tag.sequence, 'CertificateList');
      const tbs = root.child(0).expect(Tag.sequence, 'TBSCertList');
      this.tbsDer = tbs.der;
      this.signatureAlgorithm = readAlgorithmIdentifier(root.child(1));
      this.signatureValue = readBitString(root.child(2).expect(Tag.bitString, 'signatureValue')).bytes;
      const f = tbs.children();
      let i = 0;
      this.version = 1;
      if (f[0]?.is(Tag.integer)) this.version = readSmallInt(f[i++]!) + 1;
      this.tbsSignatureAlgorithm = readAlgorithmIdentifier(f[i++]!);
      this.issuer = DistinguishedName.fromNode(f[i++]!);
      this.thisUpdate = readTime(f[i++]!);
      this.nextUpdate = undefined;
      if (f[i] && (f[i]!.is(Tag.utcTime) || f[i]!.is(Tag.generalizedTime))) this.nextUpdate = readTime(f[i++]!);
      let entries: CrlEntry[] = [];
      if (f[i]?.is(Tag.sequence)) entries = readEntries(f[i++]!, unsupported);
      this.entries = Object.freeze(entries);
      let extensions: Extension[] = [];
      if (f[i]?.isContext(0)) extensions = readExtensions(f[i++]!.child(0));
      this.extensions = Object.freeze(extensions);
      for (const ext of extensions) {
        const v = ext.value;
        switch (ext.oid) {
          case Oid.crlNumber:
            crlNumber = readBigInt(parseDer(v));
            break;
          case Oid.deltaCrlIndicator:
            baseCrlNumber = readBigInt(parseDer(v));
            break;
          case Oid.issuingDistributionPoint:
            idp = parseIdp(v);
            break;
          case Oid.authorityKeyIdentifier:
            aki = parseAuthorityKeyIdentifier(v);
            break;
          case Oid.freshestCrl:
            freshest = parseDistributionPoints(v);
            break;
          default:
            if (ext.critical && !SUPPORTED_CRL_EXTENSIONS.has(ext.oid)) unsupported.push(ext.oid);
        }
      }
    } catch (e) {
      throw new TrustError('CRL_MALFORMED', `This is not a valid X.509 CRL (${(e as Error).message}). Check that the file holds a DER or PEM CRL.`, { cause: e });
    }
    this.crlNumber = crlNumber;
    this.baseCrlNumber = baseCrlNumber;
    this.issuingDistributionPoint = idp;
    this.authorityKeyIdentifier = aki;
    this.freshestCrl = freshest ? Object.freeze(freshest) : undefined;
    this.unsupportedCriticalExtensions = Object.freeze([...new Set(unsupported)]);
    this.fingerprintSha256 = toHex(sha256Sync(der));
  }

  /** Parses a DER CRL; throws `TrustError` `CRL_MALFORMED` for anything else. */
  static fromDer(der: Uint8Array): Crl {
    return new Crl(new Uint8Array(der)); // a plain copy: a Node Buffer's slice() would be a view of its pool
  }

  /** Parses a PEM (`X509 CRL`) or DER CRL. */
  static fromPem(pem: string | Uint8Array): Crl {
    if (pem instanceof Uint8Array && !looksLikePem(pem)) return Crl.fromDer(pem);
    const text = typeof pem === 'string' ? pem : new TextDecoder().decode(pem);
    const block = decodePem(text).find((b) => b.label === 'X509 CRL');
    if (!block) throw new TrustError('CRL_MALFORMED', 'No "-----BEGIN X509 CRL-----" block found; check that this is a PEM CRL.');
    return Crl.fromDer(block.der);
  }

  /** PEM text of this CRL. */
  toPem(): string {
    return encodePem(this.der, 'X509 CRL');
  }

  /** True for a delta CRL (it has deltaCRLIndicator, §5.2.4). */
  get isDelta(): boolean {
    return this.baseCrlNumber !== undefined;
  }

  /** Checks the CRL's signature with a certificate's or a key's public key. */
  verifySignedBy(issuer: Certificate | PublicKeyInfo): Promise<SignatureCheck> {
    const key = issuer instanceof Certificate ? issuer.publicKey : issuer;
    return verifySignature(key, this.signatureAlgorithm, this.signatureValue, this.tbsDer);
  }

  /**
   * The entry for `cert` (or a serial number and issuer name), honouring certificateIssuer
   * entries of indirect CRLs (§5.3.3); undefined when not listed.
   */
  findEntry(cert: Certificate): CrlEntry | undefined;
  findEntry(serialNumber: bigint, issuer: DistinguishedName): CrlEntry | undefined;
  findEntry(a: Certificate | bigint, b?: DistinguishedName): CrlEntry | undefined {
    const serial = a instanceof Certificate ? a.serialNumber : a;
    const issuer = a instanceof Certificate ? a.issuer : b!;
    const indirect = this.issuingDistributionPoint?.indirectCRL === true;
    return this.entries.find((e) => {
      if (e.serialNumber !== serial) return false;
      if (!indirect || e.certificateIssuer === null) return this.issuer.equals(issuer);
      return e.certificateIssuer.some((g) => g.type === 'directoryName' && g.name.equals(issuer));
    });
  }

  /** True when this CRL and `other` have the same scope (both without IDP, or equal IDPs). */
  sameScopeAs(other: Crl): boolean {
    const a = this.issuingDistributionPoint;
    const b = other.issuingDistributionPoint;
    if (!a || !b) return !a && !b;
    return bytesEqual(a.der, b.der);
  }
}

function parseIdp(value: Uint8Array): IssuingDistributionPoint {
  const seq = parseDer(value).expect(Tag.sequence, 'IssuingDistributionPoint');
  const out: {
    distributionPoint?: DistributionPointName;
    onlyContainsUserCerts: boolean;
    onlyContainsCACerts: boolean;
    onlySomeReasons?: ReasonFlag[];
    indirectCRL: boolean;
    onlyContainsAttributeCerts: boolean;
    der: Uint8Array;
  } = { onlyContainsUserCerts: false, onlyContainsCACerts: false, indirectCRL: false, onlyContainsAttributeCerts: false, der: value.slice() };
  const bool = (n: DerNode) => n.content.length === 1 && n.content[0] !== 0;
  for (const c of seq.children()) {
    if (c.isContext(0)) out.distributionPoint = readDistributionPointName(c.child(0));
    else if (c.isContext(1)) out.onlyContainsUserCerts = bool(c);
    else if (c.isContext(2)) out.onlyContainsCACerts = bool(c);
    else if (c.isContext(3)) out.onlySomeReasons = readReasonFlags(c);
    else if (c.isContext(4)) out.indirectCRL = bool(c);
    else if (c.isContext(5)) out.onlyContainsAttributeCerts = bool(c);
  }
  return Object.freeze(out);
}

function readEntries(node: DerNode, unsupported: string[]): CrlEntry[] {
  let currentIssuer: readonly GeneralName[] | null = null;
  return node.children().map((e) => {
    e.expect(Tag.sequence, 'revokedCertificate');
    const serialNode = e.child(0).expect(Tag.integer, 'userCertificate');
    const revocationDate = readTime(e.child(1));
    const extNode = e.children()[2];
    const extensions = extNode ? readExtensions(extNode) : [];
    let reason: CrlReason | undefined;
    let invalidityDate: Date | undefined;
    for (const ext of extensions) {
      if (ext.oid === Oid.reasonCode) {
        const code = readSmallInt(parseDer(ext.value));
        reason = CRL_REASON_CODES[code] ?? 'unspecified';
      } else if (ext.oid === Oid.invalidityDate) invalidityDate = readTime(parseDer(ext.value));
      else if (ext.oid === Oid.certificateIssuer) currentIssuer = Object.freeze(readGeneralNames(parseDer(ext.value)));
      else if (ext.critical && !SUPPORTED_CRL_ENTRY_EXTENSIONS.has(ext.oid)) unsupported.push(ext.oid);
    }
    const entry: {
      serialNumber: bigint;
      serialNumberHex: string;
      revocationDate: Date;
      reason?: CrlReason;
      invalidityDate?: Date;
      certificateIssuer: readonly GeneralName[] | null;
      extensions: readonly Extension[];
    } = {
      serialNumber: bytesToBigIntSigned(serialNode.content),
      serialNumberHex: toHex(serialNode.content),
      revocationDate,
      certificateIssuer: currentIssuer,
      extensions: Object.freeze(extensions),
    };
    if (reason) entry.reason = reason;
    if (invalidityDate) entry.invalidityDate = invalidityDate;
    return Object.freeze(entry);
  });
}

