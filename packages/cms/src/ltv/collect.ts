/**
 * Collecting the validation data of a signing certificate for long-term signatures (ETSI EN
 * 319 122-1 §5.5, ETSI EN 319 142-1 §5.4.2): its certification path to a trust anchor (RFC 5280
 * §6.1, built through @kyso/trust, with AIA caIssuers when online) and the OCSP responses or
 * CRLs that prove the status of each certificate of the path.
 */
import { systemClock, type Clock, type HttpClient } from '@kyso/core';
import type { Certificate, CertificatePurpose, FetchCache, RevocationStatus } from '@kyso/trust';
import { CmsError } from '../errors.js';
import { createRevocationSources, namesRevocationService, type RevocationPreference } from './revocation-sources.js';

/** Options of {@link ValidationDataCollector.create}. */
export interface ValidationDataOptions {
  /**
   * Trust anchors (DER). Without them, self-signed certificates among the known ones (given,
   * embedded, or fetched through AIA caIssuers) end the paths.
   */
  readonly trustAnchors?: readonly Uint8Array[];
  /** More certificates to build paths from (intermediates, a PDF DSS). */
  readonly certificates?: readonly Uint8Array[];
  /** CRLs at hand (DER): used first, and fetched ones are added. */
  readonly crls?: readonly Uint8Array[];
  /** OCSP responses at hand (DER). */
  readonly ocspResponses?: readonly Uint8Array[];
  /** Fetch OCSP responses, CRLs and issuers: default true when `http` is given. */
  readonly online?: boolean;
  readonly http?: HttpClient;
  readonly cache?: FetchCache;
  readonly timeoutMs?: number;
  /** The time the data must prove the status at; default now. */
  readonly time?: Date;
  readonly clock?: Clock;
  /** Default `ocsp-first` (one OCSP response per certificate, a CRL when OCSP says nothing); `both` collects both. */
  readonly prefer?: RevocationPreference;
}

/** The validation data of one certificate (and its path). */
export interface CertificateValidationData {
  /** The certification path, end entity first, trust anchor last (DER). Empty when none was found. */
  readonly path: readonly Uint8Array[];
  /** The path's certificates plus the OCSP responders' and CRL issuers' certificates. */
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly ocspResponses: readonly Uint8Array[];
  /** True when a path was found and every certificate of it that names a CRL or OCSP service has revocation data. */
  readonly complete: boolean;
  /** Why the data is incomplete, one sentence each. */
  readonly problems: readonly string[];
}

/**
 * Builds certification paths and gathers revocation data for them, sharing fetches and a cache
 * between the certificates of one document (signers, time-stamping authorities).
 *
 * @example
 * ```ts
 * const collector = await ValidationDataCollector.create({ trustAnchors: [rootDer], http: fetchHttpClient() });
 * const data = await collector.collect(signerCertDer, chainDer, 'document-signing');
 * data.ocspResponses; data.crls; data.certificates;
 * ```
 */
export class ValidationDataCollector {
  private constructor(
    private readonly trust: typeof import('@kyso/trust'),
    private readonly options: ValidationDataOptions,
    private readonly anchors: Certificate[],
    private readonly known: Certificate[],
    private readonly time: Date,
  ) {}

  /** A collector over `options`; reads the given certificates, throws `CmsError('CMS_BAD_OPTIONS')` for unreadable ones. */
  static async create(options: ValidationDataOptions = {}): Promise<ValidationDataCollector> {
    const trust = await import('@kyso/trust');
    const read = (d: Uint8Array, what: string) => {
      try {
        return trust.Certificate.fromDer(d);
      } catch (cause) {
        throw new CmsError('CMS_BAD_OPTIONS', `A ${what} certificate is not a readable X.509 certificate; give DER certificates.`, { cause });
      }
    };
    const anchors = (options.trustAnchors ?? []).map((d) => read(d, 'trust anchor'));
    const known = (options.certificates ?? []).map((d) => read(d, 'given'));
    const time = options.time ?? (options.clock ?? systemClock).now();
    return new ValidationDataCollector(trust, options, anchors, known, time);
  }

