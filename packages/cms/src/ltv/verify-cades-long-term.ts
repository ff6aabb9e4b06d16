/**
 * Long-term verification of a detached CAdES signature (ETSI EN 319 102-1 §5.3–§5.6): the CMS
 * integrity (via {@link verifyCades}), the signature time-stamps and archive-time-stamps-v3 as
 * proofs of existence (each with its TSA path), and the signer's path with revocation from the
 * values the signature carries (certificate-values, revocation-values, SignedData fields), then
 * fetched when online — the rules of {@link LongTermChainValidator}.
 */
import { decodePem, looksLikePem, systemClock, type Clock, type HttpClient } from '@kyso/core';
import type { Certificate, FetchCache } from '@kyso/trust';
import { verifyCades, type CadesVerification, type Indication, type SubIndication } from '../cades/verify.js';
import type { Content, DigestEngine } from '../digest/digest-engine.js';
import { CmsError } from '../errors.js';
import { verifyTimeStampToken } from '../tsp/verify-token.js';
import { verifyArchiveTimestamps } from './cades-ltv.js';
import { LTV_OID, readEmbeddedValidationData } from './embedded.js';
import { LongTermChainValidator, type ChainCertificateReport, type ChainIndication, type ChainSubIndication, type RevocationEvidenceReport } from './long-term-chain.js';

/** Options of {@link verifyCadesLongTerm}. */
export interface VerifyCadesLongTermOptions {
  /** The detached content. */
  readonly content: Content;
  /** Trust anchors: DER, or PEM text/bytes with one or more certificates. */
  readonly trustAnchors?: readonly (Uint8Array | string)[];
  /** The validation time; default now. */
  readonly time?: Date;
  readonly clock?: Clock;
  /** Fetch what the signature lacks (OCSP, CRLs, issuers); default true. `false`: only what it carries. */
  readonly online?: boolean;
  readonly http?: HttpClient;
  readonly cache?: FetchCache;
  readonly timeoutMs?: number;
  /** Demand revocation data also for certificates that name no CRL or OCSP service. */
  readonly requireRevocation?: boolean;
  readonly digestEngine?: DigestEngine;
}

/** A time-stamp of the signature. */
export interface CadesTimestampReport {
  /** `signature`: signature-time-stamp; `archive`: archive-time-stamp-v3. */
  readonly type: 'signature' | 'archive';
  readonly genTime: string | null;
  readonly tsa: string | null;
  /** Token intact, imprint matching, TSA path valid (with trust anchors). */
  readonly valid: boolean;
  readonly problems: readonly string[];
}

