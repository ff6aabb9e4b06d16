import type { Clock } from '@kyso/core';
import type { TestIdentity, TestPki } from '../pki.js';
import { createOcspResponder, type OcspResponder } from '../services/ocsp-responder.js';
import { createTimeStampAuthority, type TimeStampAuthority } from '../services/time-stamp-authority.js';
import { listenLoopback, textResponse, type LoopbackServer, type RouteRequest, type RouteResponse } from './http.js';
import { handleOcsp } from './ocsp-server.js';

/** Options of {@link startCrlServer}. */
export interface CrlServerOptions {
  readonly pki: TestPki;
  /**
   * With a clock, each CRL is issued at request time (thisUpdate one minute before
   * `clock.now()`); without, thisUpdate is the PKI's default (one hour before `pki.now`).
   * Either way the CRL lists the PKI's revocations at that moment (see `pki.revoke`).
   */
  readonly clock?: Clock;
  /** Port on 127.0.0.1 (default: any free port). */
  readonly port?: number;
}

/** A served request, for tests that check what a client fetched. */
export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** A running CRL / certificate repository. */
export interface CrlServer extends LoopbackServer {
  /** Every request so far, in order. */
  readonly requests: readonly ServedRequest[];
}

function repository(pki: TestPki, clock: Clock | undefined): (req: RouteRequest) => Promise<RouteResponse | undefined> {
  const crl = async (issuer: TestIdentity): Promise<RouteResponse> => {
    const opts = clock ? { thisUpdate: new Date(clock.now().getTime() - 60_000) } : {};
    const thisUpdate = opts.thisUpdate ?? new Date(pki.now.getTime() - 3600_000);
    // cRLNumber grows with thisUpdate, so a later CRL always has a larger number (RFC 5280 §5.2.3).
    const body = await pki.issueCrl({ issuer, ...opts, crlNumber: BigInt(Math.floor(thisUpdate.getTime() / 1000)) });
    return { status: 200, contentType: 'application/pkix-crl', body };
  };
  const cert = (id: TestIdentity): RouteResponse => ({ status: 200, contentType: 'application/pkix-cert', body: id.certificate });
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    switch (req.path) {
      case '/crl/root.crl':
        return crl(pki.root);
      case '/crl/government-ca.crl':
        return crl(pki.governmentCa);
      case '/certs/root.cer':
        return cert(pki.root);
      case '/certs/government-ca.cer':
        return cert(pki.governmentCa);
      default:
        return undefined;
    }
  };
}

async function serve(route: (req: RouteRequest) => Promise<RouteResponse | undefined>, port: number | undefined) {
  const requests: ServedRequest[] = [];
  const server = await listenLoopback(async (req) => {
    const res = (await route(req)) ?? textResponse(404, `Nothing at ${req.path}.`);
    requests.push({ method: req.method, path: req.path, status: res.status });
    return res;
  }, port);
  return { server, requests };
}

/**
 * Serves a PKI's CRLs and CA certificates on 127.0.0.1 at the paths of `pki.urls`:
 * `/crl/root.crl`, `/crl/government-ca.crl`, `/certs/root.cer`, `/certs/government-ca.cer`.
 */
export async function startCrlServer(options: CrlServerOptions): Promise<CrlServer> {
  const { server, requests } = await serve(repository(options.pki, options.clock), options.port);
  return { ...server, requests };
}

/** Options of {@link startPkiServer}. */
export interface PkiServerOptions {
  /**
   * The PKI, or a function that makes it from the server's base URL, so that the certificates'
   * CRL DP and AIA point at this server: `pki: (baseUrl) => createTestPki({ baseUrl })`.
   */
  readonly pki: TestPki | ((baseUrl: string) => Promise<TestPki>);
  /** Clock of the TSA, the OCSP responder and the CRLs (default: the system clock; CRLs as in {@link CrlServerOptions}). */
  readonly clock?: Clock;
  /** Port on 127.0.0.1 (default: any free port). */
  readonly port?: number;
}

/** Everything a PKI needs online, on one loopback port. */
export interface PkiServer extends LoopbackServer {
  readonly pki: TestPki;
  /** POST RFC 3161 requests here (`${url}/tsa`). */
  readonly tsaUrl: string;
  /** OCSP for the government CA's certificates (`${url}/ocsp`). */
  readonly ocspUrl: string;
  readonly tsa: TimeStampAuthority;
  readonly ocsp: OcspResponder;
  readonly requests: readonly ServedRequest[];
}

/**
 * Starts the TSA (`/tsa`), the OCSP responder for the government CA (`/ocsp`, signed by
 * `pki.ocspResponder`) and the CRL/certificate repository (`/crl/…`, `/certs/…`) on one
 * 127.0.0.1 port: the URLs that `createTestPki({ baseUrl })` writes into certificates.
 *
 * @example
 * ```ts
 * const server = await startPkiServer({ pki: (baseUrl) => createTestPki({ baseUrl }) });
 * server.pki.cadres.leader; // its AIA says `${server.url}/ocsp`
 * await server.close();
 * ```
 */
export async function startPkiServer(options: PkiServerOptions): Promise<PkiServer> {
  let pki: TestPki | undefined = typeof options.pki === 'function' ? undefined : options.pki;
  let tsa: TimeStampAuthority | undefined;
  let ocsp: OcspResponder | undefined;
  let repo: ((req: RouteRequest) => Promise<RouteResponse | undefined>) | undefined;
  const clockOpt = options.clock ? { clock: options.clock } : {};
  const setUp = (p: TestPki) => {
    pki = p;
    tsa = createTimeStampAuthority({ tsa: p.tsa, ...clockOpt });
    ocsp = createOcspResponder({ pki: p, ...clockOpt });
    repo = repository(p, options.clock);
  };
  if (pki) setUp(pki);
  const { server, requests } = await serve(async (req) => {
    if (!pki || !tsa || !ocsp || !repo) return textResponse(503, 'The PKI is still being made; retry in a moment.');
    if (req.path === '/tsa') {
      if (req.method !== 'POST') return textResponse(405, 'POST an application/timestamp-query body (RFC 3161 §3.4).');
      return { status: 200, contentType: 'application/timestamp-reply', body: await tsa.respond(req.body) };
    }
    if (req.path === '/ocsp' || req.path.startsWith('/ocsp/')) return handleOcsp(ocsp, req, '/ocsp');
    return repo(req);
  }, options.port);
  if (typeof options.pki === 'function') {
    try {
      setUp(await options.pki(server.url));
    } catch (e) {
      await server.close();
      throw e;
    }
  }
  return {
    ...server,
    pki: pki!,
    tsaUrl: `${server.url}/tsa`,
    ocspUrl: `${server.url}/ocsp`,
    tsa: tsa!,
    ocsp: ocsp!,
    requests,
  };
}
