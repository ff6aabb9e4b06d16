/**
 * Reading a CMS ContentInfo/SignedData (RFC 5652 §3, §5) into exact byte slices, without
 * re-encoding anything: what was signed is hashed as it was received.
 */
import { children, contents, parseOne, raw, readOctetString, readOid, readSmallInt, tlv, type Tlv } from '../asn1/der.js';
import { hashFromOid, OID, type DigestAlgorithm } from '../algorithms.js';
import { CmsError } from '../errors.js';
import type { CmsAttribute } from './attributes.js';

/** How a SignerInfo names its certificate (RFC 5652 §5.3 SignerIdentifier). */
export type SignerIdentifier =
  | { readonly kind: 'issuerAndSerialNumber'; readonly issuer: Uint8Array; readonly serialNumber: Uint8Array }
  | { readonly kind: 'subjectKeyIdentifier'; readonly keyIdentifier: Uint8Array };

/** One SignerInfo as found in the SignedData. */
export interface ParsedSignerInfo {
  readonly version: number;
  readonly sid: SignerIdentifier;
  /** The digest algorithm OID and its name when kyso knows it. */
  readonly digestAlgorithmOid: string;
  readonly digestAlgorithm: DigestAlgorithm | undefined;
  /** The signed attributes element as received ([0] IMPLICIT), or undefined. */
  readonly signedAttrsElement: Tlv | undefined;
  /** The signed attributes re-tagged as SET (0x31): the bytes the signature covers (RFC 5652 §5.4). */
  readonly signedAttrsDer: Uint8Array | undefined;
  readonly signedAttrs: readonly CmsAttribute[] | undefined;
  /** signatureAlgorithm AlgorithmIdentifier element. */
  readonly signatureAlgorithm: Tlv;
  readonly signature: Uint8Array;
  readonly unsignedAttrs: readonly CmsAttribute[];
  /** The whole SignerInfo element. */
  readonly element: Tlv;
}

/** A SignedData as found in a ContentInfo. */
export interface ParsedSignedData {
  readonly version: number;
  /** The ContentInfo element (outermost). */
  readonly contentInfo: Tlv;
  /** The SignedData SEQUENCE element. */
  readonly signedData: Tlv;
  readonly digestAlgorithms: readonly string[];
  readonly eContentType: string;
  /** eContent octets when the content is encapsulated (attached), else undefined. */
  readonly eContent: Uint8Array | undefined;
  /** Certificates (DER, verbatim); other certificate choices are skipped. */
  readonly certificates: readonly Uint8Array[];
  /** CRLs (DER) from the SignedData's crls field. */
  readonly crls: readonly Uint8Array[];
  readonly signerInfos: readonly ParsedSignerInfo[];
}

function notCms(what: string, cause?: unknown): CmsError {
  return new CmsError('CMS_MALFORMED', `This is not a CMS/PKCS#7 signature: ${what}. Check that the file is a .p7s/.p7m (DER or BER) and is complete.`, cause === undefined ? undefined : { cause });
}

function parseAttributes(set: Tlv): CmsAttribute[] {
  return children(set).map((a) => {
    const [type, values] = children(a);
    if (!type || !values || values.tag !== 0x31) throw notCms('an attribute is not SEQUENCE { type, SET OF values }');
    return { type: readOid(type), values: children(values).map(raw) };
  });
}

function parseSid(t: Tlv): SignerIdentifier {
  if (t.tag === 0x30) {
    const [issuer, serial] = children(t);
    if (!issuer || !serial || serial.tag !== 0x02) throw notCms('the SignerIdentifier is not issuerAndSerialNumber');
    return { kind: 'issuerAndSerialNumber', issuer: raw(issuer), serialNumber: raw(serial) };
  }
  if (t.tag === 0x80) return { kind: 'subjectKeyIdentifier', keyIdentifier: contents(t) };
  if (t.tag === 0xa0) return { kind: 'subjectKeyIdentifier', keyIdentifier: readOctetString(children(t)[0]!) };
  throw notCms(`unknown SignerIdentifier tag 0x${t.tag.toString(16)}`);
}