/** The frozen result of {@link verifyCadesLongTerm}. */
export interface CadesLongTermVerification {
  readonly indication: Indication;
  readonly subIndication: SubIndication | ChainSubIndication | null;
  /** ETSI EN 319 122-1 §6.3 level reached with what is present and valid. */
  readonly level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | null;
  /** The CMS-level report (integrity, attributes, signer). */
  readonly signature: CadesVerification;
  readonly chain: readonly ChainCertificateReport[];
  readonly revocation: readonly RevocationEvidenceReport[];
  readonly timestamps: readonly CadesTimestampReport[];
  readonly proofOfExistence: string | null;
  readonly pathValidatedAt: string | null;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

function readAnchors(trust: typeof import('@kyso/trust'), input: readonly (Uint8Array | string)[]): Certificate[] {
  const out: Certificate[] = [];
  for (const a of input) {
    const text = typeof a === 'string' ? a : looksLikePem(a) ? new TextDecoder().decode(a) : null;
    try {
      if (text !== null) for (const b of decodePem(text)) if (b.label === 'CERTIFICATE') out.push(trust.Certificate.fromDer(b.der));
      if (text === null && a instanceof Uint8Array) out.push(trust.Certificate.fromDer(a));
    } catch (cause) {
      throw new CmsError('CMS_BAD_OPTIONS', 'A trust anchor is not a readable certificate; give DER or PEM certificates.', { cause });
    }
  }
  return out;
}

/**
 * Verifies a detached CAdES signature for the long term. Never throws for a signature that does
 * not verify; throws `CmsError` for bytes that are not a SignedData and for unreadable anchors.
 *
 * @example
 * ```ts
 * const r = await verifyCadesLongTerm(p7s, { content, trustAnchors: [rootPem], online: false });
 * r.indication; r.level; r.revocation;
 * ```
 */
export async function verifyCadesLongTerm(p7s: Uint8Array, options: VerifyCadesLongTermOptions): Promise<CadesLongTermVerification> {
  const trust = await import('@kyso/trust');
  const anchors = readAnchors(trust, options.trustAnchors ?? []);
  const time = options.time ?? (options.clock ?? systemClock).now();
  const cms = await verifyCades(p7s, { content: options.content, ...(options.digestEngine ? { digestEngine: options.digestEngine } : {}) });
  const errors = [...cms.errors];
  const warnings = cms.warnings.filter((w) => !w.startsWith('no trust anchors given'));
  const timestamps: CadesTimestampReport[] = [];
  const done = (indication: Indication, sub: SubIndication | ChainSubIndication | null, extra: Partial<CadesLongTermVerification> = {}): CadesLongTermVerification =>
    Object.freeze({
      indication,
      subIndication: sub,
      level: null,
      signature: cms,
      chain: [],
      revocation: [],
      timestamps,
      proofOfExistence: null,
      pathValidatedAt: null,
      errors,
      warnings,
      ...extra,
    });
  if (!cms.intact || cms.indication === 'TOTAL-FAILED') return done(cms.indication === 'TOTAL-PASSED' ? 'INDETERMINATE' : cms.indication, cms.subIndication ?? 'FORMAT_FAILURE');
  const data = readEmbeddedValidationData(p7s);
  const validator = await LongTermChainValidator.create({
    anchors,
    time,
    online: options.online ?? true,
    http: options.http,
    cache: options.cache,
    timeoutMs: options.timeoutMs,
    requireRevocation: options.requireRevocation,
    data: { certificates: data.certificates, crls: data.crls, ocspResponses: data.ocspResponses },
  });
  const none = { crls: [], ocspResponses: [] };

  // Archive time-stamps, newest first: each valid one proves everything it covers existed at its genTime.
  const archiveTokens = cms.unsignedAttributes.filter((a) => a.type === LTV_OID.archiveTimestampV3).flatMap((a) => a.values);
  const archiveChecks = await verifyArchiveTimestamps(p7s, { content: options.content, ...(options.digestEngine ? { digestEngine: options.digestEngine } : {}) });
  let archivePoe: Date | null = null;
  let anyArchive = false;
  const archiveReports: CadesTimestampReport[] = [];
  for (let i = archiveChecks.length - 1; i >= 0; i--) {
    const check = archiveChecks[i]!;
    const problems = [...check.problems];
    let valid = check.valid;
    if (valid && anchors.length > 0) {
      const token = archiveTokens[i]!;
      const tv = await verifyTimeStampToken(token, {});
      const outcome = tv.tsaCertificate
        ? await validator.validateChain({ leaf: trust.Certificate.fromDer(tv.tsaCertificate), candidates: tv.signature.certificates, purpose: 'timestamping', poe: archivePoe, ownTime: check.genTime ?? undefined, embedded: none })
        : null;
      if (!outcome || outcome.indication !== 'TOTAL-PASSED') {
        valid = false;
        problems.push(outcome ? `the TSA certificate path: ${outcome.indication}/${outcome.subIndication}` : 'the TSA certificate is not in the token', ...(outcome?.errors ?? []));
      } else for (const w of outcome.warnings) warnings.push(`archive time-stamp: ${w}`);
    } else if (valid) {
      valid = false;
      problems.push('no trust anchors given: the TSA was not validated');
    }
    if (valid && check.genTime) {
      anyArchive = true;
      if (!archivePoe || check.genTime < archivePoe) archivePoe = check.genTime;
    }
    archiveReports.unshift({ type: 'archive', genTime: check.genTime?.toISOString() ?? null, tsa: check.tsaSubject, valid, problems });
  }

  // Signature time-stamps (ETSI EN 319 122-1 §5.3).
  let poe = archivePoe;
  let bt = false;
  let tsaComplete = false;
  for (const token of cms.signatureTimeStamps) {
    const problems: string[] = [];
    let valid = false;
    let genTime: Date | null = null;
    let tsa: string | null = null;
    try {
      const tv = await verifyTimeStampToken(token, { data: cms.signatureValue });
      problems.push(...tv.errors);
      genTime = tv.genTime;
      tsa = tv.tsaSubject;
      valid = tv.valid;
      if (valid && anchors.length > 0 && tv.tsaCertificate) {
        const outcome = await validator.validateChain({ leaf: trust.Certificate.fromDer(tv.tsaCertificate), candidates: tv.signature.certificates, purpose: 'timestamping', poe: archivePoe, ownTime: tv.genTime ?? undefined, embedded: none });
        if (outcome.indication !== 'TOTAL-PASSED') {
          valid = false;
          problems.push(`the TSA certificate path: ${outcome.indication}/${outcome.subIndication}`, ...outcome.errors);
        } else {
          tsaComplete ||= outcome.embeddedComplete;
          for (const w of outcome.warnings) warnings.push(`signature time-stamp: ${w}`);
        }
      } else if (valid) {
        valid = false;
        problems.push('no trust anchors given: the TSA was not validated');
      }
    } catch (e) {
      if (!(e instanceof CmsError)) throw e;
      problems.push(e.message);
    }
    if (valid && genTime) {
      bt = true;
      if (!poe || genTime < poe) poe = genTime;
    } else warnings.push(`a signature time-stamp does not verify (${problems.join('; ')}); it is ignored`);
    timestamps.push({ type: 'signature', genTime: genTime?.toISOString() ?? null, tsa, valid, problems });
  }
  timestamps.push(...archiveReports);

  if (!cms.signerCertificate || anchors.length === 0) {
    if (cms.signerCertificate) warnings.push('no trust anchors given: the certificate chain was not validated');
    return done('INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND', { proofOfExistence: poe?.toISOString() ?? null, level: cms.level === null ? null : bt ? 'B-T' : 'B-B' });
  }
  const outcome = await validator.validateChain({
    leaf: trust.Certificate.fromDer(cms.signerCertificate),
    candidates: cms.certificates,
    purpose: 'any',
    poe,
    embedded: none,
    claimed: cms.signingTime ?? undefined,
  });
  errors.push(...outcome.errors);
  warnings.push(...outcome.warnings);
  let level: CadesLongTermVerification['level'] = null;
  if (cms.level !== null) {
    level = bt ? 'B-T' : 'B-B';
    const hasValues = cms.unsignedAttributes.some((a) => a.type === LTV_OID.revocationValues || a.type === LTV_OID.certificateValues) || data.crls.length + data.ocspResponses.length > 0;
    if (bt && hasValues && outcome.embeddedComplete && tsaComplete) level = anyArchive ? 'B-LTA' : 'B-LT';
  }
  const indication: ChainIndication = outcome.indication;
  return done(indication, outcome.subIndication, {
    level,
    chain: outcome.chain,
    revocation: outcome.revocation,
    proofOfExistence: poe?.toISOString() ?? null,
    pathValidatedAt: outcome.validatedAt.toISOString(),
  });
}