  /**
   * The path of `certificate` (DER) through `others` and the known certificates, and revocation
   * data for each of its certificates for `purpose`. Never throws for a certificate that does
   * not validate: `complete` is false and `problems` says why.
   */
  async collect(certificate: Uint8Array, others: readonly Uint8Array[] = [], purpose: CertificatePurpose = 'any'): Promise<CertificateValidationData> {
    const trust = this.trust;
    const problems: string[] = [];
    const leaf = trust.Certificate.fromDer(certificate);
    const pool = dedupe([...others.flatMap((d) => tryCert(trust, d)), ...this.known]);
    const sources = await createRevocationSources({
      ...pick(this.options, ['crls', 'ocspResponses', 'online', 'http', 'cache', 'timeoutMs', 'clock', 'prefer']),
    });
    let anchors = this.anchors;
    if (anchors.length === 0) {
      // No anchors given: follow AIA caIssuers (online) up to a self-signed certificate and end there.
      if (sources.fetchIssuers) await chaseIssuers(leaf, pool, sources.fetchIssuers);
      anchors = pool.filter((c) => c.isSelfIssued && c.subject.equals(c.issuer));
      if (leaf.isSelfIssued) anchors.push(leaf);
    }
    const result = await trust.validatePath({
      certificates: { leaf, candidates: pool },
      trustAnchors: anchors,
      time: this.time,
      purpose,
      revocation: sources.checker,
      revocationMode: 'soft-fail',
      ...(sources.fetchIssuers ? { fetchIssuers: sources.fetchIssuers } : {}),
    });
    for (const f of result.failures) problems.push(`certificate path: ${f.message}`);
    const path = result.trustAnchor ? [...result.path, result.trustAnchor] : [];
    const certificates: Certificate[] = [...path];
    const crls: Uint8Array[] = [];
    const ocspResponses: Uint8Array[] = [];
    const addEvidence = (s: RevocationStatus) => {
      for (const e of s.evidence ?? []) {
        if (e.type === 'crl') addBytes(crls, e.der);
        else {
          addBytes(ocspResponses, e.der);
          // The responder's certificate, for validating the response later (ETSI EN 319 142-1 §5.4.2.2).
          try {
            for (const c of trust.OcspResponse.fromDer(e.der).certificates) certificates.push(c);
          } catch {
            /* the response was verified when used, so it parses */
          }
        }
      }
    };
    // Everything the checker answered, including nested checks of CRL issuers and OCSP responders.
    for (const statuses of sources.observed.values()) for (const s of statuses) addEvidence(s);
    let complete = result.trustAnchor !== null && result.failures.length === 0;
    if (result.trustAnchor) {
      result.path.forEach((c, i) => {
        const s = result.revocation[i];
        if (s && s.status !== 'unknown') return;
        if (!namesRevocationService(c)) return;
        complete = false;
        problems.push(`no revocation data for "${c.subject.toString()}"${s?.message ? `: ${s.message}` : ''}`);
      });
    }
    if (result.trustAnchor === null) problems.push(`no certification path for "${leaf.subject.toString()}" to a trust anchor`);
    return Object.freeze({
      path: path.map((c) => c.der),
      certificates: dedupe(certificates).map((c) => c.der),
      crls,
      ocspResponses,
      complete,
      problems,
    });
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function tryCert(trust: typeof import('@kyso/trust'), der: Uint8Array): Certificate[] {
  try {
    return [trust.Certificate.fromDer(der)];
  } catch {
    return [];
  }
}

function dedupe(list: readonly Certificate[]): Certificate[] {
  const seen = new Set<string>();
  return list.filter((c) => (seen.has(c.fingerprintSha256) ? false : (seen.add(c.fingerprintSha256), true)));
}

function addBytes(list: Uint8Array[], der: Uint8Array): void {
  for (const x of list) if (x.length === der.length && x.every((b, i) => b === der[i])) return;
  list.push(der);
}

/** Fetches issuers through AIA caIssuers until a self-signed certificate is reached (at most 6 steps). */
async function chaseIssuers(leaf: Certificate, pool: Certificate[], fetchIssuers: (c: Certificate) => Promise<readonly Certificate[]>): Promise<void> {
  let current: Certificate | undefined = leaf;
  for (let i = 0; i < 6 && current && !(current.isSelfIssued && current.subject.equals(current.issuer)); i++) {
    const c: Certificate = current;
    let issuer = pool.find((p) => p.subject.equals(c.issuer) && !p.equals(c));
    if (!issuer) {
      const found = await fetchIssuers(c).catch(() => [] as readonly Certificate[]);
      for (const f of found) if (!pool.some((p) => p.equals(f))) pool.push(f);
      issuer = found.find((p) => p.subject.equals(c.issuer));
    }
    current = issuer;
  }
}
