/**
 * Long-term validation of a certificate path (ETSI EN 319 102-1 §5.2.6 X.509 validation, §5.6
 * long-term validation with proofs of existence), simplified but explicit about what it does:
 *
 * 1. The path is validated (RFC 5280 via @kyso/trust) at the validation time V, with revocation
 *    data from the document or signature first and, when online, fetched.
 * 2. When it fails only for time reasons — a certificate expired, revoked, or without usable
 *    revocation data at V — and there is a proof of existence (POE) of the signed object at an
 *    earlier time T (a valid signature, archive or document time-stamp), the path is validated
 *    again at T ("past certificate validation", §5.6.2.1): revocation data issued at or after T,
 *    or fresh at T, proves the status at T.
 * 3. A time-stamp token without a later POE is checked at its own genTime as a last resort, and
 *    the report says so (ETSI would ask for fresh revocation data of the newest time-stamp).
 *
 * Conclusions: valid at V or at the POE → TOTAL-PASSED (with a warning for a certificate that
 * expired or was revoked after the POE); revoked before the POE → TOTAL-FAILED/REVOKED (a CA:
 * INDETERMINATE/REVOKED_CA_NO_POE); revoked at V without POE → INDETERMINATE/REVOKED_NO_POE;
 * expired without POE → INDETERMINATE/OUT_OF_BOUNDS_NO_POE (…_NOT_REVOKED when known good);
 * no usable revocation data → INDETERMINATE/TRY_LATER when online, or when offline without
 * POE (the data may be fetched later); offline with a POE but no revocation data that proves
 * the status at that time → INDETERMINATE/REVOCATION_OUT_OF_BOUNDS_NO_POE.
 */
import type { HttpClient } from '@kyso/core';
import type { Certificate, CertificatePurpose, FetchCache, PathValidationResult, RevocationStatus } from '@kyso/trust';
import { createRevocationSources, namesRevocationService } from './revocation-sources.js';

/** ETSI EN 319 102-1 §5.1.3 main indication. */
export type ChainIndication = 'TOTAL-PASSED' | 'TOTAL-FAILED' | 'INDETERMINATE';

/** The sub-indications a long-term path validation concludes with (ETSI EN 319 102-1 §5.1.3). */
export type ChainSubIndication =
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'REVOKED'
  | 'REVOKED_NO_POE'
  | 'REVOKED_CA_NO_POE'
  | 'NOT_YET_VALID'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'TRY_LATER'
  | 'REVOCATION_OUT_OF_BOUNDS_NO_POE';

/** Options of {@link LongTermChainValidator.create}. */
export interface LongTermChainValidatorOptions {
  readonly anchors: readonly Certificate[];
  /** The validation time V. */
  readonly time: Date;
  /** Fetch OCSP responses, CRLs and issuers. */
  readonly online: boolean;
  readonly http?: HttpClient | undefined;
  /** Default: one memory cache per validator when online. */
  readonly cache?: FetchCache | undefined;
  readonly timeoutMs?: number | undefined;
  /** Require revocation data even for certificates that name no CRL or OCSP service; default false. */
  readonly requireRevocation?: boolean | undefined;
  /** Validation data at hand for every path (a PDF DSS, a signature's values), DER. */
  readonly data?: { readonly certificates?: readonly Uint8Array[]; readonly crls?: readonly Uint8Array[]; readonly ocspResponses?: readonly Uint8Array[] };
}

/** What to validate. */
export interface ChainRequest {
  readonly leaf: Certificate;
  /** Other certificates of the signature or token (DER). */
  readonly candidates: readonly Uint8Array[];
  readonly purpose: CertificatePurpose;
  /** The earliest proof of existence of the signed object, or null. */
  readonly poe: Date | null;
  /** For a time-stamp token: its genTime, the last resort control time. */
  readonly ownTime?: Date | undefined;
  /** Revocation data inside the signed object itself. */
  readonly embedded: { readonly crls: readonly Uint8Array[]; readonly ocspResponses: readonly Uint8Array[] };
  /** The claimed signing time (only to tell NOT_YET_VALID apart). */
  readonly claimed?: Date | undefined;
}

