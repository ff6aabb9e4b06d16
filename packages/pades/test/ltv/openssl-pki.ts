import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildTimeStampRequest, parseTimeStampResponse, signerFromCryptoKey, type Signer, type TimeStamper } from '@kyso/cms';
import { createTestPki, type TestIdentity, type TestPki } from '@kyso/testkit';
import { writeTestPki } from '@kyso/testkit/node';
import { requireTool } from '../helpers/tools.js';

const run = promisify(execFile);

/**
 * A PKI whose revocation is OpenSSL's: `openssl ca` keeps index.txt (certificates added with
 * `-valid`, revoked with `-revoke`), a small node:http listener on 127.0.0.1 hands each OCSP
 * request to `openssl ocsp -index … -rsigner … -CA … -reqin REQ -respout RESP` (OpenSSL 3.0's own
 * `-port` would listen on every interface), serves `openssl ca -gencrl` CRLs, and time-stamps
 * with `openssl ts -reply`. The certificates' AIA and CRL DP point at the listener.
 */
export interface OpensslPki {
  readonly url: string;
  readonly pki: TestPki;
  readonly dir: string;
  readonly tsa: TimeStamper;
  /** OCSP requests answered so far. */
  readonly ocspRequests: () => number;
  signer(identity: TestIdentity): Promise<Signer>;
  /** Adds the certificate to index.txt as valid (`openssl ca -valid`). */
  valid(identity: TestIdentity): Promise<void>;
  /** Revokes it in index.txt (`openssl ca -revoke -crl_reason keyCompromise`), at the current time. */
  revoke(identity: TestIdentity): Promise<void>;
  close(): Promise<void>;
}

export async function startOpensslPki(seed: string): Promise<OpensslPki> {
  requireTool('openssl');
  const dir = mkdtempSync(join(tmpdir(), 'kyso-openssl-pki-'));
  let ocspCount = 0;
  let pki: TestPki | undefined;
  let seq = 0;
  const handle = async (method: string, path: string, body: Buffer): Promise<{ status: number; type: string; body: Uint8Array }> => {
    if (!pki) return { status: 503, type: 'text/plain', body: new TextEncoder().encode('not ready') };
    if (path === '/ocsp' && method === 'POST') {
      const n = ++seq;
      const req = join(dir, `req${n}.der`);
      const resp = join(dir, `resp${n}.der`);
      writeFileSync(req, body);
      await run('openssl', [
        'ocsp', '-index', join(dir, 'ca', 'index.txt'), '-rsigner', join(dir, 'ocsp-responder.pem'), '-rkey', join(dir, 'ocsp-responder.key.pem'),
        '-CA', join(dir, 'government-ca.pem'), '-reqin', req, '-respout', resp, '-ndays', '1',
      ]);
      ocspCount++;
      return { status: 200, type: 'application/ocsp-response', body: readFileSync(resp) };
    }
    if (path === '/crl/government-ca.crl') {
      const n = ++seq;
      const pem = join(dir, `crl${n}.pem`);
      const der = join(dir, `crl${n}.der`);
      await run('openssl', ['ca', '-config', join(dir, 'ca', 'ca.cnf'), '-gencrl', '-out', pem]);
      await run('openssl', ['crl', '-in', pem, '-outform', 'DER', '-out', der]);
      return { status: 200, type: 'application/pkix-crl', body: readFileSync(der) };
    }
    if (path === '/crl/root.crl') return { status: 200, type: 'application/pkix-crl', body: await pki.issueCrl({ issuer: pki.root, thisUpdate: new Date(Date.now() - 60_000) }) };
    if (path === '/certs/root.cer') return { status: 200, type: 'application/pkix-cert', body: pki.root.certificate };
    if (path === '/certs/government-ca.cer') return { status: 200, type: 'application/pkix-cert', body: pki.governmentCa.certificate };
    return { status: 404, type: 'text/plain', body: new TextEncoder().encode(`nothing at ${path}`) };
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Every request gets an answer, errors included: a listener that accepts and never answers
      // makes pdfsig wait for minutes (FIELD-NOTES.md).
      handle(req.method ?? 'GET', (req.url ?? '/').split('?')[0]!, Buffer.concat(chunks)).then(
        (r) => {
          res.writeHead(r.status, { 'content-type': r.type, 'content-length': r.body.length });
          res.end(r.body);
        },
        (e: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String((e as Error)?.message ?? e));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pki = await createTestPki({ baseUrl: url, seed, now: new Date(Math.floor(Date.now() / 1000) * 1000) });
  await writeTestPki(pki, dir, { pkcs12: false });

  // openssl ca's database and configuration for the government CA.
  const caDir = join(dir, 'ca');
  mkdirSync(join(caDir, 'newcerts'), { recursive: true });
  writeFileSync(join(caDir, 'index.txt'), '');
  writeFileSync(join(caDir, 'index.txt.attr'), 'unique_subject = no\n');
  writeFileSync(join(caDir, 'serial'), '1000\n');
  writeFileSync(join(caDir, 'crlnumber'), '1000\n');
  writeFileSync(
    join(caDir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = gov',
      '[ gov ]',
      `database = ${join(caDir, 'index.txt')}`,
      `new_certs_dir = ${join(caDir, 'newcerts')}`,
      `certificate = ${join(dir, 'government-ca.pem')}`,
      `private_key = ${join(dir, 'government-ca.key.pem')}`,
      `serial = ${join(caDir, 'serial')}`,
      `crlnumber = ${join(caDir, 'crlnumber')}`,
      'default_md = sha256',
      'default_crl_days = 30',
      'policy = any',
      'unique_subject = no',
      '[ any ]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  const pemOf = (id: TestIdentity) => {
    const f = join(dir, `cert-${id.serialNumber}.pem`);
    writeFileSync(f, id.certificatePem);
    return f;
  };
  const ca = (args: string[]) => run('openssl', ['ca', '-config', join(caDir, 'ca.cnf'), ...args]);
  for (const id of [pki.tsa, ...Object.values(pki.cadres), pki.seal]) await ca(['-valid', pemOf(id)]);

  writeFileSync(join(dir, 'serial-ts'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    ['[ tsa ]', 'default_tsa = tsa1', '[ tsa1 ]', `serial = ${join(dir, 'serial-ts')}`, 'crypto_device = builtin', 'signer_digest = sha256', 'default_policy = 1.2.3.4.1', 'digests = sha256, sha384, sha512', 'accuracy = secs:1', 'ordering = no', 'tsa_name = no', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', ''].join('\n'),
  );
  let tsn = 0;
  const tsa: TimeStamper = {
    async timestamp(imprint, hashAlgorithm) {
      const q = join(dir, `q${++tsn}.tsq`);
      writeFileSync(q, buildTimeStampRequest({ imprint, hashAlgorithm }).der);
      await run('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', q, '-inkey', join(dir, 'tsa.key.pem'), '-signer', join(dir, 'tsa.pem'), '-chain', join(dir, 'tsa.chain.pem'), '-out', `${q}.tsr`]);
      return parseTimeStampResponse(new Uint8Array(readFileSync(`${q}.tsr`)));
    },
  };
  const p = pki;
  return {
    url,
    pki: p,
    dir,
    tsa,
    ocspRequests: () => ocspCount,
    signer: (id) => signerFromCryptoKey(id.privateKey, id.certificate, id.chain.slice(0, -1)),
    valid: async (id) => void (await ca(['-valid', pemOf(id)])),
    revoke: async (id) => void (await ca(['-revoke', pemOf(id), '-crl_reason', 'keyCompromise'])),
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
