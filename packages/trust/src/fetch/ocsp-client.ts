import { toHex } from '@kyso/core';
import type { FetchedOcspResponse } from '../ocsp/ocsp-checker.js';
import { OcspRequest, type OcspRequestOptions } from '../ocsp/request.js';
import { OcspResponse } from '../ocsp/response.js';
import type { Certificate } from '../x509/certificate.js';
import { type FetcherOptions, fetchBytes, nowOf } from './options.js';

/**
 * Asks OCSP responders (RFC 6960 Appendix A.1: HTTP POST of `application/ocsp-request`) for the
 * status of a certificate, at the URL in its authorityInfoAccess or a given one. Successful
 * responses are cached until their nextUpdate (a cached answer has no fresh nonce).
 * Plug it into {@link OcspRevocationChecker} as `fetch: client.fetcher()`.
 */
export class OcspClient {
  constructor(private readonly options: FetcherOptions & { readonly request?: OcspRequestOptions; readonly url?: string }) {}

  /**
   * The response for `certificate` issued by `issuer`, or null offline or without a responder
   * URL; throws `FETCH_FAILED` when the responder cannot be reached.
   */
  async fetch(certificate: Certificate, issuer: Certificate): Promise<FetchedOcspResponse | null> {
    if (this.options.offline) return null;
    const request = await OcspRequest.build(certificate, issuer, this.options.request ?? {});
    const key = `ocsp:${toHex(request.certId.issuerNameHash)}:${toHex(request.certId.issuerKeyHash)}:${request.certId.serialNumberHex}`;
    const cached = await this.options.cache?.get(key);
    if (cached) return { response: OcspResponse.fromDer(cached), origin: 'cache' };
    const url = this.options.url ?? certificate.ocspUrls.find((u) => /^https?:/i.test(u));
    if (!url) return null;
    const body = await fetchBytes(this.options, url, {
      method: 'POST',
      body: request.der,
      headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
    });
    const response = OcspResponse.fromDer(body);
    const nextUpdate = response.responses[0]?.nextUpdate;
    if (this.options.cache && response.responseStatus === 'successful' && nextUpdate && nextUpdate > nowOf(this.options)) {
      await this.options.cache.set(key, response.der, nextUpdate);
    }
    return request.nonce ? { response, origin: 'fetched', nonce: request.nonce } : { response, origin: 'fetched' };
  }

  /** A `fetch` callback for {@link OcspRevocationChecker}. */
  fetcher(): (certificate: Certificate, issuer: Certificate) => Promise<FetchedOcspResponse | null> {
    return (c, i) => this.fetch(c, i);
  }
}
