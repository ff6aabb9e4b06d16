/**
 * Where revocation information comes from when validating for the long term: data embedded in
 * the signature or the document first (so that a file validates the same way offline), then
 * OCSP responders and CRL distribution points over HTTP when online (RFC 6960, RFC 5280 §4.2.1.13).
 */
import { fetchHttpClient, type Clock, type HttpClient } from '@kyso/core';
import type { Certificate, FetchCache, RevocationChecker, RevocationRequest, RevocationStatus } from '@kyso/trust';

/** Which revocation data to look for, and in which order. */
export type RevocationPreference = 'ocsp-first' | 'crl-first' | 'both';

/** Options of {@link createRevocationSources}. */
export interface RevocationSourcesOptions {
  /** CRLs at hand (DER): from the signature, a PDF DSS, or given. */
  readonly crls?: readonly Uint8Array[];
  /** OCSPResponses at hand (DER). */
  readonly ocspResponses?: readonly Uint8Array[];
  /** Fetch what is missing: default true when `http` is given. `online: true` without `http` uses `fetch`. */
  readonly online?: boolean;
  readonly http?: HttpClient;
  /** Keeps fetched CRLs, OCSP responses and issuer certificates (e.g. `MemoryFetchCache`). */
  readonly cache?: FetchCache;
  /** Per request; default 10 000 ms. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  /** Default `ocsp-first`: OCSP, then CRLs; `both` asks both and keeps all evidence. */
  readonly prefer?: RevocationPreference;
}

/** A revocation checker over embedded and fetched data, that remembers what it answered. */
export interface RevocationSources {
  readonly checker: RevocationChecker;
  /** Whether fetching is on. */
  readonly online: boolean;
  /** Every answer given, by certificate SHA-256 (last answer last). */
  readonly observed: ReadonlyMap<string, readonly RevocationStatus[]>;
  /** A `fetchIssuers` callback for `validatePath` when online (AIA caIssuers), else undefined. */
  readonly fetchIssuers: ((certificate: Certificate) => Promise<readonly Certificate[]>) | undefined;
  /**
   * True once an answer rested on fetched or cached data, or an issuer certificate was fetched:
   * the data at hand alone might then have led elsewhere. False while every answer came from the
   * data at hand, as it would offline.
   */
  readonly usedFetchedData: boolean;
}

/**
 * A {@link RevocationChecker} that asks, in order: embedded OCSP responses, embedded CRLs, then
 * (online) the certificate's OCSP responder and its CRL distribution points (or the other order
 * with `prefer: 'crl-first'`). With `prefer: 'both'` it asks both kinds and merges their evidence
 * (a revoked answer wins). Statuses carry `evidence` with origin `provided` (embedded),
 * `fetched` or `cache`.
 */
export async function createRevocationSources(options: RevocationSourcesOptions): Promise<RevocationSources> {
  const trust = await import('@kyso/trust');
  const online = options.online ?? options.http !== undefined;
  const http = options.http ?? (online ? fetchHttpClient() : undefined);
  const fetcherOptions = http
    ? {
        http,
        ...(options.cache ? { cache: options.cache } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
        offline: !online,
      }
    : undefined;
  const ocspEmbedded = new trust.OcspRevocationChecker({ responses: parseAll(options.ocspResponses ?? [], (d) => trust.OcspResponse.fromDer(d)) });
  const crlEmbedded = new trust.CrlRevocationChecker({ crls: parseAll(options.crls ?? [], (d) => trust.Crl.fromDer(d)) });
  const fetched: { ocsp: RevocationChecker | null; crl: RevocationChecker | null } = { ocsp: null, crl: null };
  let fetchIssuers: RevocationSources['fetchIssuers'];
  let fetchedIssuers = false;
  if (online && fetcherOptions) {
    const client = new trust.OcspClient(fetcherOptions);
    const crlFetcher = new trust.CrlFetcher(fetcherOptions);
    fetched.ocsp = new trust.OcspRevocationChecker({ fetch: client.fetcher() });
    fetched.crl = new trust.CrlRevocationChecker({ crls: [], fetchCrls: crlFetcher.fetcher() });
    const issuers = new trust.CaIssuersFetcher(fetcherOptions).fetcher();
    fetchIssuers = async (certificate) => {
      const found = await issuers(certificate);
      if (found.length > 0) fetchedIssuers = true;
      return found;
    };
  }
  const prefer = options.prefer ?? 'ocsp-first';
  const ocsp = [ocspEmbedded, fetched.ocsp].filter((c): c is RevocationChecker => c !== null);
  const crl = [crlEmbedded, fetched.crl].filter((c): c is RevocationChecker => c !== null);
  const inner: RevocationChecker =
    prefer === 'both'
      ? bothKinds(trust.firstConclusive(...ocsp), trust.firstConclusive(...crl))
      : prefer === 'crl-first'
        ? trust.firstConclusive(crlEmbedded, ocspEmbedded, ...[fetched.crl, fetched.ocsp].filter((c): c is RevocationChecker => c !== null))
        : trust.firstConclusive(ocspEmbedded, crlEmbedded, ...[fetched.ocsp, fetched.crl].filter((c): c is RevocationChecker => c !== null));
  const observed = new Map<string, RevocationStatus[]>();
  const checker: RevocationChecker = {
    async check(req: RevocationRequest) {
      const s = await inner.check(req);
      const key = req.certificate.fingerprintSha256;
      const list = observed.get(key) ?? [];
      list.push(s);
      observed.set(key, list);
      return s;
    },
  };
  const fromElsewhere = (s: RevocationStatus) => s.evidence?.some((e) => e.origin !== 'provided') ?? false;
  return {
    checker,
    online,
    observed,
    fetchIssuers,
    get usedFetchedData() {
      return fetchedIssuers || [...observed.values()].some((list) => list.some(fromElsewhere));
    },
  };
}

function parseAll<T>(ders: readonly Uint8Array[], parse: (d: Uint8Array) => T): T[] {
  const out: T[] = [];
  for (const d of ders) {
    try {
      out.push(parse(d));
    } catch {
      // Unreadable revocation data is ignored; the status stays unknown without it.
    }
  }
  return out;
}

/** Asks both checkers; revoked wins, then good; the evidence of every conclusive answer is kept. */
function bothKinds(a: RevocationChecker, b: RevocationChecker): RevocationChecker {
  return {
    async check(req) {
      const [x, y] = [await a.check(req), await b.check(req)];
      const conclusive = [x, y].filter((s) => s.status !== 'unknown');
      if (conclusive.length === 0) return { status: 'unknown', message: [x.message, y.message].filter(Boolean).join('; ') };
      const main = conclusive.find((s) => s.status === 'revoked') ?? conclusive[0]!;
      return { ...main, evidence: conclusive.flatMap((s) => s.evidence ?? []) };
    },
  };
}

/**
 * Whether a certificate names any way to learn its status: a CRL distribution point, a
 * freshest-CRL pointer or an OCSP responder (RFC 5280 §4.2.1.13, §4.2.1.15, §4.2.2.1).
 */
export function namesRevocationService(certificate: Certificate): boolean {
  return (certificate.crlDistributionPoints?.length ?? 0) > 0 || (certificate.freshestCrl?.length ?? 0) > 0 || certificate.ocspUrls.length > 0;
}
