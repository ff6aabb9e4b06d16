import { Tag, parseDer, readOid } from '../asn1/der.js';
import { Certificate } from '../x509/certificate.js';
import { type FetcherOptions, fetchBytes } from './options.js';

const SIGNED_DATA = '1.2.840.113549.1.7.2';

/** The certificates of a DER certificate, a PEM bundle, or a "certs-only" CMS SignedData (RFC 5280 §4.2.2.1). */
function parseIssuers(body: Uint8Array): Certificate[] {
  if (body[0] !== 0x30) return Certificate.allFromPem(body);
  const root = parseDer(body);
  const first = root.child(0);
  if (first.is(Tag.oid) && readOid(first) === SIGNED_DATA) {
    // ContentInfo { contentType, [0] SignedData { version, digestAlgorithms, encapContentInfo, [0] certificates, ... } }
    const signedData = root.child(1).child(0);
    const certs = signedData.children().find((n) => n.isContext(0));
    return certs ? certs.children().filter((n) => n.is(Tag.sequence)).map((n) => Certificate.fromDer(n.der)) : [];
  }
  return [Certificate.fromDer(body)];
}

/**
 * Fetches the issuers named by a certificate's authorityInfoAccess caIssuers URLs (DER, PEM, or
 * a certs-only .p7c), cached for a day, for path building when online. Pass
 * `fetchIssuers: fetcher.fetcher()` to {@link validatePath}.
 */
export class CaIssuersFetcher {
  constructor(private readonly options: FetcherOptions & { readonly ttlMs?: number }) {}

  /** The certificates found at `certificate`'s caIssuers URLs; failures are skipped; offline: none. */
  async fetchIssuers(certificate: Certificate): Promise<Certificate[]> {
    if (this.options.offline) return [];
    const out: Certificate[] = [];
    for (const url of certificate.caIssuersUrls.filter((u) => /^https?:/i.test(u))) {
      const key = `cert:${url}`;
      try {
        let body = await this.options.cache?.get(key);
        if (!body) {
          body = await fetchBytes(this.options, url);
          await this.options.cache?.set(key, body, new Date(Date.now() + (this.options.ttlMs ?? 86400_000)));
        }
        out.push(...parseIssuers(body));
      } catch {
        // Unreachable or not a certificate: path building goes on without it.
      }
    }
    return out;
  }

  /** A `fetchIssuers` callback for {@link validatePath}. */
  fetcher(): (certificate: Certificate) => Promise<Certificate[]> {
    return (c) => this.fetchIssuers(c);
  }
}
