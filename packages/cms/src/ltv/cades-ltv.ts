/**
 * CAdES baseline B-LT and B-LTA for detached signatures (ETSI EN 319 122-1 §5.5, §6.3):
 * certificate-values and revocation-values unsigned attributes, and archive-time-stamp-v3 with
 * its ats-hash-index-v3 (§5.5.3, §5.5.2).
 */
import { bytesEqual } from '@kyso/core';
import { children, ctx, oid, parseOne, raw, readOctetString, readOid, seq, tlv, octets, type Tlv } from '../asn1/der.js';
import { digestAlgorithmIdentifier, hashFromOid, OID, type HashAlgorithm } from '../algorithms.js';
import { encodeAttribute } from '../cades/attributes.js';
import { addSignatureTimestamp } from '../cades/timestamp.js';
import { parseSignedData, type ParsedSignedData } from '../cades/signed-data.js';
import { digestContent, type Content, type DigestEngine } from '../digest/digest-engine.js';
import { CmsError } from '../errors.js';
import { hashBytes } from '../tsp/request.js';
import type { TimeStamper } from '../tsp/time-stamper.js';
import { verifyTimeStampToken } from '../tsp/verify-token.js';
import { signerCertificateFor } from './signer-certificate.js';
import { basicFromOcspResponse, LTV_OID, readEmbeddedValidationData } from './embedded.js';
import { ValidationDataCollector, type ValidationDataOptions } from './collect.js';
import type { RevocationPreference } from './revocation-sources.js';

/** Validation values to add to a CAdES signature. */
export interface CadesValidationValues {
  readonly certificates?: readonly Uint8Array[];
  readonly crls?: readonly Uint8Array[];
  /** OCSPResponses (DER); stored as BasicOCSPResponses in revocation-values. */
  readonly ocspResponses?: readonly Uint8Array[];
}

const same = bytesEqual;

function addUnique(list: Uint8Array[], der: Uint8Array): boolean {
  if (list.some((x) => same(x, der))) return false;
  list.push(der);
  return true;
}

/** Rebuilds a ContentInfo/SignedData with new certificates, crls and first SignerInfo. */
function rebuild(sd: ParsedSignedData, parts: { certificates?: readonly Uint8Array[]; crls?: readonly Uint8Array[]; signerInfo: Uint8Array; version?: number }): Uint8Array {
  const f = children(sd.signedData);
  const version = f[0]!;
  const digestAlgs = f[1]!;
  const eci = f[2]!;
  let i = 3;
  let certs: Tlv | undefined;
  let crls: Tlv | undefined;
  if (f[i]?.tag === 0xa0) certs = f[i++];
  if (f[i]?.tag === 0xa1) crls = f[i++];
  const sis = children(f[i]!);
  const certField = parts.certificates ? (parts.certificates.length ? tlv(0xa0, ...parts.certificates) : null) : certs ? raw(certs) : null;
  const crlField = parts.crls ? (parts.crls.length ? tlv(0xa1, ...parts.crls) : null) : crls ? raw(crls) : null;
  const signerInfos = tlv(0x31, parts.signerInfo, ...sis.slice(1).map(raw));
  const v = parts.version !== undefined ? tlv(0x02, Uint8Array.of(parts.version)) : raw(version);
  const body = seq(v, raw(digestAlgs), raw(eci), ...(certField ? [certField] : []), ...(crlField ? [crlField] : []), signerInfos);
  return seq(oid(OID.signedData), ctx(0, body));
}

/** The SignerInfo with its unsigned attributes replaced by `unsigned` (in this order). */
function withUnsigned(si: Tlv, unsigned: readonly Uint8Array[]): Uint8Array {
  const fields = children(si).filter((x) => x.tag !== 0xa1).map(raw);
  return unsigned.length ? seq(...fields, tlv(0xa1, ...unsigned)) : seq(...fields);
}

/**
 * Adds validation values to the first SignerInfo of a CAdES signature (ETSI EN 319 122-1
 * §5.5.1, §5.5.2): certificates not already in the SignedData go into certificate-values, CRLs
 * and OCSP responses into revocation-values (merged with existing ones). Once an
 * archive-time-stamp-v3 is present those attributes are covered and must not change, so new
 * values then go into SignedData.certificates and SignedData.crls (OCSP responses as RFC 5940
 * OtherRevocationInfoFormat), which ats-hash-index-v3 hashes item by item. Signed bytes are copied
 * as they are, so the signature still verifies.
 */