/** One certificate of a validated path (end entity first, trust anchor last), for reports. */
export interface ChainCertificateReport {
  /** The subject DN in RFC 4514 form. */
  readonly subject: string;
  /** Lower-case hex. */
  readonly serialNumber: string;
  /** SHA-256 of the DER, lower-case hex. */
  readonly certificateSha256: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly trustAnchor: boolean;
}

/** The revocation evidence used for one certificate of a path (trust anchor excluded), for reports. */
export interface RevocationEvidenceReport {
  readonly subject: string;
  readonly certificateSha256: string;
  /** `not-checked`: the path failed other checks first. */
  readonly status: 'good' | 'revoked' | 'unknown' | 'not-checked';
  /** The kind of evidence, or null when none settled the status. */
  readonly type: 'ocsp' | 'crl' | null;
  /** `embedded`: in the document or signature; `fetched`: asked online now; `cache`: the fetch cache. */
  readonly source: 'embedded' | 'fetched' | 'cache' | null;
  /** thisUpdate of the OCSP response or CRL, ISO 8601. */
  readonly thisUpdate: string | null;
  readonly revocationTime: string | null;
  readonly note: string | null;
}

/** The conclusion about a certificate path, with what it rests on. */
export interface ChainOutcome {
  readonly indication: ChainIndication;
  readonly subIndication: ChainSubIndication | null;
  /** The time the path was found valid (or last checked) at. */
  readonly validatedAt: Date;
  readonly path: PathValidationResult;
  readonly chain: readonly ChainCertificateReport[];
  readonly revocation: readonly RevocationEvidenceReport[];
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** True when the data at hand alone (no fetching) settles the status the path needs at the POE (the B-LT test). */
  readonly embeddedComplete: boolean;
  /** DER of the data at hand that settled each status then. */
  readonly embeddedEvidence: readonly Uint8Array[];
}

const TIME_CODES = new Set(['CERT_EXPIRED', 'REVOKED']);

/**
 * Validates certificate paths for the long term (see the file comment), sharing the data at
 * hand, fetches and a cache between the paths of one document or signature.
 *
 * @example
 * ```ts
 * const v = await LongTermChainValidator.create({ anchors: [root], time: new Date(), online: true });
 * const out = await v.validateChain({ leaf, candidates: chainDer, purpose: 'document-signing', poe: tsGenTime, embedded: { crls: [], ocspResponses: [] } });
 * out.indication; out.revocation;
 * ```
 */
export class LongTermChainValidator {
  private constructor(
    private readonly trust: typeof import('@kyso/trust'),
    private readonly options: LongTermChainValidatorOptions,
    private readonly cache: FetchCache | undefined,
  ) {}

  static async create(options: LongTermChainValidatorOptions): Promise<LongTermChainValidator> {
    const trust = await import('@kyso/trust');
    // One verification fetches each URL once even without a caller's cache.
    const cache = options.cache ?? (options.online ? new trust.MemoryFetchCache() : undefined);
    return new LongTermChainValidator(trust, options, cache);
  }

  get online(): boolean {
    return this.options.online;
  }

  get hasAnchors(): boolean {
    return this.options.anchors.length > 0;
  }

