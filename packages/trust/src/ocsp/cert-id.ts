import { bytesEqual, toHex } from '@kyso/core';
import { type DerNode, Tag, bytesToBigIntSigned, parseDer, readOid } from '../asn1/der.js';
import { derInteger, derNull, derOctetString, derOid, derSequence } from '../asn1/der-writer.js';
import { type HashName, digest, hashFromOid, hashOid } from '../crypto/digest.js';
import { TrustError } from '../errors.js';
import type { Certificate } from '../x509/certificate.js';

/**
 * An OCSP CertID (RFC 6960 §4.1.1): hashes of the issuer's name and key, and the serial number.
 */
export class CertId {
  private constructor(
    readonly hashAlgorithm: HashName,
    /** Hash of the DER of the issuer's distinguished name. */
    readonly issuerNameHash: Uint8Array,
    /** Hash of the issuer's subjectPublicKey BIT STRING value. */
    readonly issuerKeyHash: Uint8Array,
    readonly serialNumber: bigint,
    /** Lower-case hex of the serial INTEGER content, as encoded. */
    readonly serialNumberHex: string,
    /** DER of the CertID. */
    readonly der: Uint8Array,
  ) {}

  /** The CertID of `cert` issued by `issuer`, hashed with `hash` (default SHA-1, as most responders expect). */
  static async forCertificate(cert: Certificate, issuer: Certificate, hash: HashName = 'SHA-1'): Promise<CertId> {
    if (hash === 'SHA-224') throw new TrustError('BAD_ARGUMENT', 'Use SHA-1 or SHA-256 for OCSP CertIDs.');
    const nameHash = await digest(hash, cert.issuer.der);
    const keyHash = await digest(hash, issuer.publicKey.keyBytes);
    const serialContent = parseDer(cert.der).child(0).children().find((n) => n.is(Tag.integer))!.content;
    const der = derSequence(
      derSequence(derOid(hashOid[hash]), derNull()),
      derOctetString(nameHash),
      derOctetString(keyHash),
      derInteger(serialContent),
    );
    return new CertId(hash, nameHash, keyHash, cert.serialNumber, toHex(serialContent), der);
  }

  /** @internal */
  static fromNode(node: DerNode): CertId {
    node.expect(Tag.sequence, 'CertID');
    const hashOidStr = readOid(node.child(0).child(0));
    const hash = hashFromOid(hashOidStr);
    if (!hash) throw new TrustError('OCSP_MALFORMED', `The OCSP CertID uses the hash ${hashOidStr}, which is not supported.`);
    const serial = node.child(3).expect(Tag.integer, 'serialNumber').content;
    return new CertId(
      hash,
      node.child(1).expect(Tag.octetString, 'issuerNameHash').content.slice(),
      node.child(2).expect(Tag.octetString, 'issuerKeyHash').content.slice(),
      bytesToBigIntSigned(serial),
      toHex(serial),
      node.der.slice(),
    );
  }

  /** True when both identify the same certificate with the same hash algorithm. */
  equals(other: CertId): boolean {
    return (
      this.hashAlgorithm === other.hashAlgorithm &&
      this.serialNumber === other.serialNumber &&
      bytesEqual(this.issuerNameHash, other.issuerNameHash) &&
      bytesEqual(this.issuerKeyHash, other.issuerKeyHash)
    );
  }
}