function parseSignerInfo(si: Tlv): ParsedSignerInfo {
  const f = children(si);
  let i = 0;
  const version = readSmallInt(f[i++]!);
  const sid = parseSid(f[i++]!);
  const digAlg = f[i++]!;
  const digestAlgorithmOid = readOid(children(digAlg)[0]!);
  let signedAttrsElement: Tlv | undefined;
  if (f[i]?.tag === 0xa0) signedAttrsElement = f[i++];
  const signatureAlgorithm = f[i++];
  const sigT = f[i++];
  if (!signatureAlgorithm || signatureAlgorithm.tag !== 0x30 || !sigT) throw notCms('the SignerInfo lacks its signature');
  const signature = readOctetString(sigT);
  const unsignedAttrs = f[i]?.tag === 0xa1 ? parseAttributes(f[i]!) : [];
  let signedAttrsDer: Uint8Array | undefined;
  let signedAttrs: CmsAttribute[] | undefined;
  if (signedAttrsElement) {
    signedAttrs = parseAttributes(signedAttrsElement);
    if (signedAttrsElement.indefinite) {
      signedAttrsDer = tlv(0x31, ...children(signedAttrsElement).map(raw));
    } else {
      signedAttrsDer = new Uint8Array(raw(signedAttrsElement));
      signedAttrsDer[0] = 0x31; // EXPLICIT SET OF tag, not [0] IMPLICIT (RFC 5652 §5.4)
    }
  }
  return {
    version,
    sid,
    digestAlgorithmOid,
    digestAlgorithm: hashFromOid(digestAlgorithmOid),
    signedAttrsElement,
    signedAttrsDer,
    signedAttrs,
    signatureAlgorithm,
    signature,
    unsignedAttrs,
    element: si,
  };
}

/**
 * Parses a DER/BER ContentInfo holding a SignedData. Throws `CmsError` (`CMS_EMPTY`,
 * `CMS_MALFORMED`, `CMS_NOT_SIGNED_DATA`, `CMS_NO_SIGNER`) for bytes that are not one.
 */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  if (!(der instanceof Uint8Array) || der.length === 0) throw new CmsError('CMS_EMPTY', 'The signature is empty (0 bytes); give the .p7s file that holds the signature.');
  let ci: Tlv;
  try {
    // Some producers pad the PDF /Contents with zeros after the DER: tolerate trailing zero bytes.
    ci = parseOne(der, true);
    for (let p = ci.end; p < der.length; p++) if (der[p] !== 0) throw notCms('there are bytes after the end of the structure');
  } catch (e) {
    if (e instanceof CmsError && e.message.startsWith('This is not')) throw e;
    throw notCms('the bytes are not a complete DER/BER structure (truncated or not ASN.1)', e);
  }
  try {
    if (ci.tag !== 0x30) throw notCms('it does not start with a SEQUENCE');
    const [typeT, explicit] = children(ci);
    if (!typeT || typeT.tag !== 0x06) throw notCms('no ContentInfo content type');
    const type = readOid(typeT);
    if (type !== OID.signedData) throw new CmsError('CMS_NOT_SIGNED_DATA', `The CMS content type is ${type}, not SignedData (1.2.840.113549.1.7.2): this file holds no signature; give the .p7s signature file.`);
    if (!explicit || explicit.tag !== 0xa0) throw notCms('the SignedData is missing');
    const sd = children(explicit)[0];
    if (!sd || sd.tag !== 0x30) throw notCms('the SignedData is not a SEQUENCE');
    const f = children(sd);
    let i = 0;
    const version = readSmallInt(f[i++]!);
    const digestAlgorithms = children(f[i++]!).map((a) => readOid(children(a)[0]!));
    const eci = children(f[i++]!);
    const eContentType = readOid(eci[0]!);
    const eContent = eci[1] ? readOctetString(children(eci[1])[0]!) : undefined;
    const certificates: Uint8Array[] = [];
    const crls: Uint8Array[] = [];
    if (f[i]?.tag === 0xa0) for (const c of children(f[i++]!)) if (c.tag === 0x30) certificates.push(raw(c));
    if (f[i]?.tag === 0xa1) for (const c of children(f[i++]!)) if (c.tag === 0x30) crls.push(raw(c));
    const sis = f[i];
    if (!sis || sis.tag !== 0x31) throw notCms('the signerInfos SET is missing');
    const signerInfos = children(sis).map(parseSignerInfo);
    return { version, contentInfo: ci, signedData: sd, digestAlgorithms, eContentType, eContent, certificates, crls, signerInfos };
  } catch (e) {
    if (e instanceof CmsError && e.code !== 'CMS_MALFORMED') throw e;
    if (e instanceof CmsError && e.message.startsWith('This is not')) throw e;
    throw notCms('the SignedData structure is broken', e);
  }
}
