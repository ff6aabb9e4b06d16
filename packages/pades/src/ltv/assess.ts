/**
 * The trust part of verifying one PDF signature or document time-stamp: its time-stamps (ETSI EN
 * 319 102-1 §5.4), its proof of existence, the long-term validation of its certificate path
 * (§5.6, see {@link LongTermValidator}) and the evidence for the report and the level.
 */
import { CmsError, readEmbeddedValidationData, verifyTimeStampToken, type CadesVerification } from '@kyso/cms';
import type { Certificate, CertificatePurpose } from '@kyso/trust';
import type { ChainCertificate, Indication, RevocationReport, SubIndication, TimestampReport } from '../verify/report.js';
import type { LongTermValidator } from './long-term-validation.js';

/** What {@link assessTrust} is given. */
export interface TrustInput {
  /** Revision index (0 = original) of the signature dictionary. */
  readonly revision: number;
  readonly field: string;
  readonly isDocumentTimestamp: boolean;
  /** The CMS report (the signature's, or the time-stamp token's). */
  readonly cms: CadesVerification;
  /** The CMS DER, for the revocation data inside it. */
  readonly der: Uint8Array;
  /** A document time-stamp's genTime. */
  readonly genTime?: Date | undefined;
  /** The claimed signing time (/M), only to tell NOT_YET_VALID apart. */
  readonly claimed?: Date | undefined;
}

/** What {@link assessTrust} found. */
export interface TrustAssessment {
  /** The path conclusion, or null without trust anchors or signer certificate. */
  readonly conclusion: readonly [Indication, SubIndication | null] | null;
  /** genTime of the first valid signature time-stamp, ISO 8601. */
  readonly timestampTime: string | null;
  readonly timestamps: readonly TimestampReport[];
  readonly chain: readonly ChainCertificate[];
  readonly revocation: readonly RevocationReport[];
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly proofOfExistence: Date | null;
  readonly pathValidatedAt: Date | null;
  /** The first revision from which the document holds all the validation data (B-LT), or null. */
  readonly ltRevision: number | null;
}

/**
 * Verifies the signature time-stamps of `input.cms` (imprint over the signature value, token
 * signature, TSA path with revocation), takes the earliest valid one or a later valid document
 * time-stamp as proof of existence, and validates the signer's path for the long term.
 */