  /** Validates `req.leaf`'s path as the file comment describes. Never throws for a bad path. */
  async validateChain(req: ChainRequest): Promise<ChainOutcome> {
    const trust = this.trust;
    const o = this.options;
    const data = o.data ?? {};
    const sources = await createRevocationSources({
      crls: [...(data.crls ?? []), ...req.embedded.crls],
      ocspResponses: [...(data.ocspResponses ?? []), ...req.embedded.ocspResponses],
      online: o.online,
      ...(o.http ? { http: o.http } : {}),
      ...(this.cache ? { cache: this.cache } : {}),
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    });
    const pool: Certificate[] = [];
    for (const d of [...req.candidates, ...(data.certificates ?? [])]) {
      try {
        pool.push(trust.Certificate.fromDer(d));
      } catch {
        /* an unreadable certificate is not a candidate */
      }
    }
    const run = (time: Date) =>
      trust.validatePath({
        certificates: { leaf: req.leaf, candidates: pool },
        trustAnchors: o.anchors,
        time,
        purpose: req.purpose,
        revocation: sources.checker,
        revocationMode: 'soft-fail',
        ...(sources.fetchIssuers ? { fetchIssuers: sources.fetchIssuers } : {}),
      });
    const errors: string[] = [];
    const warnings: string[] = [];
    const V = o.time;
    const first = await run(V);
    let used = first;
    let at = V;
    let verdict: [ChainIndication, ChainSubIndication | null];
    const unknownAt = (r: PathValidationResult) => this.unknownNeeded(r);
    if (first.valid && unknownAt(first).length === 0) verdict = ['TOTAL-PASSED', null];
    else {
      const timeOnly = first.valid || (first.failures.length > 0 && first.failures.every((f) => TIME_CODES.has(f.code)));
      const control = req.poe ?? req.ownTime ?? null;
      if (timeOnly && control && control.getTime() < V.getTime()) {
        const second = await run(control);
        used = second;
        at = control;
        const viaOwnTime = req.poe === null;
        if (second.valid && unknownAt(second).length === 0) {
          verdict = ['TOTAL-PASSED', null];
          const when = `${viaOwnTime ? 'its own time' : 'the proof of existence'} ${control.toISOString()}`;
          for (const f of first.failures) {
            if (f.code === 'CERT_EXPIRED') warnings.push(`${f.message}, after ${when}: the certificate was valid when the object was proven to exist`);
            if (f.code === 'REVOKED') warnings.push(`${f.message}, after ${when}: the revocation does not affect it`);
          }
          if (first.valid) for (const i of unknownAt(first)) warnings.push(`no revocation data for "${first.path[i]!.subject}" fresh at ${V.toISOString()}; validated at ${when} with the data the document holds`);
          if (viaOwnTime) warnings.push(`the time-stamping certificate was validated at the token's own genTime ${control.toISOString()} (no later time-stamp proves its existence; ETSI EN 319 102-1 would want fresh revocation data)`);
        } else verdict = this.conclude(second, req, true, viaOwnTime);
      } else verdict = this.conclude(first, req, false, false);
    }
    if (verdict[0] !== 'TOTAL-PASSED') {
      for (const f of used.failures) errors.push(`certificate path: ${f.message}`);
      for (const i of unknownAt(used)) {
        const s = used.revocation[i];
        errors.push(`no usable revocation data for "${used.path[i]!.subject}"${s?.message ? `: ${s.message}` : ''}${o.online ? '' : ' (offline: only the data in the file was used)'}`);
      }
    }
    // Certificates that name no revocation service and have no data: said once, never silently.
    used.path.forEach((c, i) => {
      const s = used.revocation[i];
      if ((!s || s.status === 'unknown') && !namesRevocationService(c) && !o.requireRevocation && used.trustAnchor) {
        warnings.push(`revocation was not checked for "${c.subject}": the certificate names no CRL distribution point or OCSP responder, and the document holds no revocation data for it`);
      }
    });
    const { complete, evidence } = await this.embeddedCheck(req, used, pool, at, this.options.online && sources.usedFetchedData);
    return {
      indication: verdict[0],
      subIndication: verdict[1],
      validatedAt: at,
      path: used,
      chain: this.chainOf(used),
      revocation: this.revocationOf(used),
      errors,
      warnings,
      embeddedComplete: complete,
      embeddedEvidence: evidence,
    };
  }

