import { bytesEqual, decodePem, looksLikePem, systemClock, toArrayBuffer, trimDer, type Clock, type HttpClient } from '@kyso/core';
import { CmsError, inspectCms, verifyCades, verifyTimeStampToken, type CadesVerification, type DigestAlgorithm, type DigestEngine } from '@kyso/cms';
import { listSignatures, MemoryByteSource, parsePdfDate, PdfDocument, PdfRef, type PdfSignatureInfo } from '@kyso/pdf';
import type { Certificate, FetchCache } from '@kyso/trust';
import { checkByteRange, coverageOf, readBytes, type ByteAccess, type Coverage } from '../byterange/check.js';
import type { ByteRange } from '../byterange/placeholder.js';
import { nativeDigestEngine } from '../sign/digest-ranges.js';
import { RangeDigests } from './range-digests.js';
import { scanReferencesAlong } from './diff/dangling.js';
import { certificationSignature, docMdpPermissionOf, readFieldLock, type DocMdpPermission, type FieldLock } from '../mdp/permissions.js';
import { analyseModifications } from './modifications.js';
import { assessTrust, levelOf } from '../ltv/assess.js';
import { LongTermValidator } from '../ltv/long-term-validation.js';
import type { Indication, PdfVerificationReport, SignatureKind, SignatureReport, SignerIdentity, SubIndication } from './report.js';

/** Options of {@link verifyPdf}. */
export interface VerifyPdfOptions {
  /**
   * Trust anchors: DER certificates, or PEM text/bytes holding one or more. Without them no
   * chain is validated and no signature can be TOTAL-PASSED (INDETERMINATE /
   * NO_CERTIFICATE_CHAIN_FOUND), as ETSI EN 319 102-1 §5.2.6 requires.
   */
  readonly trustAnchors?: readonly (Uint8Array | string)[];
  /** The validation time; default now (from `clock`). */
  readonly time?: Date;
  readonly clock?: Clock;
  /**
   * Incremental digest engine (e.g. `nodeDigestEngine`); default Node's native hash where there is
   * one, else WebCrypto over a copy of the ranges. When its hashes can be copied, all the
   * signatures' byte ranges are hashed in one pass over the file.
   */
  readonly digestEngine?: DigestEngine;
  /**
   * Fetch the OCSP responses, CRLs and issuer certificates that the file lacks, from the URLs in
   * the certificates (as pdfsig and EU DSS do). Default true. `false` uses only what is in the
   * file (DSS, CMS): that is what `kyso verify --offline` means.
   */
  readonly online?: boolean;
  /** How to reach OCSP responders, CRL distribution points and caIssuers; default `fetchHttpClient()` of @kyso/core. */
  readonly http?: HttpClient;
  /** The revocation fetch cache, shared between calls (e.g. `new MemoryFetchCache()` of @kyso/trust); default one per call. */
  readonly cache?: FetchCache;
  /** Milliseconds per request; default 10 000. */
  readonly timeoutMs?: number;
  /**
   * Require revocation data for certificates that name no CRL or OCSP service; default false
   * (such certificates pass with a warning that revocation was not checked).
   */
  readonly requireRevocation?: boolean;
}

const SUPPORTED = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached', 'adbe.pkcs7.sha1']);

/**
 * Verifies every signature of a PDF and returns a frozen report in the shape of
 * `kyso verify --format json` (DESIGN.md). Per signature: the /ByteRange (ISO 32000-2 §12.8.1:
 * starts at 0, two ranges, the gap is exactly the /Contents string, ends where its revision
 * ends), the digest and CMS signature (via @kyso/cms), the signing-certificate binding, the
 * coverage, the changes made by later revisions (DocMDP/FieldMDP), and with `trustAnchors` an
 * RFC 5280 path validation (via @kyso/trust; revocation is not checked yet and the report says so).
 *
 * Never throws for a bad signature. Throws a `KysoError` only for input that is not a readable
 * PDF (e.g. `PDF_NOT_PDF`, `PDF_ENCRYPTED`).
 *
 * @example
 * ```ts
 * const report = await verifyPdf(bytes, { trustAnchors: [rootPem] });
 * for (const s of report.signatures) console.log(s.field, s.indication, s.subIndication);
 * ```
 */
export async function verifyPdf(pdf: Uint8Array, options: VerifyPdfOptions = {}): Promise<PdfVerificationReport> {
  return verifyDocument(PdfDocument.open(pdf), options);
}

