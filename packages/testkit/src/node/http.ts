import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running loopback HTTP server. */
export interface LoopbackServer {
  /** Base URL, e.g. "http://127.0.0.1:41234" (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** What a route answers. */
export interface RouteResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array | string;
}

/** A request as the route handlers see it. */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Uint8Array;
}

const MAX_BODY = 1 << 20;

/** Starts an HTTP server on 127.0.0.1 (never on other interfaces) that calls `handle`. */
export async function listenLoopback(handle: (req: RouteRequest) => Promise<RouteResponse>, port = 0): Promise<LoopbackServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      handle({ method: req.method ?? 'GET', path, contentType: req.headers['content-type'], body: new Uint8Array(Buffer.concat(chunks)) })
        .then((r) => {
          const body = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
          res.writeHead(r.status, { 'content-type': r.contentType, 'content-length': body.length, connection: 'close' });
          res.end(body);
        })
        .catch((e: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(e instanceof Error ? e.message : String(e));
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A plain-text error response. */
export const textResponse = (status: number, text: string): RouteResponse => ({ status, contentType: 'text/plain; charset=utf-8', body: text + '\n' });