  /** Indexes of path certificates whose status is needed but unknown (only for paths that passed the other checks). */
  private unknownNeeded(r: PathValidationResult): number[] {
    if (r.failures.length > 0 || !r.trustAnchor) return [];
    const out: number[] = [];
    r.path.forEach((c, i) => {
      const s = r.revocation[i];
      if ((!s || s.status === 'unknown') && (this.options.requireRevocation || namesRevocationService(c))) out.push(i);
    });
    return out;
  }

  private conclude(r: PathValidationResult, req: ChainRequest, withPoe: boolean, viaOwnTime: boolean): [ChainIndication, ChainSubIndication] {
    const codes = new Set(r.failures.map((f) => f.code));
    if (codes.has('NO_PATH_FOUND') || r.trustAnchor === null) return ['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'];
    if (codes.has('SIGNATURE_INVALID') || codes.has('SIGNATURE_UNSUPPORTED') || codes.has('NAME_CHAINING_FAILED') || codes.has('UNKNOWN_CRITICAL_EXTENSION') || codes.has('SIGNATURE_ALGORITHM_MISMATCH')) {
      return ['INDETERMINATE', 'CERTIFICATE_CHAIN_GENERAL_FAILURE'];
    }
    if (codes.has('EKU_NOT_ALLOWED') || codes.has('KEY_USAGE_NOT_ALLOWED') || codes.has('NOT_A_CA') || codes.has('PATH_LENGTH_EXCEEDED') || codes.has('KEY_CERT_SIGN_MISSING') || codes.has('NAME_CONSTRAINTS_VIOLATED') || codes.has('EXPLICIT_POLICY_REQUIRED') || codes.has('POLICY_MAPPING_ANY_POLICY')) {
      return ['INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE'];
    }
    const revoked = r.failures.find((f) => f.code === 'REVOKED');
    if (revoked) {
      // Revoked before the time the object is proven to exist (or claims, for a token): ETSI EN 319 102-1 §5.6.2.1.
      if (revoked.certIndex === 0) return withPoe || viaOwnTime ? ['TOTAL-FAILED', 'REVOKED'] : ['INDETERMINATE', 'REVOKED_NO_POE'];
      return ['INDETERMINATE', 'REVOKED_CA_NO_POE'];
    }
    if (codes.has('CERT_NOT_YET_VALID')) {
      const leafEarly = r.failures.some((f) => f.code === 'CERT_NOT_YET_VALID' && f.certIndex === 0);
      if (leafEarly && req.claimed && req.claimed < req.leaf.notBefore) return ['TOTAL-FAILED', 'NOT_YET_VALID'];
      return ['INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE'];
    }
    if (codes.has('CERT_EXPIRED')) {
      const good = r.failures.filter((f) => f.code === 'CERT_EXPIRED').every((f) => r.revocation[f.certIndex]?.status === 'good');
      return ['INDETERMINATE', good ? 'OUT_OF_BOUNDS_NOT_REVOKED' : 'OUT_OF_BOUNDS_NO_POE'];
    }
    if (r.failures.length > 0) return ['INDETERMINATE', 'CERTIFICATE_CHAIN_GENERAL_FAILURE'];
    // Valid but revocation unknown.
    if (this.options.online || !withPoe) return ['INDETERMINATE', 'TRY_LATER'];
    return ['INDETERMINATE', 'REVOCATION_OUT_OF_BOUNDS_NO_POE'];
  }

