import { fromBase64 } from '@kyso/core';
import { createOcspResponder, type OcspResponder, type OcspResponderOptions } from '../services/ocsp-responder.js';
import { listenLoopback, textResponse, type LoopbackServer, type RouteRequest, type RouteResponse } from './http.js';

/** Options of {@link startOcspServer}. */
export interface OcspServerOptions extends OcspResponderOptions {
  /** Port on 127.0.0.1 (default: any free port). */
  readonly port?: number;
}

/** A running OCSP responder: `url` takes POSTed requests and GET `url` + base64 request. */
export interface OcspServer extends LoopbackServer {
  readonly responder: OcspResponder;
}

/** The HTTP side of RFC 6960 Appendix A.1 for one responder: POST body or GET path. */
export async function handleOcsp(responder: OcspResponder, req: RouteRequest, prefix: string): Promise<RouteResponse> {
  let body: Uint8Array;
  if (req.method === 'POST') body = req.body;
  else if (req.method === 'GET') {
    try {
      body = fromBase64(decodeURIComponent(req.path.slice(prefix.length).replace(/^\//, '')));
    } catch {
      return textResponse(400, 'GET needs the base64 DER OCSPRequest after the URL (RFC 6960 A.1).');
    }
  } else return textResponse(405, 'Use POST (application/ocsp-request) or GET.');
  return { status: 200, contentType: 'application/ocsp-response', body: await responder.respond(body) };
}

/**
 * Starts an OCSP responder on 127.0.0.1.
 *
 * @example
 * ```ts
 * const ocsp = await startOcspServer({ pki });   // governmentCa, signed by pki.ocspResponder
 * // openssl ocsp -issuer government-ca.pem -cert leader.pem -url ocsp.url -CAfile root.pem
 * await ocsp.close();
 * ```
 */
export async function startOcspServer(options: OcspServerOptions): Promise<OcspServer> {
  const responder = createOcspResponder(options);
  const server = await listenLoopback((req) => handleOcsp(responder, req, ''), options.port);
  return { ...server, url: `${server.url}/`, responder };
}
