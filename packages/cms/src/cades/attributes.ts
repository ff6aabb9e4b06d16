/**
 * CMS and CAdES attributes: content-type, message-digest, signing-time (RFC 5652 §11),
 * signing-certificate-v2 (RFC 5035 §3) and commitment-type-indication (ETSI EN 319 122-1 §5.2.3).
 */
import { octets, oid, seq, setOf, time, tlv } from '../asn1/der.js';
import { digestAlgorithmIdentifier, OID, type HashAlgorithm } from '../algorithms.js';
import type { CertificateInfo } from '../certificate.js';
import { digestBytes } from '../digest/digest-engine.js';

/** One CMS attribute: its type OID and the DER of each of its values. */
export interface CmsAttribute {
  readonly type: string;
  readonly values: readonly Uint8Array[];
}

/** Commitment types of ETSI EN 319 122-1 §5.2.3 (OIDs under 1.2.840.113549.1.9.16.6). */
export const COMMITMENT_TYPES = {
  proofOfOrigin: '1.2.840.113549.1.9.16.6.1',
  proofOfReceipt: '1.2.840.113549.1.9.16.6.2',
  proofOfDelivery: '1.2.840.113549.1.9.16.6.3',
  proofOfSender: '1.2.840.113549.1.9.16.6.4',
  proofOfApproval: '1.2.840.113549.1.9.16.6.5',
  proofOfCreation: '1.2.840.113549.1.9.16.6.6',
} as const;

/** A named commitment type, or any OID in dotted form. */
export type CommitmentType = keyof typeof COMMITMENT_TYPES | (string & {});

/** DER of one Attribute ::= SEQUENCE { attrType, attrValues SET OF } (RFC 5652 §5.3). */
export function encodeAttribute(a: CmsAttribute): Uint8Array {
  return seq(oid(a.type), setOf(a.values));
}

/** content-type attribute (RFC 5652 §11.1). */
export const contentTypeAttribute = (eContentType: string): CmsAttribute => ({ type: OID.contentType, values: [oid(eContentType)] });

/** message-digest attribute (RFC 5652 §11.2). */
export const messageDigestAttribute = (digest: Uint8Array): CmsAttribute => ({ type: OID.messageDigest, values: [octets(digest)] });

/** signing-time attribute (RFC 5652 §11.3): UTCTime through 2049, GeneralizedTime after. */
export const signingTimeAttribute = (at: Date): CmsAttribute => ({ type: OID.signingTime, values: [time(new Date(Math.floor(at.getTime() / 1000) * 1000))] });

/** commitment-type-indication attribute without qualifiers. */
export const commitmentTypeAttribute = (type: CommitmentType): CmsAttribute => ({
  type: OID.commitmentType,
  values: [seq(oid((COMMITMENT_TYPES as Record<string, string>)[type] ?? type))],
});

/**
 * signing-certificate-v2 (RFC 5035 §3): one ESSCertIDv2 with the certificate's hash and its
 * issuerSerial, binding the signature to exactly this certificate (ETSI EN 319 122-1 §5.2.2.3).
 * The hash algorithm is omitted when it is the DEFAULT SHA-256, as DER requires (X.690 §11.5).
 */
export async function signingCertificateV2Attribute(cert: CertificateInfo, hash: HashAlgorithm = 'SHA-256'): Promise<CmsAttribute> {
  const certHash = await digestBytes(hash, cert.der);
  // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber } — directoryName is [4] EXPLICIT Name.
  const issuerSerial = seq(seq(tlv(0xa4, cert.issuer)), cert.serialNumber);
  const essCertIdV2 = hash === 'SHA-256' ? seq(octets(certHash), issuerSerial) : seq(digestAlgorithmIdentifier(hash), octets(certHash), issuerSerial);
  return { type: OID.signingCertificateV2, values: [seq(seq(essCertIdV2))] };
}