export function addCadesValidationData(p7s: Uint8Array, values: CadesValidationValues): Uint8Array {
  const sd = parseSignedData(p7s);
  const si = sd.signerInfos[0];
  if (!si) throw new CmsError('CMS_NO_SIGNER', 'The SignedData has no SignerInfo to add validation data to.');
  const present = readEmbeddedValidationData(p7s);
  const newCerts = (values.certificates ?? []).filter((c) => !present.certificates.some((x) => same(x, c)));
  const newCrls = (values.crls ?? []).filter((c) => !present.crls.some((x) => same(x, c)));
  const newOcsps = (values.ocspResponses ?? []).filter((c) => !present.ocspResponses.some((x) => same(x, c)));
  if (newCerts.length + newCrls.length + newOcsps.length === 0) return p7s;
  const archived = si.unsignedAttrs.some((a) => a.type === LTV_OID.archiveTimestampV3);
  if (archived) {
    const certs = [...sd.certificates, ...newCerts];
    const crlsField = children(sd.signedData).find((t) => t.tag === 0xa1);
    const crls = [...(crlsField ? children(crlsField).map(raw) : []), ...newCrls, ...newOcsps.map((o) => ctx(1, oid(LTV_OID.riOcspResponse), o))];
    return rebuild(sd, { certificates: certs, crls, signerInfo: raw(si.element), ...(newOcsps.length ? { version: 5 } : {}) });
  }
  // Merge into certificate-values / revocation-values, keeping the other attributes in order.
  const certValues: Uint8Array[] = [];
  const crlVals: Uint8Array[] = [];
  const ocspVals: Uint8Array[] = [];
  const kept: Uint8Array[] = [];
  let certAt = -1;
  let revAt = -1;
  const unsignedT = children(si.element).find((x) => x.tag === 0xa1);
  for (const a of unsignedT ? children(unsignedT) : []) {
    const type = readOid(children(a)[0]!);
    if (type === LTV_OID.certificateValues) {
      certAt = kept.length;
      for (const v of children(children(a)[1]!)) for (const c of children(v)) addUnique(certValues, raw(c));
    } else if (type === LTV_OID.revocationValues) {
      revAt = kept.length;
      for (const v of children(children(a)[1]!)) {
        for (const part of children(v)) {
          const inner = children(part)[0];
          if (!inner) continue;
          if (part.tag === 0xa0) for (const c of children(inner)) addUnique(crlVals, raw(c));
          if (part.tag === 0xa1) for (const o of children(inner)) addUnique(ocspVals, raw(o));
        }
      }
    } else kept.push(raw(a));
  }
  for (const c of newCerts) if (!sd.certificates.some((x) => same(x, c))) addUnique(certValues, c);
  for (const c of newCrls) addUnique(crlVals, c);
  for (const o of newOcsps) {
    const basic = basicFromOcspResponse(o);
    if (basic) addUnique(ocspVals, basic);
  }
  const certAttr = certValues.length ? encodeAttribute({ type: LTV_OID.certificateValues, values: [seq(...certValues)] }) : null;
  const revParts = [...(crlVals.length ? [ctx(0, seq(...crlVals))] : []), ...(ocspVals.length ? [ctx(1, seq(...ocspVals))] : [])];
  const revAttr = revParts.length ? encodeAttribute({ type: LTV_OID.revocationValues, values: [seq(...revParts)] }) : null;
  const unsigned = [...kept];
  // Existing attributes stay where they were; new ones go last (after the signature time-stamps).
  const insert = (at: number, attr: Uint8Array | null) => {
    if (!attr) return;
    if (at >= 0) unsigned.splice(Math.min(at, unsigned.length), 0, attr);
    else unsigned.push(attr);
  };
  insert(certAt, certAttr);
  insert(revAt >= 0 && certAt >= 0 && revAt >= certAt ? revAt + (certAttr ? 1 : 0) : revAt, revAttr);
  return rebuild(sd, { signerInfo: withUnsigned(si.element, unsigned) });
}

/** Options of {@link extendCades}. */
export interface ExtendCadesOptions extends Omit<ValidationDataOptions, 'prefer'> {
  readonly level: 'B-LT' | 'B-LTA';
  /** The TSA: for B-LTA, and for a signature-time-stamp when the signature has none (B-T first). */
  readonly timeStamper?: TimeStamper;
  /** The detached content: needed for B-LTA (archive-time-stamp-v3 hashes it). */
  readonly content?: Content;
  readonly digestEngine?: DigestEngine;
  /** Hash of the archive time-stamp; default SHA-256. */
  readonly hashAlgorithm?: HashAlgorithm;
  readonly prefer?: RevocationPreference;
  /** Throw `CMS_VALIDATION_DATA_INCOMPLETE` when a path or revocation data is missing. */
  readonly strict?: boolean;
}

