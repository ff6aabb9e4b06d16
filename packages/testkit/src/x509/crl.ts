import * as asn1js from 'asn1js';
import { bigInt, bits, der, explicit, int, raw, seq, uint, x509Time } from '../internal/der.js';
import { OID } from '../internal/oids.js';
import type { TestKeyPair } from '../keys/key-pair.js';
import { authorityKeyIdentifier, encodeExtension } from './extensions.js';

/** CRLReason (RFC 5280 §5.3.1). */
export type CrlReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

/** The CRLReason code of each name (RFC 5280 §5.3.1; 7 is unused). */
export const CRL_REASON_CODES: Readonly<Record<CrlReason, number>> = Object.freeze({
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
});

/** One revoked certificate. */
export interface Revocation {
  /** Serial number as unsigned big-endian bytes. */
  readonly serialNumber: Uint8Array;
  readonly revokedAt: Date;
  /** Omitted from the entry when undefined (RFC 5280 §5.3.1: prefer absent to unspecified). */
  readonly reason?: CrlReason | undefined;
}

/** Inputs of a CRL. */
export interface CrlTemplate {
  readonly issuer: Uint8Array;
  readonly issuerKeyId: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly crlNumber: bigint;
  readonly revoked: readonly Revocation[];
}

/** A v2 CRL (RFC 5280 §5.1) with authorityKeyIdentifier and cRLNumber; DER. */
export async function signCrl(tpl: CrlTemplate, issuerKey: TestKeyPair): Promise<Uint8Array> {
  const sigAlg = issuerKey.signatureAlgorithm;
  const items: asn1js.AsnType[] = [
    int(1),
    raw(sigAlg),
    raw(tpl.issuer),
    x509Time(tpl.thisUpdate),
    x509Time(tpl.nextUpdate),
  ];
  if (tpl.revoked.length > 0) {
    items.push(
      seq(
        ...tpl.revoked.map((r) => {
          const entry: asn1js.AsnType[] = [uint(r.serialNumber), x509Time(r.revokedAt)];
          if (r.reason !== undefined) {
            const reason = new asn1js.Enumerated({ value: CRL_REASON_CODES[r.reason] });
            entry.push(seq(encodeExtension({ oid: OID.reasonCode, critical: false, value: der(reason) })));
          }
          return seq(...entry);
        }),
      ),
    );
  }
  items.push(
    explicit(
      0,
      seq(
        encodeExtension(authorityKeyIdentifier(tpl.issuerKeyId)),
        encodeExtension({ oid: OID.cRLNumber, critical: false, value: der(bigInt(tpl.crlNumber)) }),
      ),
    ),
  );
  const tbs = der(seq(...items));
  const signature = await issuerKey.sign(tbs);
  return der(seq(raw(tbs), raw(sigAlg), bits(signature)));
}
