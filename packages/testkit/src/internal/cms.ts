import * as asn1js from 'asn1js';
import { toArrayBuffer } from '@kyso/core';
import { der, explicit, int, octets, oid, raw, seq, set, uint } from './der.js';
import { OID } from './oids.js';
import type { TestKeyPair } from '../keys/key-pair.js';

/** DigestAlgorithmIdentifier OID of a WebCrypto hash name (RFC 5754 §2). */
export function digestOid(hash: 'SHA-256' | 'SHA-384' | 'SHA-512'): string {
  return hash === 'SHA-384' ? OID.sha384 : hash === 'SHA-512' ? OID.sha512 : OID.sha256;
}

/** WebCrypto digest. */
export async function digest(hash: string, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest(hash, toArrayBuffer(data)));
}

/** One CMS attribute (RFC 5652 §5.3) with a single value. */
export const attribute = (type: string, value: asn1js.AsnType): asn1js.Sequence => seq(oid(type), set(value));

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** DER of a SET OF: the elements sorted by their encodings (X.690 §11.6). */
export function derSetOf(elements: readonly Uint8Array[]): Uint8Array {
  return der(set(...[...elements].sort(compareBytes).map(raw)));
}

/** The parts of a SignedData with one signer (RFC 5652 §5). */
export interface SignedDataInput {
  readonly eContentType: string;
  readonly eContent: Uint8Array;
  readonly signerKey: TestKeyPair;
  /** Signer certificate DER (its issuer and serial go into the SignerIdentifier). */
  readonly signerCertificate: Uint8Array;
  /** Certificates to embed (DER); empty for none. */
  readonly certificates: readonly Uint8Array[];
  /** Signed attributes other than content-type and message-digest (DER Attribute each). */
  readonly extraSignedAttributes: readonly Uint8Array[];
}

/** Issuer Name DER and serial number INTEGER DER of a DER certificate (RFC 5280 §4.1). */
export function issuerAndSerial(certificate: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  const cert = asn1js.fromBER(certificate).result as asn1js.Sequence;
  const tbs = (cert.valueBlock.value[0] as asn1js.Sequence).valueBlock.value;
  const offset = tbs[0] instanceof asn1js.Constructed && tbs[0].idBlock.tagClass === 3 ? 1 : 0;
  return { serial: der(tbs[offset]!), issuer: der(tbs[offset + 2]!) };
}

/** A ContentInfo holding a SignedData with one SignerInfo v1 and signed attributes (RFC 5652). */
export async function buildSignedData(input: SignedDataInput): Promise<Uint8Array> {
  const key = input.signerKey;
  const digestAlg = der(seq(oid(digestOid(key.hash))));
  const md = await digest(key.hash, input.eContent);
  const attrs = [
    der(attribute(OID.contentType, oid(input.eContentType))),
    der(attribute(OID.messageDigest, octets(md))),
    ...input.extraSignedAttributes,
  ];
  // The signature covers the DER SET OF the attributes (RFC 5652 §5.4); in SignerInfo the same
  // bytes go under an IMPLICIT [0] tag.
  const signedAttrsSet = derSetOf(attrs);
  const signature = await key.sign(signedAttrsSet);
  const signedAttrsTagged = new Uint8Array(signedAttrsSet);
  signedAttrsTagged[0] = 0xa0;
  const { issuer, serial } = issuerAndSerial(input.signerCertificate);
  const signerInfo = seq(
    int(1),
    seq(raw(issuer), raw(serial)),
    raw(digestAlg),
    raw(signedAttrsTagged),
    raw(key.signatureAlgorithm),
    octets(signature),
  );
  const items: asn1js.AsnType[] = [
    int(3), // RFC 5652 §5.1: version 3 when eContentType is not id-data
    set(raw(digestAlg)),
    seq(oid(input.eContentType), explicit(0, octets(input.eContent))),
  ];
  if (input.certificates.length > 0) {
    items.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: input.certificates.map(raw) }));
  }
  items.push(set(signerInfo));
  return der(seq(oid(OID.signedData), explicit(0, seq(...items))));
}

/**
 * signing-certificate-v2 attribute (RFC 5035 §3): ESSCertIDv2 with the certificate hash and
 * issuerSerial; hashAlgorithm omitted when it is the default SHA-256.
 */
export async function signingCertificateV2(certificate: Uint8Array, hash: 'SHA-256' | 'SHA-384' | 'SHA-512' = 'SHA-256'): Promise<Uint8Array> {
  const { issuer, serial } = issuerAndSerial(certificate);
  const certHash = await digest(hash, certificate);
  const issuerSerial = seq(seq(explicit(4, raw(issuer))), raw(serial));
  const essCertId = hash === 'SHA-256' ? seq(octets(certHash), issuerSerial) : seq(seq(oid(digestOid(hash))), octets(certHash), issuerSerial);
  return der(attribute(OID.signingCertificateV2, seq(seq(essCertId))));
}

export { uint };