/** What {@link extendCadesWithReport} did. */
export interface ExtendCadesReport {
  readonly p7s: Uint8Array;
  readonly problems: readonly string[];
  readonly archiveTimestamps: number;
}

/**
 * Raises a detached CAdES signature to B-LT (validation values of the signer's and the TSAs'
 * paths) or B-LTA (then an archive-time-stamp-v3 over the content, the signature and every
 * validation value). A signature without a signature-time-stamp gets one first when
 * `timeStamper` is given (B-LT builds on B-T). Running B-LTA again adds the data of the last
 * archive time-stamp and a new one.
 *
 * @example
 * ```ts
 * const lta = await extendCades(p7s, { level: 'B-LTA', content: fileBytes, timeStamper, http: fetchHttpClient(), trustAnchors: [rootDer] });
 * ```
 */
export async function extendCades(p7s: Uint8Array, options: ExtendCadesOptions): Promise<Uint8Array> {
  return (await extendCadesWithReport(p7s, options)).p7s;
}

/** {@link extendCades}, also telling what is missing. */
export async function extendCadesWithReport(p7s: Uint8Array, options: ExtendCadesOptions): Promise<ExtendCadesReport> {
  if (options?.level !== 'B-LT' && options?.level !== 'B-LTA') throw new CmsError('CMS_BAD_OPTIONS', `level must be B-LT or B-LTA, not ${String(options?.level)}.`);
  if (options.level === 'B-LTA' && (!options.timeStamper || options.content === undefined)) {
    throw new CmsError('CMS_BAD_OPTIONS', 'B-LTA needs a timeStamper and the detached content (archive-time-stamp-v3 hashes the content).');
  }
  let current = p7s;
  let sd = parseSignedData(current);
  let si = sd.signerInfos[0];
  if (!si) throw new CmsError('CMS_NO_SIGNER', 'The SignedData has no SignerInfo to extend.');
  if (!si.unsignedAttrs.some((a) => a.type === OID.signatureTimeStampToken) && options.timeStamper) {
    current = await addSignatureTimestamp(current, options.timeStamper);
    sd = parseSignedData(current);
    si = sd.signerInfos[0]!;
  }
  const embedded = readEmbeddedValidationData(current);
  const collector = await ValidationDataCollector.create({
    ...options,
    certificates: [...embedded.certificates, ...(options.certificates ?? [])],
    crls: [...embedded.crls, ...(options.crls ?? [])],
    ocspResponses: [...embedded.ocspResponses, ...(options.ocspResponses ?? [])],
  });
  const problems: string[] = [];
  const values = { certificates: [] as Uint8Array[], crls: [] as Uint8Array[], ocspResponses: [] as Uint8Array[] };
  const collectFor = async (der: Uint8Array, what: string, purpose: 'document-signing' | 'timestamping' | 'any') => {
    const tokenSd = parseSignedData(der);
    const signer = signerCertificateFor(tokenSd);
    if (!signer) {
      problems.push(`${what}: its certificate is not inside it`);
      return;
    }
    const data = await collector.collect(signer, tokenSd.certificates, purpose);
    for (const p of data.problems) problems.push(`${what}: ${p}`);
    for (const c of data.certificates) addUnique(values.certificates, c);
    for (const c of data.crls) addUnique(values.crls, c);
    for (const o of data.ocspResponses) addUnique(values.ocspResponses, o);
  };
  await collectFor(current, 'signature', 'any');
  for (const a of si.unsignedAttrs) {
    if (a.type === OID.signatureTimeStampToken) for (const t of a.values) await collectFor(t, 'signature time-stamp', 'timestamping');
    if (a.type === LTV_OID.archiveTimestampV3) for (const t of a.values) await collectFor(t, 'archive time-stamp', 'timestamping');
  }
  if (options.strict && problems.length) throw new CmsError('CMS_VALIDATION_DATA_INCOMPLETE', `Validation data is missing: ${problems.join('; ')}.`);
  current = addCadesValidationData(current, values);
  let archiveTimestamps = 0;
  if (options.level === 'B-LTA') {
    current = await addArchiveTimestampV3(current, { content: options.content!, timeStamper: options.timeStamper!, ...(options.hashAlgorithm ? { hashAlgorithm: options.hashAlgorithm } : {}), ...(options.digestEngine ? { digestEngine: options.digestEngine } : {}) });
    archiveTimestamps++;
  }
  return Object.freeze({ p7s: current, problems: Object.freeze(problems), archiveTimestamps });
}