/**
 * {@link verifyPdf} on an opened document, whose bytes may be read on demand (the Node file API
 * passes a file-backed document and an incremental digest engine).
 * @internal
 */
export async function verifyDocument(doc: PdfDocument, options: VerifyPdfOptions = {}): Promise<PdfVerificationReport> {
  // Loaded on first use: path validation is not needed to sign, and importing it costs start-up time (FIELD-NOTES.md).
  trust ??= await import('@kyso/trust');
  const source = doc.source;
  const bytes: ByteAccess = source instanceof MemoryByteSource ? source.bytes : source;
  const anchors = readAnchors(options.trustAnchors ?? []);
  const time = options.time ?? (options.clock ?? systemClock).now();
  const sigs = listSignatures(doc, { unlisted: true });
  const online = options.online ?? true;
  const ltv = await LongTermValidator.create(doc, {
    anchors,
    time,
    online,
    http: options.http,
    cache: options.cache,
    timeoutMs: options.timeoutMs,
    requireRevocation: options.requireRevocation,
  });
  const certSig = certificationSignature(doc.catalog, doc);
  let docMdp: DocMdpPermission | null = certSig ? docMdpPermissionOf(certSig, doc) : null;
  for (const s of sigs) {
    const p = docMdpPermissionOf(s.dict, doc);
    if (p !== null && (docMdp === null || p < docMdp)) docMdp = p;
  }
  // Signatures in file order (by revision), so locks accumulate in the order they were applied.
  const ordered = [...sigs].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  const locks: FieldLock[] = [];
  const locksAt = new Map<PdfSignatureInfo, FieldLock[]>();
  for (const s of ordered) {
    const ref = s.references.find((r) => r.transformMethod === 'FieldMDP');
    const lock = readFieldLock(ref?.transformParams, doc) ?? readFieldLock(s.field.lock, doc);
    if (lock) locks.push(lock);
    locksAt.set(s, [...locks]);
  }
  // Document time-stamps first, newest first: each valid one is a proof of existence of every
  // earlier revision (ETSI EN 319 102-1 §5.6.2.3), used by the ones before it and by the signatures.
  const isTs = (s: PdfSignatureInfo) => s.type === 'DocTimeStamp' || s.subFilter === 'ETSI.RFC3161';
  const reports = new Map<PdfSignatureInfo, SignatureReport>();
  // Every signature's byte ranges hashed in one pass over the file where the hashes can be copied.
  // When revisions follow a signature, their analysis searches the file for references
  // (diff/dangling.ts): the file is searched as the pass reads it, not read twice.
  const last = doc.revisions.length - 1;
  const analysed = sigs.some((s) => s.revision !== undefined && s.revision < last);
  const digests = RangeDigests.create(bytes, sigs.map((s) => s.byteRange), options.digestEngine ?? nativeDigestEngine(), analysed ? scanReferencesAlong(source) : undefined);
  for (const s of [...ordered.filter(isTs).reverse(), ...ordered.filter((x) => !isTs(x))]) {
    reports.set(s, await verifyOne(doc, bytes, s, { anchors, time, docMdp, locks: locksAt.get(s)!, digests, certSigRef: certSig ? doc.catalog.getDict('Perms', doc)?.getRef('DocMDP') : undefined, ltv }));
  }
  return deepFreeze({ revisions: doc.revisions.length, signatures: sigs.map((s) => reports.get(s)!) });
}

let trust: typeof import('@kyso/trust') | undefined;

interface Context {
  readonly anchors: Certificate[];
  readonly time: Date;
  readonly docMdp: DocMdpPermission | null;
  readonly locks: FieldLock[];
  readonly digests: RangeDigests | undefined;
  readonly certSigRef: PdfRef | undefined;
  readonly ltv: LongTermValidator;
}

