/**
 * Validation data carried inside a CMS SignedData: the certificates and CRLs fields
 * (RFC 5652 §5.1), OCSP responses as OtherRevocationInfoFormat (RFC 5940 §2.1), Adobe's
 * adbe-revocationInfoArchival signed attribute (ISO 32000-1 §12.8.3.3.2), and the CAdES
 * certificate-values / revocation-values unsigned attributes (ETSI EN 319 122-1 §5.5.1, §5.5.2).
 */
import { children, ctx, oid, raw, readOid, seq, tlv, type Tlv, parseOne, octets, readOctetString } from '../asn1/der.js';
import { CmsError } from '../errors.js';
import { parseSignedData } from '../cades/signed-data.js';

/** Object identifiers of the long-term validation attributes. */
export const LTV_OID = {
  /** id-aa-ets-certValues (RFC 5126 §6.3.3; ETSI EN 319 122-1 §5.5.1). */
  certificateValues: '1.2.840.113549.1.9.16.2.23',
  /** id-aa-ets-revocationValues (RFC 5126 §6.3.4; ETSI EN 319 122-1 §5.5.2). */
  revocationValues: '1.2.840.113549.1.9.16.2.24',
  /** adbe-revocationInfoArchival (ISO 32000-1 §12.8.3.3.2). */
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
  /** id-ri-ocsp-response (RFC 5940 §2.1). */
  riOcspResponse: '1.3.6.1.5.5.7.16.2',
  /** id-pkix-ocsp-basic (RFC 6960 §4.2.1). */
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  /** id-aa-ets-archiveTimestampV3 (ETSI EN 319 122-1 §5.5.3). */
  archiveTimestampV3: '0.4.0.1733.2.4',
  /** id-aa-ATSHashIndex-v3 (ETSI EN 319 122-1 §5.5.2 / Annex A). */
  atsHashIndexV3: '0.4.0.19122.1.5',
} as const;

/** Certificates, CRLs and OCSP responses found in or beside a signature. */
export interface EmbeddedValidationData {
  /** DER certificates. */
  readonly certificates: readonly Uint8Array[];
  /** DER CertificateLists. */
  readonly crls: readonly Uint8Array[];
  /** DER OCSPResponses (RFC 6960 §4.2.1; BasicOCSPResponses found in CAdES attributes are wrapped). */
  readonly ocspResponses: readonly Uint8Array[];
}

/**
 * Wraps a BasicOCSPResponse (what CAdES revocation-values holds) into an OCSPResponse with
 * status successful (what PDF DSS /OCSPs streams and OCSP clients hold), RFC 6960 §4.2.1.
 */
export function ocspResponseFromBasic(basic: Uint8Array): Uint8Array {
  return seq(tlv(0x0a, Uint8Array.of(0)), ctx(0, seq(oid(LTV_OID.ocspBasic), octets(basic))));
}

/** The BasicOCSPResponse inside an OCSPResponse, or undefined when it has none (not successful). */
export function basicFromOcspResponse(response: Uint8Array): Uint8Array | undefined {
  try {
    const top = children(parseOne(response, true));
    const rb = top[1];
    if (!rb || rb.tag !== 0xa0) return undefined;
    const [type, body] = children(children(rb)[0]!);
    if (!type || !body || readOid(type) !== LTV_OID.ocspBasic) return undefined;
    return readOctetString(body);
  } catch {
    return undefined;
  }
}

/** Adds `der` to `list` unless the same bytes are there already. */
function addUnique(list: Uint8Array[], der: Uint8Array): void {
  for (const x of list) if (x.length === der.length && x.every((b, i) => b === der[i])) return;
  list.push(new Uint8Array(der));
}

/** RevocationInfoArchival / RevocationValues: [0] CRLs, [1] OCSP (OCSPResponse or BasicOCSPResponse), [2] other. */
function readRevocationSequence(value: Uint8Array, ocspAreBasic: boolean, out: { crls: Uint8Array[]; ocspResponses: Uint8Array[] }): void {
  for (const part of children(parseOne(value))) {
    const inner = children(part)[0];
    if (!inner) continue;
    if (part.tag === 0xa0) for (const c of children(inner)) addUnique(out.crls, raw(c));
    else if (part.tag === 0xa1) for (const o of children(inner)) addUnique(out.ocspResponses, ocspAreBasic ? ocspResponseFromBasic(raw(o)) : raw(o));
  }
}

/**
 * Every certificate, CRL and OCSP response that a CMS SignedData carries, for its first
 * SignerInfo: the SignedData `certificates` and `crls` fields (with RFC 5940 OCSP responses),
 * adbe-revocationInfoArchival (signed), certificate-values and revocation-values (unsigned).
 * Unreadable attributes are skipped. Throws `CmsError` only when `der` is not a SignedData.
 *
 * @example
 * ```ts
 * const { certificates, crls, ocspResponses } = readEmbeddedValidationData(p7s);
 * ```
 */
export function readEmbeddedValidationData(der: Uint8Array): EmbeddedValidationData {
  const sd = parseSignedData(der);
  const certificates: Uint8Array[] = [];
  const out = { crls: [] as Uint8Array[], ocspResponses: [] as Uint8Array[] };
  for (const c of sd.certificates) addUnique(certificates, c);
  for (const c of sd.crls) addUnique(out.crls, c);
  // RFC 5940: RevocationInfoChoice [1] OtherRevocationInfoFormat { id-ri-ocsp-response, OCSPResponse }.
  try {
    const crlsField = children(sd.signedData).find((t) => t.tag === 0xa1);
    for (const choice of crlsField ? children(crlsField) : []) {
      if (choice.tag !== 0xa1) continue;
      const [format, info] = children(choice);
      if (format && info && readOid(format) === LTV_OID.riOcspResponse) addUnique(out.ocspResponses, raw(info));
    }
  } catch {
    /* an unreadable OtherRevocationInfoFormat is skipped */
  }
  const si = sd.signerInfos[0];
  if (si) {
    for (const a of si.signedAttrs ?? []) {
      if (a.type !== LTV_OID.adbeRevocationInfoArchival) continue;
      for (const v of a.values) tryRead(() => readRevocationSequence(v, false, out));
    }
    for (const a of si.unsignedAttrs) {
      if (a.type === LTV_OID.revocationValues) for (const v of a.values) tryRead(() => readRevocationSequence(v, true, out));
      else if (a.type === LTV_OID.certificateValues) {
        for (const v of a.values) tryRead(() => children(parseOne(v)).forEach((c: Tlv) => addUnique(certificates, raw(c))));
      }
    }
  }
  return Object.freeze({ certificates: Object.freeze(certificates), crls: Object.freeze(out.crls), ocspResponses: Object.freeze(out.ocspResponses) });
}

function tryRead(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof CmsError)) throw e;
  }
}
