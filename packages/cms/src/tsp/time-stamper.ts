import { bytesEqual, fetchHttpClient, type HttpClient } from '@kyso/core';
import type { HashAlgorithm } from '../algorithms.js';
import { CmsError } from '../errors.js';
import { buildTimeStampRequest, parseTimeStampResponse } from './request.js';
import { parseTstInfo } from './verify-token.js';
import { parseSignedData } from '../cades/signed-data.js';

/** Gets RFC 3161 time-stamp tokens (DESIGN.md decision 6: injected wherever time-stamps are made). */
export interface TimeStamper {
  /** Returns a TimeStampToken (ContentInfo DER) over `imprint`, a hash made with `hashAlgorithm`. */
  timestamp(imprint: Uint8Array, hashAlgorithm: HashAlgorithm): Promise<Uint8Array>;
}

/** Options of {@link httpTimeStamper}. */
export interface HttpTimeStamperOptions {
  /** The TSA URL (RFC 3161 §3.4, HTTP POST of application/timestamp-query). */
  readonly url: string;
  readonly http?: HttpClient;
  /** Extra headers (e.g. `Authorization` for a commercial TSA). */
  readonly headers?: Readonly<Record<string, string>>;
  /** TSA policy OID to ask for. */
  readonly policy?: string;
  /** Milliseconds before giving up; default 10 000. */
  readonly timeoutMs?: number;
}

/**
 * A {@link TimeStamper} over HTTP (RFC 3161 §3.4). Each request carries a random nonce and
 * certReq; the answer is checked to be a granted TimeStampResp whose token is for the same
 * imprint and nonce (`TSP_BAD_RESPONSE` otherwise). The token's signature and TSA certificate
 * are checked by {@link verifyTimeStampToken}.
 *
 * @example
 * ```ts
 * const tsa = httpTimeStamper({ url: 'http://tsa.example.vn/tsa' });
 * const p7sT = await addSignatureTimestamp(p7s, tsa);
 * ```
 */
export function httpTimeStamper(options: HttpTimeStamperOptions): TimeStamper {
  const http = options.http ?? fetchHttpClient();
  return {
    async timestamp(imprint, hashAlgorithm) {
      const req = buildTimeStampRequest({ imprint, hashAlgorithm, ...(options.policy ? { policy: options.policy } : {}) });
      const res = await http.request({
        url: options.url,
        method: 'POST',
        headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply', ...options.headers },
        body: req.der,
        timeoutMs: options.timeoutMs ?? 10_000,
      });
      if (res.status !== 200) throw new CmsError('TSP_HTTP_ERROR', `The time-stamp server ${options.url} answered HTTP ${res.status}; check the URL and credentials.`);
      const token = parseTimeStampResponse(res.body);
      const sd = parseSignedData(token);
      if (!sd.eContent) throw new CmsError('TSP_BAD_RESPONSE', 'The time-stamp token carries no TSTInfo.');
      const tst = parseTstInfo(sd.eContent);
      if (!bytesEqual(tst.messageImprint, imprint)) throw new CmsError('TSP_BAD_RESPONSE', `The time-stamp server ${options.url} returned a token for other data (message imprint mismatch).`);
      if (req.nonce && (!tst.nonce || !bytesEqual(tst.nonce, req.nonce))) throw new CmsError('TSP_BAD_RESPONSE', `The time-stamp server ${options.url} returned a token with another nonce (a replayed or misrouted answer).`);
      return token;
    },
  };
}
