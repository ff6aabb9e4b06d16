import type { Clock } from '@kyso/core';
import type { TestIdentity } from '../pki.js';
import { createTimeStampAuthority, type TimeStampAuthority, type TimeStampAuthorityOptions } from '../services/time-stamp-authority.js';
import { listenLoopback, textResponse, type LoopbackServer } from './http.js';

/** Options of {@link startTsaServer}. */
export interface TsaServerOptions extends Omit<TimeStampAuthorityOptions, 'tsa' | 'clock'> {
  readonly tsa: TestIdentity;
  readonly clock?: Clock;
  /** Port on 127.0.0.1 (default: any free port). */
  readonly port?: number;
}

/** A running TSA: POST a TimeStampReq to `url`. */
export interface TsaServer extends LoopbackServer {
  readonly authority: TimeStampAuthority;
}

/**
 * Starts an RFC 3161 time-stamping server on 127.0.0.1 (HTTP transport, RFC 3161 §3.4):
 * `POST` with `Content-Type: application/timestamp-query` → `application/timestamp-reply`.
 *
 * @example
 * ```ts
 * const tsa = await startTsaServer({ tsa: pki.tsa, clock: fixedClock(pki.now) });
 * // openssl ts -query -data f -sha256 -cert -out q.tsq; curl --data-binary @q.tsq tsa.url
 * await tsa.close();
 * ```
 */
export async function startTsaServer(options: TsaServerOptions): Promise<TsaServer> {
  const authority = createTimeStampAuthority(options);
  const server = await listenLoopback(async (req) => {
    if (req.method !== 'POST') return textResponse(405, 'POST an application/timestamp-query body (RFC 3161 §3.4).');
    return { status: 200, contentType: 'application/timestamp-reply', body: await authority.respond(req.body) };
  }, options.port);
  return { ...server, url: `${server.url}/`, authority };
}
