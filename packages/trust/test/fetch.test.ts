import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHttpClient } from '@kyso/core';
import {
  CaIssuersFetcher,
  Certificate,
  CrlFetcher,
  CrlRevocationChecker,
  MemoryFetchCache,
  OcspClient,
  OcspRevocationChecker,
  firstConclusive,
  validatePath,
} from '@kyso/trust';
import { openssl } from './helpers/openssl.js';
import { type TestPki, makePki } from './helpers/pki.js';

const run = promisify(execFile);
let pki: TestPki;
let server: Server;
let base: string;
const hits: string[] = [];
let root: Certificate;
let sub: Certificate;
let leaf: Certificate;
let revoked: Certificate;
let aiaLeaf: Certificate;
let p7cLeaf: Certificate;

/** OpenSSL's responder logic behind a 127.0.0.1 listener (`openssl ocsp -port` would bind every interface). */
async function ocspHandler(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const name = `http-${hits.length}-${Date.now()}`;
  pki.write(`${name}.req`, Buffer.concat(chunks));
  try {
    await run('openssl', ['ocsp', '-index', 'sub/index.txt', '-CA', 'sub.pem', '-rsigner', 'ocsp.pem', '-rkey', 'ocsp.key',
      '-reqin', `${name}.req`, '-respout', `${name}.resp`, '-ndays', '1'], { cwd: pki.dir });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    res.writeHead(500).end(err.code === 'ENOENT' ? 'install openssl with apt-get install openssl' : String(err.message));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.from(pki.read(`${name}.resp`)));
}