/** ATSHashIndexV3 (ETSI EN 319 122-1 §5.5.2) of the first SignerInfo of `sd`, with `alg`. */
async function atsHashIndexV3(sd: ParsedSignedData, alg: HashAlgorithm): Promise<Uint8Array> {
  const f = children(sd.signedData);
  const certsT = f.find((t) => t.tag === 0xa0);
  const crlsT = f.find((t) => t.tag === 0xa1);
  const h = (b: Uint8Array) => hashBytes(alg, b);
  const certHashes = await Promise.all((certsT ? children(certsT) : []).map((c) => h(raw(c))));
  const crlHashes = await Promise.all((crlsT ? children(crlsT) : []).map((c) => h(raw(c))));
  const attrHashes = await unsignedValueHashes(sd, alg);
  const algField = alg === 'SHA-256' ? [] : [digestAlgorithmIdentifier(alg)];
  return seq(...algField, seq(...certHashes.map(octets)), seq(...crlHashes.map(octets)), seq(...attrHashes.map(octets)));
}

/** One hash per value of each unsigned attribute: H(attrType ‖ AttributeValue), both DER as found. */
async function unsignedValueHashes(sd: ParsedSignedData, alg: HashAlgorithm): Promise<Uint8Array[]> {
  const si = sd.signerInfos[0]!;
  const unsignedT = children(si.element).find((x) => x.tag === 0xa1);
  const out: Uint8Array[] = [];
  for (const a of unsignedT ? children(unsignedT) : []) {
    const [type, vals] = children(a);
    for (const v of children(vals!)) out.push(await hashBytes(alg, concat(raw(type!), raw(v))));
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The message imprint input of archive-time-stamp-v3 (ETSI EN 319 122-1 §5.5.3). */
async function archiveImprint(sd: ParsedSignedData, contentHash: Uint8Array, hashIndex: Uint8Array, alg: HashAlgorithm): Promise<Uint8Array> {
  const eci = children(children(sd.signedData)[2]!);
  const si = sd.signerInfos[0]!;
  // version, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature — as they appear.
  const siFields = children(si.element).filter((x) => x.tag !== 0xa1).map(raw);
  return hashBytes(alg, concat(raw(eci[0]!), contentHash, ...siFields, hashIndex));
}

/** Options of {@link addArchiveTimestampV3}. */
export interface AddArchiveTimestampOptions {
  readonly content: Content;
  readonly timeStamper: TimeStamper;
  readonly hashAlgorithm?: HashAlgorithm;
  readonly digestEngine?: DigestEngine;
}

/**
 * Adds an archive-time-stamp-v3 unsigned attribute (ETSI EN 319 122-1 §5.5.3) to the first
 * SignerInfo: a TimeStampToken over the hash of the eContentType, the content's hash, the
 * SignerInfo's signed fields and an ATSHashIndexV3 (hashes of every certificate, CRL and
 * unsigned attribute value present), which goes into the token's own unsigned attributes as
 * ats-hash-index-v3.
 */
export async function addArchiveTimestampV3(p7s: Uint8Array, options: AddArchiveTimestampOptions): Promise<Uint8Array> {
  const alg = options.hashAlgorithm ?? 'SHA-256';
  const sd = parseSignedData(p7s);
  const si = sd.signerInfos[0];
  if (!si) throw new CmsError('CMS_NO_SIGNER', 'The SignedData has no SignerInfo to archive-time-stamp.');
  const contentHash = await digestContent(options.content, alg, options.digestEngine);
  const index = await atsHashIndexV3(sd, alg);
  const imprint = await archiveImprint(sd, contentHash, index, alg);
  const token = await options.timeStamper.timestamp(imprint, alg);
  const tokenSd = parseSignedData(token);
  const tsi = tokenSd.signerInfos[0]!;
  const tUnsignedT = children(tsi.element).find((x) => x.tag === 0xa1);
  const tUnsigned = [...(tUnsignedT ? children(tUnsignedT).map(raw) : []), encodeAttribute({ type: LTV_OID.atsHashIndexV3, values: [index] })];
  const tokenWithIndex = rebuild(tokenSd, { signerInfo: withUnsigned(tsi.element, tUnsigned) });
  const unsignedT = children(si.element).find((x) => x.tag === 0xa1);
  const unsigned = [...(unsignedT ? children(unsignedT).map(raw) : []), encodeAttribute({ type: LTV_OID.archiveTimestampV3, values: [tokenWithIndex] })];
  return rebuild(sd, { signerInfo: withUnsigned(si.element, unsigned) });
}

/** The check of one archive-time-stamp-v3. */
export interface ArchiveTimestampCheck {
  readonly genTime: Date | null;
  /** Token intact, the ATSHashIndexV3 entries still present, and the imprint matching. */
  readonly valid: boolean;
  readonly tsaSubject: string | null;
  readonly problems: readonly string[];
}

/**
 * Verifies every archive-time-stamp-v3 of the first SignerInfo (ETSI EN 319 122-1 §5.5.3): the
 * token's CMS signature and TSA key usage, that every certificate, CRL and unsigned attribute
 * value listed in its ats-hash-index-v3 is still present unchanged, and its message imprint over
 * the content, the signature and that index. The TSA's certification path is not validated here
 * (use @kyso/trust with the values the signature carries).
 */
export async function verifyArchiveTimestamps(p7s: Uint8Array, options: { readonly content: Content; readonly digestEngine?: DigestEngine }): Promise<readonly ArchiveTimestampCheck[]> {
  const sd = parseSignedData(p7s);
  const si = sd.signerInfos[0];
  if (!si) return [];
  const out: ArchiveTimestampCheck[] = [];
  const f = children(sd.signedData);
  const certsT = f.find((t) => t.tag === 0xa0);
  const crlsT = f.find((t) => t.tag === 0xa1);
  for (const a of si.unsignedAttrs) {
    if (a.type !== LTV_OID.archiveTimestampV3) continue;
    for (const token of a.values) {
      const problems: string[] = [];
      try {
        const tsd = parseSignedData(token);
        const indexAttr = tsd.signerInfos[0]?.unsignedAttrs.find((x) => x.type === LTV_OID.atsHashIndexV3);
        if (!indexAttr?.values[0]) {
          out.push({ genTime: null, valid: false, tsaSubject: null, problems: ['the archive time-stamp has no ats-hash-index-v3'] });
          continue;
        }
        const index = indexAttr.values[0];
        const parts = children(parseOne(index));
        let i = 0;
        let alg: HashAlgorithm = 'SHA-256';
        if (parts[0] && children(parts[0]).length > 0 && children(parts[0])[0]!.tag === 0x06) {
          const h = hashFromOid(readOid(children(parts[i++]!)[0]!));
          if (!h || h === 'SHA-1') throw new CmsError('CMS_UNSUPPORTED_ALGORITHM', 'the ats-hash-index-v3 uses an unsupported hash');
          alg = h;
        }
        const [certIdx, crlIdx, attrIdx] = [parts[i], parts[i + 1], parts[i + 2]].map((p) => (p ? children(p).map((o) => readOctetString(o)) : []));
        const certHashes = await Promise.all((certsT ? children(certsT) : []).map((c) => hashBytes(alg, raw(c))));
        const crlHashes = await Promise.all((crlsT ? children(crlsT) : []).map((c) => hashBytes(alg, raw(c))));
        const attrHashes = await unsignedValueHashes(sd, alg);
        const missing = (listed: Uint8Array[] | undefined, now: Uint8Array[], what: string) => {
          for (const h of listed ?? []) if (!now.some((x) => same(x, h))) problems.push(`a ${what} covered by the archive time-stamp was removed or changed`);
        };
        missing(certIdx, certHashes, 'certificate');
        missing(crlIdx, crlHashes, 'CRL');
        missing(attrIdx, attrHashes, 'unsigned attribute value');
        const contentHash = await digestContent(options.content, alg, options.digestEngine);
        const imprint = await archiveImprint(sd, contentHash, index, alg);
        const tv = await verifyTimeStampToken(token, { imprint });
        problems.push(...tv.errors);
        out.push({ genTime: tv.genTime, valid: tv.valid && problems.length === 0, tsaSubject: tv.tsaSubject, problems });
      } catch (e) {
        if (!(e instanceof CmsError)) throw e;
        out.push({ genTime: null, valid: false, tsaSubject: null, problems: [e.message] });
      }
    }
  }
  return out;
}