export async function assessTrust(ltv: LongTermValidator, leaf: Certificate | null, input: TrustInput): Promise<TrustAssessment> {
  const errors: string[] = [];
  const warnings: string[] = [];
  const timestamps: TimestampReport[] = [];
  const cms = input.cms;
  const revisionPoe = ltv.poeForRevision(input.revision);
  let timestampTime: string | null = null;
  let poe: Date | null = revisionPoe;
  const ltEvidence: Uint8Array[][] = [];
  let ltComplete = true;
  let tsaComplete = false;

  // B-T: signature-time-stamp tokens over the signature value (ETSI EN 319 142-1 §5.3).
  for (const token of input.isDocumentTimestamp ? [] : cms.signatureTimeStamps) {
    try {
      const tv = await verifyTimeStampToken(token, { data: cms.signatureValue });
      const problems = [...tv.errors];
      let valid = tv.valid;
      if (valid && ltv.hasAnchors && tv.tsaCertificate) {
        const trust = await import('@kyso/trust');
        const outcome = await ltv.validateChain({
          leaf: trust.Certificate.fromDer(tv.tsaCertificate),
          candidates: tv.signature.certificates,
          purpose: 'timestamping',
          poe: revisionPoe,
          ownTime: tv.genTime ?? undefined,
          embedded: embeddedOf(token),
        });
        if (outcome.indication !== 'TOTAL-PASSED') {
          valid = false;
          problems.push(`the TSA certificate path: ${[outcome.indication, outcome.subIndication].filter(Boolean).join('/')}`, ...outcome.errors);
        } else {
          for (const w of outcome.warnings) warnings.push(`signature time-stamp: ${w}`);
          if (!tsaComplete && outcome.embeddedComplete) {
            tsaComplete = true;
            ltEvidence.push([...outcome.embeddedEvidence]);
          }
        }
      } else if (valid && !ltv.hasAnchors) problems.push('no trust anchors given: the TSA certificate was not validated');
      const trusted = valid && ltv.hasAnchors;
      timestamps.push({ type: 'signature', field: null, genTime: tv.genTime?.toISOString() ?? null, tsa: tv.tsaSubject, valid: trusted, problems });
      if (valid && tv.genTime) {
        timestampTime ??= tv.genTime.toISOString();
        if (trusted && (!poe || tv.genTime < poe)) poe = tv.genTime;
      } else if (!valid) warnings.push(`a signature time-stamp does not verify (${problems.join('; ')}); it is ignored`);
    } catch (e) {
      if (!(e instanceof CmsError)) throw e;
      warnings.push(`a signature time-stamp is unreadable (${e.message}); it is ignored`);
      timestamps.push({ type: 'signature', field: null, genTime: null, tsa: null, valid: false, problems: [e.message] });
    }
  }
  // Document time-stamps of later revisions cover this one (ETSI EN 319 142-1 §5.4.3).
  for (const d of ltv.documentTimestampsAfter(input.revision)) timestamps.push({ type: 'document', field: d.field, genTime: d.time.toISOString(), tsa: d.tsa, valid: d.valid, problems: d.problems });

  if (!leaf || !ltv.hasAnchors) {
    return freeze({ conclusion: null, timestampTime, timestamps, chain: [], revocation: [], errors, warnings, proofOfExistence: poe, pathValidatedAt: null, ltRevision: null });
  }
  const purpose: CertificatePurpose = input.isDocumentTimestamp ? 'timestamping' : 'document-signing';
  const outcome = await ltv.validateChain({
    leaf,
    candidates: cms.certificates,
    purpose,
    poe,
    ownTime: input.isDocumentTimestamp ? input.genTime : undefined,
    embedded: embeddedOf(input.der),
    claimed: input.claimed,
  });
  errors.push(...outcome.errors);
  warnings.push(...outcome.warnings);
  if (!outcome.embeddedComplete) ltComplete = false;
  ltEvidence.unshift([...outcome.embeddedEvidence]);
  // B-LT needs the data for the signer and for the time-stamp that makes it B-T.
  if (!input.isDocumentTimestamp && cms.signatureTimeStamps.length > 0 && !tsaComplete && revisionPoe === null) ltComplete = false;
  const ltRevision = ltComplete ? ltv.firstRevisionHolding(ltEvidence.flat(), input.revision, embeddedOf(input.der), leaf.der) : null;
  return freeze({
    conclusion: [outcome.indication, outcome.subIndication] as const,
    timestampTime,
    timestamps,
    chain: outcome.chain,
    revocation: outcome.revocation,
    errors,
    warnings,
    proofOfExistence: poe,
    pathValidatedAt: outcome.validatedAt,
    ltRevision,
  });
}

function embeddedOf(der: Uint8Array): { crls: readonly Uint8Array[]; ocspResponses: readonly Uint8Array[] } {
  try {
    const e = readEmbeddedValidationData(der);
    return { crls: e.crls, ocspResponses: e.ocspResponses };
  } catch {
    return { crls: [], ocspResponses: [] };
  }
}

function freeze(a: TrustAssessment): TrustAssessment {
  return Object.freeze(a);
}

/**
 * The PAdES baseline level (ETSI EN 319 142-1 §6.3) from what is present and valid: `base` is
 * B-B or B-T from the CMS; B-T also with a valid later document time-stamp; B-LT when the
 * document holds the validation data; B-LTA when a valid document time-stamp follows it.
 */
export function levelOf(base: 'B-B' | 'B-T' | null, a: TrustAssessment, ltv: LongTermValidator, revision: number): 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | null {
  if (base === null) return null;
  const docTs = ltv.documentTimestampsAfter(revision).filter((d) => d.valid);
  const bt = base === 'B-T' || docTs.length > 0;
  if (!bt) return 'B-B';
  if (a.ltRevision === null) return 'B-T';
  return docTs.some((d) => d.revision > a.ltRevision!) ? 'B-LTA' : 'B-LT';
}
