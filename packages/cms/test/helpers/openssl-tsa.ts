/**
 * OpenSSL as an RFC 3161 time-stamp authority: `openssl ts -reply` run per request, directly or
 * behind a small HTTP listener on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseTimeStampResponse, buildTimeStampRequest, type TimeStamper } from '@kyso/cms';
import { opensslOk, type OpensslPki } from './openssl.js';

/** Writes tsa.cnf and chain.pem for `pki` (made with `{ tsa: true }`). */
export function setUpTsa(pki: OpensslPki): void {
  writeFileSync(
    pki.path('tsa.cnf'),
    `[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = .
serial = ./tsaserial
crypto_device = builtin
signer_cert = ./tsa.pem
certs = ./chain.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5.6
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 0
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`,
  );
  writeFileSync(pki.path('tsaserial'), '01\n');
  writeFileSync(pki.path('chain.pem'), pki.text('inter.pem'));
}

let counter = 0;

/** Answers one DER TimeStampReq with openssl; returns the DER TimeStampResp. */
export function opensslTsReply(pki: OpensslPki, query: Uint8Array): Uint8Array {
  const n = counter++;
  writeFileSync(pki.path(`q${n}.tsq`), query);
  opensslOk(['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `q${n}.tsq`, '-inkey', 'tsa.key', '-signer', 'tsa.pem', '-chain', 'chain.pem', '-out', `r${n}.tsr`], { cwd: pki.dir });
  return pki.read(`r${n}.tsr`);
}

/** A TimeStamper that runs openssl in-process (no HTTP). */
export function opensslTimeStamper(pki: OpensslPki): TimeStamper {
  return {
    async timestamp(imprint, hashAlgorithm) {
      return parseTimeStampResponse(opensslTsReply(pki, buildTimeStampRequest({ imprint, hashAlgorithm }).der));
    },
  };
}

/** An HTTP TSA on 127.0.0.1 backed by openssl; `respond` may replace the answer (for bad-server tests). */
export async function startTsaServer(
  pki: OpensslPki,
  respond?: (query: Uint8Array) => { status: number; body: Uint8Array } | undefined,
): Promise<{ url: string; requests: Uint8Array[]; close: () => Promise<void> }> {
  const requests: Uint8Array[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const query = new Uint8Array(Buffer.concat(chunks));
      requests.push(query);
      try {
        if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
          res.writeHead(415).end();
          return;
        }
        const custom = respond?.(query);
        const body = custom ? custom.body : opensslTsReply(pki, query);
        res.writeHead(custom?.status ?? 200, { 'Content-Type': 'application/timestamp-reply' }).end(Buffer.from(body));
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
