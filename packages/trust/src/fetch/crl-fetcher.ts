import { Crl } from '../revocation/crl.js';
import type { FetchedCrl } from '../revocation/crl-checker.js';
import type { Certificate } from '../x509/certificate.js';
import { type FetcherOptions, fetchBytes, nowOf } from './options.js';

/**
 * Fetches CRLs from the http(s) URLs of a certificate's cRLDistributionPoints (and freshestCRL,
 * for delta CRLs), with a timeout, a cache kept until each CRL's nextUpdate, and an offline
 * mode. Plug it into {@link CrlRevocationChecker} as `fetchCrls: fetcher.fetcher()`.
 */
export class CrlFetcher {
  constructor(private readonly options: FetcherOptions) {}

  /** The CRL at `url`, from the cache when fresh; throws `FETCH_FAILED` or `CRL_MALFORMED`. */
  async fetch(url: string): Promise<FetchedCrl> {
    const key = `crl:${url}`;
    const cached = await this.options.cache?.get(key);
    if (cached) return { crl: Crl.fromDer(cached), origin: 'cache' };
    const body = await fetchBytes(this.options, url, { headers: { accept: 'application/pkix-crl' } });
    const crl = Crl.fromPem(body);
    if (this.options.cache) {
      const fallback = new Date(nowOf(this.options).getTime() + 3600_000);
      await this.options.cache.set(key, crl.der, crl.nextUpdate && crl.nextUpdate > nowOf(this.options) ? crl.nextUpdate : fallback);
    }
    return { crl, origin: 'fetched' };
  }

  /** Every CRL reachable from `certificate`'s distribution points; failures are skipped. Offline: none. */
  async fetchForCertificate(certificate: Certificate): Promise<FetchedCrl[]> {
    if (this.options.offline) return [];
    const urls = new Set<string>();
    for (const dp of [...(certificate.crlDistributionPoints ?? []), ...(certificate.freshestCrl ?? [])]) {
      if (dp.distributionPoint?.type !== 'fullName') continue;
      for (const n of dp.distributionPoint.names) if (n.type === 'uniformResourceIdentifier' && /^https?:/i.test(n.value)) urls.add(n.value);
    }
    const out: FetchedCrl[] = [];
    for (const url of urls) {
      try {
        out.push(await this.fetch(url));
      } catch {
        // An unreachable or broken distribution point is "no CRL"; the checker says unknown.
      }
    }
    return out;
  }

  /** A `fetchCrls` callback for {@link CrlRevocationChecker}. */
  fetcher(): (certificate: Certificate) => Promise<FetchedCrl[]> {
    return (c) => this.fetchForCertificate(c);
  }
}
