/**
 * Verifying a CMS/CAdES signature (RFC 5652 §5.6, ETSI EN 319 102-1 §5.2): finds the signer
 * certificate, checks the message digest, the signature value, the signing-certificate(-v2)
 * binding and, with trust anchors, walks the chain. Returns a frozen report; never throws for
 * a signature that fails, only for bytes that are not CMS at all.
 */
import { bytesEqual, systemClock, toHex, type Clock } from '@kyso/core';
import { children, contents, parseOne, raw, readOctetString, readOid, readTime } from '../asn1/der.js';
import { hashFromOid, HASH_LENGTH, OID, parseSignatureAlgorithm, type DigestAlgorithm, type SignatureAlgorithm } from '../algorithms.js';
import { parseCertificate, verifyWithCertificate, type CertificateInfo } from '../certificate.js';
import { digestBytes, digestContent, isDigestContent, type Content, type DigestEngine } from '../digest/digest-engine.js';
import { CmsError } from '../errors.js';
import type { CmsAttribute } from './attributes.js';
import { walkChain, type ChainWalkResult } from './chain.js';
import { verifyRsaPkcs1Digest } from './rsa-prehashed.js';
import { parseSignedData, type ParsedSignerInfo } from './signed-data.js';
import { verifyTimeStampToken, type TimeStampTokenVerification } from '../tsp/verify-token.js';

/** ETSI EN 319 102-1 §5.1.3 main indication. */
export type Indication = 'TOTAL-PASSED' | 'TOTAL-FAILED' | 'INDETERMINATE';

/** ETSI EN 319 102-1 §5.1.3 sub-indications used by this package, spelled as in the standard. */
export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'NOT_YET_VALID'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'SIGNED_DATA_NOT_FOUND'
  | 'CRYPTO_CONSTRAINTS_FAILURE';

/** Options of {@link verifyCades}. */
export interface VerifyCadesOptions {
  /**
   * The signed content of a detached signature: bytes, a stream of chunks, or `{ digest }`
   * computed with the SignerInfo's digest algorithm (see {@link inspectCms}). Not needed when
   * the content is encapsulated.
   */
  readonly content?: Content;
  /** Trust anchors (DER root certificates): turns on the chain walk. */
  readonly trustAnchors?: readonly Uint8Array[];
  /** More certificates to build the chain from (e.g. a PDF's DSS). */
  readonly extraCertificates?: readonly Uint8Array[];
  /** Validation time for the chain walk; default `clock.now()`. */
  readonly time?: Date;
  readonly clock?: Clock;
  /** Incremental hash for streamed content. */
  readonly digestEngine?: DigestEngine;
  /** Trust anchors for the TSAs of signature time-stamps; default `trustAnchors`. */
  readonly timestampTrustAnchors?: readonly Uint8Array[];
}

/** The chain part of the report. */
export interface ChainReport {
  /** `not-checked` when no trust anchors were given. */
  readonly status: 'trusted' | 'untrusted' | 'not-checked';
  /** Signer first, anchor last. */
  readonly path: readonly Uint8Array[];
  readonly errors: readonly string[];
  /** Always false here: revocation is `@kyso/trust`'s job. */
  readonly revocationChecked: false;
}