  /**
   * Whether the document alone (DSS and the signed object) settles the status of every
   * certificate of `used` that needs it, at the POE (or at `at`): the B-LT test.
   */
  private async embeddedCheck(req: ChainRequest, used: PathValidationResult, pool: Certificate[], at: Date, usedFetchedData: boolean): Promise<{ complete: boolean; evidence: Uint8Array[] }> {
    if (!used.trustAnchor || (used.failures.length > 0 && !used.failures.every((f) => TIME_CODES.has(f.code)))) return { complete: false, evidence: [] };
    const time = req.poe ?? req.ownTime ?? at;
    // When `used` rests on the data at hand alone (offline, or online with nothing fetched), it
    // was validated with this very data: at the same time, it is the answer.
    const r = !usedFetchedData && time.getTime() === at.getTime() ? used : await this.validateOffline(req, pool, time);
    if (!r.valid) return { complete: false, evidence: [] };
    const evidence: Uint8Array[] = [];
    let complete = true;
    r.path.forEach((c, i) => {
      const s = r.revocation[i];
      if (s && s.status !== 'unknown') for (const e of s.evidence ?? []) evidence.push(e.der);
      else if (this.options.requireRevocation || namesRevocationService(c)) complete = false;
    });
    return { complete, evidence };
  }

  /** `req.leaf`'s path at `time` with only the data at hand (embedded and given), nothing fetched. */
  private async validateOffline(req: ChainRequest, pool: Certificate[], time: Date): Promise<PathValidationResult> {
    const data = this.options.data ?? {};
    const offline = await createRevocationSources({
      crls: [...(data.crls ?? []), ...req.embedded.crls],
      ocspResponses: [...(data.ocspResponses ?? []), ...req.embedded.ocspResponses],
      online: false,
    });
    return await this.trust.validatePath({
      certificates: { leaf: req.leaf, candidates: pool },
      trustAnchors: this.options.anchors,
      time,
      purpose: req.purpose,
      revocation: offline.checker,
      revocationMode: 'soft-fail',
    });
  }

  private chainOf(r: PathValidationResult): ChainCertificateReport[] {
    const list = r.trustAnchor ? [...r.path, r.trustAnchor] : [...r.path];
    return list.map((c, i) => ({
      subject: c.subject.toString(),
      serialNumber: c.serialNumberHex,
      certificateSha256: c.fingerprintSha256,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      trustAnchor: r.trustAnchor !== null && i === list.length - 1,
    }));
  }

  private revocationOf(r: PathValidationResult): RevocationEvidenceReport[] {
    return r.path.map((c, i) => reportOf(this.trust, c, r.revocation[i] ?? null, r.failures.length > 0));
  }
}


function reportOf(trust: typeof import('@kyso/trust'), c: Certificate, s: RevocationStatus | null, notChecked: boolean): RevocationEvidenceReport {
  const base = { subject: c.subject.toString(), certificateSha256: c.fingerprintSha256 };
  if (!s) {
    return { ...base, status: notChecked ? 'not-checked' : 'unknown', type: null, source: null, thisUpdate: null, revocationTime: null, note: notChecked ? 'the path failed other checks first' : null };
  }
  const e = s.evidence?.[0];
  let thisUpdate: string | null = null;
  if (e) {
    try {
      if (e.type === 'crl') thisUpdate = trust.Crl.fromDer(e.der).thisUpdate.toISOString();
      else {
        const resp = trust.OcspResponse.fromDer(e.der);
        const single = resp.responses.find((x) => x.certId.serialNumberHex === c.serialNumberHex) ?? resp.responses[0];
        thisUpdate = single ? single.thisUpdate.toISOString() : null;
      }
    } catch {
      thisUpdate = null;
    }
  }
  const note = s.source === 'ocsp-nocheck' ? 'an OCSP responder certificate with id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1)' : s.status === 'unknown' ? (s.message ?? null) : !namesRevocationService(c) && !e ? 'names no CRL or OCSP service' : null;
  return {
    ...base,
    status: s.status,
    type: e ? e.type : null,
    source: e ? (e.origin === 'provided' ? 'embedded' : e.origin) : null,
    thisUpdate,
    revocationTime: s.revocationTime ? s.revocationTime.toISOString() : null,
    note,
  };
}