async function verifyOne(doc: PdfDocument, bytes: ByteAccess, s: PdfSignatureInfo, ctx: Context): Promise<SignatureReport> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const revIndex = s.revision ?? doc.revisions.length - 1;
  const revision = doc.revisions[revIndex]!;
  const subFilter = s.subFilter ?? null;
  const isTimestamp = s.type === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161';
  const isCertification = s.references.some((r) => r.transformMethod === 'DocMDP');
  const kind: SignatureKind = isTimestamp ? 'document-timestamp' : isCertification ? 'certification' : 'approval';
  if (isCertification && ctx.certSigRef && s.ref && !ctx.certSigRef.equals(s.ref)) {
    warnings.push('the signature has a DocMDP reference but the catalog\'s /Perms /DocMDP points to another signature');
  }
  if (!s.inAcroForm) {
    warnings.push('the signature field is not in the AcroForm\'s /Fields (ISO 32000-2 §12.7.3.1); it was found through its page\'s /Annots, and some readers do not show it');
  }
  let format = false;

  // ByteRange (ISO 32000-2 §12.8.1; ETSI EN 319 142-1 §5.4.2).
  const eofEnd = revision.eofEnd;
  let range: ByteRange | null = null;
  let coverage: Coverage = 'partial';
  if (!s.contentsSpan) {
    errors.push('/Contents is not a string in the file (e.g. inside an object stream), so the ByteRange cannot be checked');
    format = true;
  } else {
    const check = checkByteRange(s.byteRange, { bytes, contentsStart: s.contentsSpan.start, contentsEnd: s.contentsSpan.end, revisionEofEnd: eofEnd, revisionEnd: revision.end });
    if (!check.ok) {
      format = true;
      errors.push(...check.problems.map((p) => `ByteRange: ${p}`));
    }
    range = check.range;
    if (range) coverage = coverageOf(range, bytes, eofEnd, revIndex === doc.revisions.length - 1);
  }
  if (!range && Array.isArray(s.byteRange) && s.byteRange.length === 4) range = s.byteRange as unknown as ByteRange;
  const inBounds = range !== null && range.every((n) => Number.isSafeInteger(n) && n >= 0) && range[0] + range[1] <= bytes.length && range[2] + range[3] <= bytes.length;

  let cms: CadesVerification | null = null;
  let weakSha1 = false;
  let hashMismatch = false;
  let timestampTime: string | null = null;
  let docTsGenTime: Date | undefined;
  let cmsDer: Uint8Array | null = null;
  if (isTimestamp && subFilter === 'ETSI.RFC3161' && s.contents && inBounds && range) {
    // ISO 32000-2 §12.8.5, ETSI EN 319 142-1 §5.4.3: a TimeStampToken whose message imprint is the hash of the ranges.
    try {
      const token = trimDer(s.contents);
      cmsDer = token;
      const tsv = await verifyTimeStampToken(token, {});
      const tst = tsv.tstInfo!;
      cms = tsv.signature;
      for (const e of tsv.errors) if (!cms.errors.includes(e)) errors.push(e);
      const alg = tst.hashAlgorithm;
      if (!alg) {
        errors.push(`the document timestamp uses an unknown hash algorithm ${tst.hashAlgorithmOid}`);
        format = true;
      } else {
        const digest = await digestRange(bytes, range, alg, ctx);
        if (!bytesEqual(digest, tst.messageImprint)) {
          hashMismatch = true;
          errors.push('the document timestamp\'s message imprint does not match the signed byte ranges: the document was changed');
        }
      }
      timestampTime = tst.genTime.toISOString();
      docTsGenTime = tst.genTime;
    } catch (e) {
      if (!(e instanceof CmsError)) throw e;
      errors.push(`the /Contents is not a readable time-stamp token: ${e.message}`);
      format = true;
    }
  } else if (isTimestamp) {
    errors.push(subFilter !== 'ETSI.RFC3161' ? `a document timestamp must have /SubFilter /ETSI.RFC3161, not ${subFilter ?? '(none)'}` : 'the document timestamp has no readable /Contents or /ByteRange');
    format = true;
  } else if (!subFilter || !SUPPORTED.has(subFilter)) {
    errors.push(`unsupported /SubFilter ${subFilter ?? '(none)'}: kyso verifies ETSI.CAdES.detached, adbe.pkcs7.detached and adbe.pkcs7.sha1`);
    format = true;
  } else if (!s.contents || !inBounds || !range) {
    errors.push(!s.contents ? 'the signature has no /Contents' : 'the /ByteRange points outside the file');
    format = true;
  } else {
    const der = trimDer(s.contents);
    cmsDer = der;
    try {
      const info = inspectCms(der);
      if (subFilter === 'adbe.pkcs7.sha1') {
        // ISO 32000-1 §12.8.3.3.1: the SHA-1 digest of the ranges is the encapsulated content.
        weakSha1 = true;
        warnings.push('adbe.pkcs7.sha1 signs a SHA-1 digest of the document: SHA-1 is weak, and this SubFilter is deprecated (ISO 32000-2 §12.8.3.3)');
        const digest = await digestRange(bytes, range, 'SHA-1', ctx);
        cms = await verifyCades(der, {});
        if (!cms.encapsulatedContent || !bytesEqual(cms.encapsulatedContent, digest)) {
          hashMismatch = true;
          errors.push('the SHA-1 digest in the signature does not match the signed byte ranges: the document was changed');
        }
      } else {
        if (!info.detached) warnings.push(`${subFilter} should be detached but the SignedData encapsulates content`);
        const alg: DigestAlgorithm = info.digestAlgorithm ?? 'SHA-256';
        const digest = await digestRange(bytes, range, alg, ctx);
        cms = await verifyCades(der, { content: { digest } });
        if (cms.errors.some((e) => e.includes('can only be verified over the content bytes'))) {
          cms = await verifyCades(der, { content: joinRanges(bytes, range) });
        }
      }
    } catch (e) {
      if (!(e instanceof CmsError)) throw e;
      errors.push(`the /Contents is not a readable CMS SignedData: ${e.message}`);
      format = true;
    }
  }

  if (cms) {
    for (const e of cms.errors) errors.push(e);
    for (const w of cms.warnings) if (!w.startsWith('no trust anchors given')) warnings.push(w);
    if (subFilter === 'ETSI.CAdES.detached') {
      if (cms.signingTime) warnings.push('the CMS has a signing-time attribute, which ETSI EN 319 142-1 §5.2.3 forbids in PAdES (the time belongs in /M)');
      if (!cms.signedAttributesPresent || cms.signingCertificateV2Ok === 'absent') warnings.push('not a PAdES baseline signature: no signed signing-certificate(-v2) attribute (ETSI EN 319 142-1 §6.3)');
    }
  }

  // Time-stamps, proof of existence and the certificate path for the long term (ETSI EN 319 102-1
  // §5.4–§5.6 via src/ltv: RFC 5280 path by @kyso/trust, revocation from the DSS/CMS, fetched when online).
  let leaf: Certificate | null = null;
  if (cms?.signerCertificate) {
    try {
      leaf = trust!.Certificate.fromDer(cms.signerCertificate);
    } catch {
      leaf = null;
    }
  }
  const claimed = s.signingTime ? parsePdfDate(s.signingTime) : undefined;
  const assessed = cms
    ? await assessTrust(ctx.ltv, leaf, { revision: revIndex, field: s.field.name, isDocumentTimestamp: isTimestamp, cms, der: cmsDer ?? new Uint8Array(0), genTime: docTsGenTime, claimed })
    : null;
  if (assessed) {
    if (!isTimestamp) timestampTime = assessed.timestampTime;
    errors.push(...assessed.errors);
    warnings.push(...assessed.warnings);
  }
  if (leaf && ctx.anchors.length === 0) warnings.push('no trust anchors given: the certificate chain was not validated');

  const mods = analyseModifications(doc, revIndex, { docMdp: ctx.docMdp, locks: ctx.locks });
  const modificationsAfter = mods.status;
  for (const c of mods.changes) if (!c.allowed) errors.push(`revision ${c.revision}: ${c.detail}`);

  const claimedSigningTime = claimed ? claimed.toISOString() : cms?.signingTime ? cms.signingTime.toISOString() : isTimestamp ? timestampTime : null;

  // The indication, worst first (ETSI EN 319 102-1 §5.1.3).
  let indication: Indication;
  let sub: SubIndication | null;
  if (format) [indication, sub] = ['TOTAL-FAILED', 'FORMAT_FAILURE'];
  else if (!cms) [indication, sub] = ['INDETERMINATE', 'FORMAT_FAILURE'];
  else if (hashMismatch) [indication, sub] = ['TOTAL-FAILED', 'HASH_FAILURE'];
  else if (cms.indication === 'TOTAL-FAILED' || (cms.indication === 'INDETERMINATE' && cms.subIndication !== 'NO_CERTIFICATE_CHAIN_FOUND')) {
    [indication, sub] = [cms.indication, mapCmsSub(cms.subIndication)];
  } else if (modificationsAfter === 'disallowed') [indication, sub] = ['TOTAL-FAILED', 'FORMAT_FAILURE'];
  else if (!assessed?.conclusion) [indication, sub] = ['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'];
  else [indication, sub] = [assessed.conclusion[0], assessed.conclusion[1]];
  if (isTimestamp && docTsGenTime) {
    // A valid document time-stamp proves that the revisions before it existed at its genTime.
    const tokenOk = !format && !hashMismatch && cms !== null && cms.intact && assessed?.conclusion?.[0] === 'TOTAL-PASSED';
    const problems = tokenOk ? [] : [...errors, ...(assessed?.conclusion ? [] : ['no trust anchors given: the TSA was not validated'])];
    ctx.ltv.registerDocumentTimestamp({ revision: revIndex, field: s.field.name, time: docTsGenTime, tsa: cms?.signerSubject ?? null, valid: tokenOk, problems });
  }

  const integrity = !hashMismatch && cms !== null && cms.messageDigestOk && cms.signatureOk && cms.signingCertificateV2Ok !== false;
  let level: SignatureReport['level'] = null;
  if (subFilter === 'ETSI.CAdES.detached' && cms && cms.signedAttributesPresent && cms.signingCertificateV2Ok === true) {
    level = timestampTime !== null ? 'B-T' : 'B-B';
    if (assessed) level = levelOf(level, assessed, ctx.ltv, revIndex);
  }
  if (weakSha1 && indication === 'TOTAL-PASSED') warnings.push('passed, but with SHA-1: do not rely on it for new documents');

  return {
    field: s.field.name,
    revision: revIndex + 1,
    kind,
    subFilter,
    level,
    signer: leaf ? identityOf(leaf) : null,
    claimedSigningTime,
    timestampTime,
    integrity,
    coverage,
    modificationsAfter,
    changes: mods.changes,
    indication,
    subIndication: sub,
    errors,
    warnings,
    chain: assessed?.chain ?? [],
    revocation: assessed?.revocation ?? [],
    timestamps: isTimestamp && docTsGenTime
      ? [{ type: 'document', field: s.field.name, genTime: docTsGenTime.toISOString(), tsa: cms?.signerSubject ?? null, valid: indication === 'TOTAL-PASSED', problems: indication === 'TOTAL-PASSED' ? [] : errors }, ...(assessed?.timestamps ?? [])]
      : (assessed?.timestamps ?? []),
    proofOfExistence: assessed?.proofOfExistence?.toISOString() ?? null,
    pathValidatedAt: assessed?.pathValidatedAt?.toISOString() ?? null,
  };
}