/** The frozen report of {@link verifyCades}. */
export interface CadesVerification {
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  /** messageDigestOk && signatureOk && the signing certificate binding holds (or is absent). */
  readonly intact: boolean;
  /** The signer certificate (DER), or null when it is not in the SignedData. */
  readonly signerCertificate: Uint8Array | null;
  /** Subject of the signer certificate as "C=VN, …, CN=…" (RDNs in encoding order), or null. */
  readonly signerSubject: string | null;
  /** SHA-256 of the signer certificate, hex. */
  readonly signerCertificateSha256: string | null;
  /** Every certificate in the SignedData (DER, verbatim). */
  readonly certificates: readonly Uint8Array[];
  /** CRLs in the SignedData (DER). */
  readonly crls: readonly Uint8Array[];
  readonly digestAlgorithm: DigestAlgorithm | null;
  readonly signatureAlgorithm: SignatureAlgorithm | null;
  readonly signedAttributesPresent: boolean;
  readonly messageDigestOk: boolean;
  readonly signatureOk: boolean;
  /** True/false when signing-certificate-v2 (or v1) is present, `'absent'` otherwise. */
  readonly signingCertificateV2Ok: boolean | 'absent';
  /** The claimed signing time (signing-time attribute), not a proof of time. */
  readonly signingTime: Date | null;
  /** eContentType. */
  readonly contentType: string;
  /** The encapsulated content, when attached (e.g. the SHA-1 digest of adbe.pkcs7.sha1). */
  readonly encapsulatedContent: Uint8Array | null;
  /** commitment-type-indication OID, when present. */
  readonly commitmentType: string | null;
  readonly signedAttributes: readonly CmsAttribute[];
  readonly unsignedAttributes: readonly CmsAttribute[];
  /** The TimeStampToken values of signature-time-stamp attributes (ContentInfo DER each). */
  readonly signatureTimeStamps: readonly Uint8Array[];
  /** Each signature time-stamp verified against the signature value (same order). */
  readonly signatureTimeStampChecks: readonly TimeStampTokenVerification[];
  /** `B-T` when a valid signature time-stamp is present, else `B-B` (signing-certificate-v2 present) or null. */
  readonly level: 'B-B' | 'B-T' | null;
  /** genTime of the earliest valid signature time-stamp: proof the signature existed then. */
  readonly timestampTime: Date | null;
  readonly signatureValue: Uint8Array;
  readonly signerCount: number;
  readonly chain: ChainReport;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** A quick look at a SignedData, before hashing: which digest to compute, is the content inside. */
export interface CmsSummary {
  readonly contentType: string;
  readonly detached: boolean;
  /** Digest algorithm of the first SignerInfo. */
  readonly digestAlgorithm: DigestAlgorithm | null;
  readonly signerCount: number;
  readonly certificates: readonly Uint8Array[];
}

/** Reads what a verifier needs to know first (e.g. which hash to run over a PDF's ByteRange). Throws `CmsError` for non-CMS bytes. */
export function inspectCms(der: Uint8Array): CmsSummary {
  const sd = parseSignedData(der);
  return Object.freeze({
    contentType: sd.eContentType,
    detached: sd.eContent === undefined,
    digestAlgorithm: sd.signerInfos[0]?.digestAlgorithm ?? null,
    signerCount: sd.signerInfos.length,
    certificates: Object.freeze([...sd.certificates]),
  });
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.6': 'C', '2.5.4.8': 'ST', '2.5.4.7': 'L', '2.5.4.9': 'street', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.12': 'title',
  '2.5.4.4': 'SN', '2.5.4.42': 'GN', '2.5.4.3': 'CN', '0.9.2342.19200300.100.1.1': 'UID', '2.5.4.5': 'serialNumber',
  '2.5.4.97': 'organizationIdentifier', '1.2.840.113549.1.9.1': 'emailAddress',
};

/** "C=VN, O=…, CN=…" from a Name, RDNs in encoding order (as OpenSSL and the testkit print them). Strings decoded as UTF-8/BMP. */
export function formatName(name: Uint8Array): string {
  try {
    const parts: string[] = [];
    for (const rdn of children(parseOne(name))) {
      for (const atv of children(rdn)) {
        const [t, v] = children(atv);
        const type = readOid(t!);
        const c = contents(v!);
        let s: string;
        if (v!.tag === 0x1e) {
          s = '';
          for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
        } else s = new TextDecoder().decode(c);
        parts.push(`${SHORT_NAMES[type] ?? type}=${s.replace(/([,+"\\<>;])/g, '\\$1')}`);
      }
    }
    return parts.join(', ');
  } catch {
    return '(unreadable name)';
  }
}

function findSignerCertificate(si: ParsedSignerInfo, pool: readonly Uint8Array[]): CertificateInfo | null {
  for (const der of pool) {
    let c: CertificateInfo;
    try {
      c = parseCertificate(der);
    } catch {
      continue;
    }
    if (si.sid.kind === 'issuerAndSerialNumber') {
      if (bytesEqual(c.issuer, si.sid.issuer) && bytesEqual(c.serialNumber, si.sid.serialNumber)) return c;
    } else if (c.subjectKeyIdentifier && bytesEqual(c.subjectKeyIdentifier, si.sid.keyIdentifier)) return c;
  }
  return null;
}

/** Checks an ESSCertID(v2) list against the signer certificate (RFC 5035 §4, RFC 2634 §5.4). */
async function checkSigningCertificate(value: Uint8Array, cert: CertificateInfo, v2: boolean): Promise<string | null> {
  try {
    const certs = children(children(parseOne(value))[0]!);
    const first = certs[0];
    if (!first) return 'the signing-certificate attribute lists no certificate';
    const f = children(first);
    let i = 0;
    let hash: DigestAlgorithm = v2 ? 'SHA-256' : 'SHA-1';
    if (v2 && f[0]?.tag === 0x30) {
      const h = hashFromOid(readOid(children(f[i++]!)[0]!));
      if (!h) return 'the signing-certificate-v2 attribute uses an unknown hash algorithm';
      hash = h;
    }
    const certHash = contents(f[i++]!);
    const actual = await digestBytes(hash, cert.der);
    if (!bytesEqual(certHash, actual)) return `the ${v2 ? 'signing-certificate-v2' : 'signing-certificate'} hash does not match the signer certificate (the certificate was replaced)`;
    const issuerSerial = f[i];
    if (issuerSerial) {
      const [gns, serial] = children(issuerSerial);
      const dirName = children(gns!).find((g) => g.tag === 0xa4);
      const issuerOk = dirName ? bytesEqual(raw(children(dirName)[0]!), cert.issuer) : true;
      if (!issuerOk || !bytesEqual(raw(serial!), cert.serialNumber)) return 'the signing-certificate issuerSerial does not name the signer certificate';
    }
    return null;
  } catch {
    return 'the signing-certificate attribute is malformed';
  }
}

/**
 * Verifies a CMS SignedData / CAdES signature and returns a frozen {@link CadesVerification}.
 * Only the first SignerInfo is verified (`signerCount` tells how many there are).
 *
 * Throws `CmsError` only when `der` is not a CMS SignedData at all (empty, truncated, random).
 *
 * @example
 * ```ts
 * const r = await verifyCades(p7s, { content: fileBytes, trustAnchors: [rootDer] });
 * if (r.indication !== 'TOTAL-PASSED') console.log(r.subIndication, r.errors);
 * ```
 */
export async function verifyCades(der: Uint8Array, options: VerifyCadesOptions = {}): Promise<CadesVerification> {
  const sd = parseSignedData(der);
  const errors: string[] = [];
  const warnings: string[] = [];
  const si = sd.signerInfos[0];
  if (!si) throw new CmsError('CMS_NO_SIGNER', 'The SignedData has no SignerInfo: it holds certificates but no signature (a "certs-only" file).');
  if (sd.signerInfos.length > 1) warnings.push(`the SignedData has ${sd.signerInfos.length} SignerInfos; only the first was verified`);

  let format = false;
  const pool = [...sd.certificates, ...(options.extraCertificates ?? [])];
  const cert = findSignerCertificate(si, pool);
  const digestAlgorithm = si.digestAlgorithm ?? null;
  if (!digestAlgorithm) {
    errors.push(`unsupported digest algorithm ${si.digestAlgorithmOid}`);
    format = true;
  } else if (digestAlgorithm === 'SHA-1') warnings.push('SHA-1 is used as the digest algorithm: it is weak and no longer acceptable for new signatures (ETSI TS 119 312)');

  let signatureAlgorithm: SignatureAlgorithm | null = null;
  try {
    signatureAlgorithm = parseSignatureAlgorithm(si.signatureAlgorithm, digestAlgorithm ?? undefined);
    if (signatureAlgorithm.hash === 'SHA-1' && digestAlgorithm !== 'SHA-1') warnings.push('the signature is computed with SHA-1, which is weak');
  } catch (e) {
    errors.push(e instanceof Error ? e.message : String(e));
    format = true;
  }

  // Signed attributes (RFC 5652 §5.3, §11; ETSI EN 319 122-1 §5.2).
  const attrs = si.signedAttrs ?? [];
  const one = (type: string, name: string, mandatory: boolean): Uint8Array | null => {
    const found = attrs.filter((a) => a.type === type);
    if (found.length > 1) {
      errors.push(`the ${name} signed attribute appears ${found.length} times (RFC 5652 §11 allows one)`);
      format = true;
      return null;
    }
    const a = found[0];
    if (!a) {
      if (mandatory) {
        errors.push(`the mandatory ${name} signed attribute is missing (RFC 5652 §5.3)`);
        format = true;
      }
      return null;
    }
    if (a.values.length !== 1) {
      errors.push(`the ${name} signed attribute must have exactly one value, it has ${a.values.length}`);
      format = true;
      return null;
    }
    return a.values[0]!;
  };
  let claimedDigest: Uint8Array | null = null;
  let signingTime: Date | null = null;
  let commitmentType: string | null = null;
  let signingCertificateV2Ok: boolean | 'absent' = 'absent';
  const signedAttributesPresent = si.signedAttrs !== undefined;
  if (signedAttributesPresent) {
    const ct = one(OID.contentType, 'content-type', true);
    if (ct) {
      let ctOid = '';
      try {
        ctOid = readOid(parseOne(ct));
      } catch {
        /* reported below */
      }
      if (ctOid !== sd.eContentType) {
        errors.push(`the content-type attribute (${ctOid || 'unreadable'}) differs from the eContentType (${sd.eContentType})`);
        format = true;
      }
    }
    const md = one(OID.messageDigest, 'message-digest', true);
    if (md) {
      try {
        claimedDigest = readOctetString(parseOne(md));
      } catch {
        errors.push('the message-digest attribute is not an OCTET STRING');
        format = true;
      }
    }
    const st = one(OID.signingTime, 'signing-time', false);
    if (st) {
      try {
        signingTime = readTime(parseOne(st));
      } catch {
        errors.push('the signing-time attribute is not a valid time');
        format = true;
      }
    }
    const cti = one(OID.commitmentType, 'commitment-type-indication', false);
    if (cti) {
      try {
        commitmentType = readOid(children(parseOne(cti))[0]!);
      } catch {
        warnings.push('the commitment-type-indication attribute is unreadable');
      }
    }
    const scv2 = one(OID.signingCertificateV2, 'signing-certificate-v2', false);
    const scv1 = one(OID.signingCertificate, 'signing-certificate', false);
    if (scv2 && scv1) warnings.push('both signing-certificate and signing-certificate-v2 are present; ETSI EN 319 122-1 §5.2.2.3 allows only one');
    if (cert && (scv2 || scv1)) {
      const problem = await checkSigningCertificate((scv2 ?? scv1)!, cert, scv2 !== null);
      signingCertificateV2Ok = problem === null;
      if (problem) errors.push(problem);
      if (!scv2) warnings.push('the signature uses the SHA-1 based signing-certificate (v1) attribute');
    } else if (!scv2 && !scv1) {
      warnings.push('no signing-certificate-v2 attribute: not a CAdES baseline signature (ETSI EN 319 122-1 §6.3), the signer certificate is not bound to the signature');
    }
  } else {
    warnings.push('the SignerInfo has no signed attributes: the signature covers the content directly (plain PKCS#7), with no signing-certificate binding');
  }

  // Message digest (RFC 5652 §5.4).
  let messageDigestOk = false;
  let contentDigest: Uint8Array | null = null;
  let contentMissing = false;
  let contentBytes: Uint8Array | null = null;
  if (digestAlgorithm) {
    if (sd.eContent !== undefined) {
      contentBytes = sd.eContent;
      contentDigest = await digestContent(sd.eContent, digestAlgorithm);
      if (options.content !== undefined) warnings.push('the signature encapsulates its content; the content given to the verifier was not used');
    } else if (options.content !== undefined) {
      if (isDigestContent(options.content) && options.content.digest.length !== HASH_LENGTH[digestAlgorithm]) {
        errors.push(`the given digest has ${options.content.digest.length} bytes but the signature uses ${digestAlgorithm}; compute the digest with ${digestAlgorithm}`);
      } else {
        if (options.content instanceof Uint8Array) contentBytes = options.content;
        contentDigest = await digestContent(options.content, digestAlgorithm, options.digestEngine);
      }
    } else {
      contentMissing = true;
      errors.push('the signature is detached and no content was given; pass the signed file as `content`');
    }
  }
  if (contentDigest && signedAttributesPresent && claimedDigest) {
    messageDigestOk = bytesEqual(contentDigest, claimedDigest);
    if (!messageDigestOk) errors.push('the message digest does not match the content: the content was changed or this signature is for other content');
  }

  // Signature value (RFC 5652 §5.6).
  let signatureOk = false;
  if (cert && signatureAlgorithm) {
    if (signedAttributesPresent) {
      signatureOk = await verifyWithCertificate(cert, signatureAlgorithm, si.signature, si.signedAttrsDer!);
    } else if (contentBytes) {
      signatureOk = await verifyWithCertificate(cert, signatureAlgorithm, si.signature, contentBytes);
      messageDigestOk = signatureOk;
    } else if (contentDigest) {
      if (signatureAlgorithm.name === 'RSASSA-PKCS1-v1_5') {
        signatureOk = verifyRsaPkcs1Digest(cert.spki, signatureAlgorithm.hash, contentDigest, si.signature);
        messageDigestOk = signatureOk;
      } else {
        errors.push(`a ${signatureAlgorithm.name} signature without signed attributes can only be verified over the content bytes; pass the content as a Uint8Array`);
      }
    }
    if (!signatureOk && (signedAttributesPresent || contentDigest)) errors.push('the signature value does not verify with the signer certificate\'s public key');
  }
  if (!cert) errors.push('the signer certificate is not in the signature (nor in the extra certificates given)');

  // Chain walk.
  let chain: ChainReport = { status: 'not-checked', path: [], errors: [], revocationChecked: false };
  let walk: ChainWalkResult | null = null;
  if (cert && options.trustAnchors && options.trustAnchors.length > 0) {
    const at = options.time ?? (options.clock ?? systemClock).now();
    walk = await walkChain(cert.der, [...pool, ...options.trustAnchors], options.trustAnchors, at);
    chain = { status: walk.status, path: walk.path, errors: walk.errors, revocationChecked: false };
    errors.push(...walk.errors);
    warnings.push('revocation was not checked (no CRL/OCSP): the chain walk checks signatures and validity dates only');
  } else if (cert) {
    warnings.push('no trust anchors given: the certificate chain was not validated');
  }

  // Indication, worst first (ETSI EN 319 102-1 §5.1.3).
  const intact = messageDigestOk && signatureOk && signingCertificateV2Ok !== false && !format;
  let indication: Indication;
  let sub: SubIndication | null;
  if (format) [indication, sub] = ['TOTAL-FAILED', 'FORMAT_FAILURE'];
  else if (!cert) [indication, sub] = ['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND'];
  else if (contentMissing) [indication, sub] = ['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND'];
  else if (signedAttributesPresent && contentDigest && !messageDigestOk) [indication, sub] = ['TOTAL-FAILED', 'HASH_FAILURE'];
  else if (!signatureOk && !signedAttributesPresent && contentDigest && (contentBytes || signatureAlgorithm?.name === 'RSASSA-PKCS1-v1_5')) [indication, sub] = ['TOTAL-FAILED', 'HASH_FAILURE'];
  else if (!signatureOk && signedAttributesPresent) [indication, sub] = ['TOTAL-FAILED', 'SIG_CRYPTO_FAILURE'];
  else if (!signatureOk) [indication, sub] = ['INDETERMINATE', 'SIGNED_DATA_NOT_FOUND'];
  else if (signingCertificateV2Ok === false) [indication, sub] = ['INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND'];
  else if (!walk) [indication, sub] = ['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'];
  else if (walk.notYetValid && signingTime && signingTime < parseCertificate(cert.der).notBefore) [indication, sub] = ['TOTAL-FAILED', 'NOT_YET_VALID'];
  else if (walk.noPath) [indication, sub] = ['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'];
  else if (walk.expired) [indication, sub] = ['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE'];
  else if (walk.status !== 'trusted') [indication, sub] = ['INDETERMINATE', 'CERTIFICATE_CHAIN_GENERAL_FAILURE'];
  else [indication, sub] = ['TOTAL-PASSED', null];

  const certHash = cert ? toHex(await digestBytes('SHA-256', cert.der)) : null;
  const signatureTimeStamps = si.unsignedAttrs.filter((a) => a.type === OID.signatureTimeStampToken).flatMap((a) => a.values);
  const signatureTimeStampChecks: TimeStampTokenVerification[] = [];
  for (const [n, token] of signatureTimeStamps.entries()) {
    try {
      const anchors = options.timestampTrustAnchors ?? options.trustAnchors;
      const check = await verifyTimeStampToken(token, { data: si.signature, ...(anchors ? { trustAnchors: anchors } : {}), extraCertificates: pool });
      signatureTimeStampChecks.push(check);
      if (!check.valid) warnings.push(`signature time-stamp #${n + 1} is not valid: ${check.errors.join('; ')}`);
    } catch (e) {
      warnings.push(`signature time-stamp #${n + 1} is unreadable: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const validTimes = signatureTimeStampChecks.filter((c) => c.valid && c.genTime).map((c) => c.genTime!.getTime());
  const timestampTime = validTimes.length ? new Date(Math.min(...validTimes)) : null;
  const hasSigningCert = signingCertificateV2Ok === true;
  const level = !hasSigningCert || !intact ? null : timestampTime ? 'B-T' : 'B-B';
  return deepFreeze({
    indication,
    subIndication: sub,
    intact,
    signerCertificate: cert?.der ?? null,
    signerSubject: cert ? formatName(cert.subject) : null,
    signerCertificateSha256: certHash,
    certificates: [...sd.certificates],
    crls: [...sd.crls],
    digestAlgorithm,
    signatureAlgorithm,
    signedAttributesPresent,
    messageDigestOk,
    signatureOk,
    signingCertificateV2Ok,
    signingTime,
    contentType: sd.eContentType,
    encapsulatedContent: sd.eContent ?? null,
    commitmentType,
    signedAttributes: attrs,
    unsignedAttributes: si.unsignedAttrs,
    signatureTimeStamps,
    signatureTimeStampChecks,
    level,
    timestampTime,
    signatureValue: si.signature,
    signerCount: sd.signerInfos.length,
    chain,
    errors,
    warnings,
  });
}

/** Freezes plain objects and arrays (byte arrays and dates stay as they are). */
function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !(o instanceof Uint8Array) && !(o instanceof Date) && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