beforeAll(async () => {
  pki = makePki();
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const file: Record<string, string> = { '/sub.crl': 'sub-crl.der', '/root.crl': 'root-crl.der', '/sub.cer': 'sub.der', '/sub.p7c': 'sub.p7c' };
    if (req.url === '/ocsp' && req.method === 'POST') return void ocspHandler(req, res);
    if (req.url === '/slow') return; // never answers: for the timeout
    const f = file[req.url ?? ''];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200).end(Buffer.from(pki.read(f)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  pki.addConfig(`[v3_sub_net]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:${base}/root.crl
[v3_leaf_net]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:${base}/sub.crl
authorityInfoAccess = OCSP;URI:${base}/ocsp, caIssuers;URI:${base}/sub.cer
[v3_leaf_p7c]
basicConstraints = critical, CA:FALSE
authorityKeyIdentifier = keyid
authorityInfoAccess = caIssuers;URI:${base}/sub.p7c
`);
  root = Certificate.fromPem(pki.read('root.pem'));
  // Re-issue the sub CA with a distribution point (same key and name).
  openssl(pki.dir, ['ca', '-batch', '-config', 'openssl.cnf', '-name', 'root_ca', '-extensions', 'v3_sub_net', '-in', 'sub.csr', '-out', 'sub.pem',
    '-notext', '-startdate', '20240101000000Z', '-enddate', '20341231000000Z']);
  sub = Certificate.fromPem(pki.read('sub.pem'));
  pki.write('sub.der', sub.der);
  openssl(pki.dir, ['crl2pkcs7', '-nocrl', '-certfile', 'sub.pem', '-outform', 'DER', '-out', 'sub.p7c']);
  leaf = Certificate.fromPem(pki.read(pki.issue('sub', 'leaf', '/CN=Online Leaf', 'v3_leaf_net')));
  revoked = Certificate.fromPem(pki.read(pki.issue('sub', 'revoked', '/CN=Online Revoked', 'v3_leaf_net')));
  aiaLeaf = leaf;
  p7cLeaf = Certificate.fromPem(pki.read(pki.issue('sub', 'p7c', '/CN=P7C Leaf', 'v3_leaf_p7c')));
  pki.issue('sub', 'ocsp', '/CN=Online OCSP', 'v3_ocsp');
  pki.revoke('sub', 'revoked.pem', 'superseded');
  pki.crl('sub', 'sub-crl');
  pki.crl('root', 'root-crl');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  pki.cleanup();
});

const now = () => new Date(Date.now() + 60_000);

describe('fetchers over HttpClient (127.0.0.1)', () => {
  it('CrlFetcher: fetches the distribution points, then serves them from the cache', async () => {
    const cache = new MemoryFetchCache();
    const fetcher = new CrlFetcher({ http: fetchHttpClient(), cache });
    const revocation = new CrlRevocationChecker({ crls: [], fetchCrls: fetcher.fetcher() });
    hits.length = 0;
    const r = await validatePath({ certificates: [leaf, sub], trustAnchors: [root], time: now(), revocation });
    expect(r.failures).toEqual([]);
    expect(hits.sort()).toEqual(['GET /root.crl', 'GET /sub.crl']);
    expect(r.revocation.map((s) => s?.evidence?.map((e) => [e.type, e.origin]))).toEqual([[['crl', 'fetched']], [['crl', 'fetched']]]);
    hits.length = 0;
    const again = await validatePath({ certificates: [revoked, sub], trustAnchors: [root], time: now(), revocation });
    expect(hits).toEqual([]);
    expect(again.failures.map((f) => f.code)).toEqual(['REVOKED']);
    expect(again.revocation[0]).toMatchObject({ status: 'revoked', reason: 'superseded' });
    expect(again.revocation[0]?.evidence?.[0]?.origin).toBe('cache');
    expect(Object.isFrozen(again.revocation[0]?.evidence)).toBe(true);
    expect(cache.size).toBe(2);
  });

  it('OcspClient: asks the responder with a nonce; a cached answer is reused', async () => {
    const cache = new MemoryFetchCache();
    const client = new OcspClient({ http: fetchHttpClient(), cache });
    const revocation = firstConclusive(
      new OcspRevocationChecker({ fetch: client.fetcher() }),
      new CrlRevocationChecker({ crls: [], fetchCrls: new CrlFetcher({ http: fetchHttpClient() }).fetcher() }),
    );
    hits.length = 0;
    const ok = await validatePath({ certificates: [leaf, sub], trustAnchors: [root], time: now(), revocation });
    expect(ok.failures).toEqual([]);
    expect(ok.revocation.map((s) => s?.source)).toEqual(['ocsp', 'crl']);
    expect(hits).toContain('POST /ocsp');
    const bad = await validatePath({ certificates: [revoked, sub], trustAnchors: [root], time: now(), revocation });
    expect(bad.revocation[0]).toMatchObject({ status: 'revoked', source: 'ocsp', reason: 'superseded' });
    hits.length = 0;
    const cached = await client.fetch(leaf, sub);
    expect(cached?.origin).toBe('cache');
    expect(hits).toEqual([]);
  });

  it('offline: no request is made and the status stays unknown', async () => {
    hits.length = 0;
    const revocation = firstConclusive(
      new OcspRevocationChecker({ fetch: new OcspClient({ http: fetchHttpClient(), offline: true }).fetcher() }),
      new CrlRevocationChecker({ crls: [], fetchCrls: new CrlFetcher({ http: fetchHttpClient(), offline: true }).fetcher() }),
    );
    const r = await validatePath({ certificates: [leaf, sub], trustAnchors: [root], time: now(), revocation });
    expect(hits).toEqual([]);
    expect(r.failures.map((f) => f.code)).toEqual(['REVOCATION_UNKNOWN', 'REVOCATION_UNKNOWN']);
    const issuers = new CaIssuersFetcher({ http: fetchHttpClient(), offline: true });
    expect(await issuers.fetchIssuers(leaf)).toEqual([]);
  });

  it('gives up on a responder that does not answer within the timeout', async () => {
    const client = new OcspClient({ http: fetchHttpClient(), url: `${base}/slow`, timeoutMs: 300 });
    const started = Date.now();
    await expect(client.fetch(leaf, sub)).rejects.toMatchObject({ code: 'FETCH_FAILED' });
    expect(Date.now() - started).toBeLessThan(5000);
    const checker = new OcspRevocationChecker({ fetch: client.fetcher() });
    const r = await validatePath({ certificates: [leaf, sub], trustAnchors: [root], time: now(), revocation: checker, revocationMode: 'soft-fail' });
    expect(r.revocation[0]?.status).toBe('unknown');
    expect(r.revocation[0]?.message).toMatch(/timed out/);
    const missing = new CrlFetcher({ http: fetchHttpClient() });
    await expect(missing.fetch(`${base}/nothing.crl`)).rejects.toThrow(/HTTP 404/);
  });

  it('CaIssuersFetcher: completes a path from AIA caIssuers (DER and certs-only PKCS#7)', async () => {
    const fetchIssuers = new CaIssuersFetcher({ http: fetchHttpClient(), cache: new MemoryFetchCache() }).fetcher();
    const without = await validatePath({ certificates: [aiaLeaf], trustAnchors: [root], time: now() });
    expect(without.failures.map((f) => f.code)).toEqual(['NO_PATH_FOUND']);
    const r = await validatePath({ certificates: [aiaLeaf], trustAnchors: [root], time: now(), fetchIssuers });
    expect(r.valid).toBe(true);
    expect(r.path.map((c) => c.subject.commonName)).toEqual(['Online Leaf', 'Kyso Test Sub CA']);
    const r2 = await validatePath({ certificates: [p7cLeaf], trustAnchors: [root], time: now(), fetchIssuers });
    expect(r2.valid).toBe(true);
  });
});