function identityOf(c: Certificate): SignerIdentity {
  return { commonName: c.subject.commonName, subject: c.subject.toString(), serialNumber: c.serialNumberHex, certificateSha256: c.fingerprintSha256 };
}

function mapCmsSub(s: string | null): SubIndication | null {
  if (s === 'SIGNED_DATA_NOT_FOUND') return 'FORMAT_FAILURE';
  return s as SubIndication | null;
}

function joinRanges(bytes: ByteAccess, r: ByteRange): Uint8Array {
  const out = new Uint8Array(r[1] + r[3]);
  out.set(readBytes(bytes, r[0], r[0] + r[1]), 0);
  out.set(readBytes(bytes, r[2], r[2] + r[3]), r[1]);
  return out;
}

/** The /ByteRange digest: through the digest engine chunk by chunk, or WebCrypto over a copy of the ranges. */
async function digestRange(bytes: ByteAccess, range: ByteRange, alg: DigestAlgorithm, { digests }: Context): Promise<Uint8Array> {
  if (digests) return digests.digest(range, alg);
  return new Uint8Array(await globalThis.crypto.subtle.digest(alg, toArrayBuffer(joinRanges(bytes, range))));
}

function readAnchors(input: readonly (Uint8Array | string)[]): Certificate[] {
  const out: Certificate[] = [];
  for (const a of input) {
    const text = typeof a === 'string' ? a : looksLikePem(a) ? new TextDecoder().decode(a) : null;
    if (text !== null) for (const b of decodePem(text)) if (b.label === 'CERTIFICATE') out.push(trust!.Certificate.fromDer(b.der));
    if (text === null && a instanceof Uint8Array) out.push(trust!.Certificate.fromDer(a));
  }
  return out;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o) && !(o instanceof Uint8Array)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}
