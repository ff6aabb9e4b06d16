// Certification path validations per second with @kyso/trust `validatePath` on the fixture PKI
// (test-fixtures/pki: leader → government CA → root), RFC 5280 §6.1 with CRL revocation checking
// of both certificates. The fixture certificates carry no CRL URL, so the CRLs are fetched from
// a loopback HTTP server (in the measuring process) through @kyso/trust's CrlFetcher:
// - cold: every validation parses the certificates, fetches both CRLs over HTTP, parses them and
//   checks their signatures, as a fresh verifier would;
// - cached: one CrlFetcher with a MemoryFetchCache and the parsed certificates kept, as a
//   long-running verification service would;
// - no revocation checking, parsed certificates kept: the ceiling.
// Plus one validation in a new process (start-up included). Run with `pnpm bench chain` after `pnpm build`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { pki, tryRow } from './shared.mjs';

const self = fileURLToPath(import.meta.url);
const AT = new Date('2026-12-01T12:00:00Z'); // inside the fixture PKI's validity and its CRLs' (see test-fixtures/pki/README.md)
const SECONDS = 2;

/** @param {{ work: string, measure: Function, repeat: number }} ctx */
export async function run(ctx) {
  const rows = [tryRow(ctx, 'one validation in a new process (Node start-up + imports + validatePath with CRLs)', process.execPath, [self, 'once'])];
  for (const [mode, what] of [
    ['cold', 'cold: parse certificates, fetch + parse + verify both CRLs over loopback HTTP, validate'],
    ['cached', 'cached: MemoryFetchCache for the CRLs, parsed certificates reused'],
    ['no-revocation', 'no revocation checking (signatures, validity, constraints, key usage), parsed certificates reused'],
  ]) {
    const rates = [];
    let peak = 0;
    for (let i = 0; i < ctx.repeat; i++) {
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, self, mode], { encoding: 'utf8' });
      if (r.status !== 0) {
        rates.push(Number.NaN);
        continue;
      }
      rates.push(JSON.parse(r.stdout.trim().split('\n').pop()).perSecond);
      peak = Math.max(peak, Number(r.stderr.trim().split('\n').pop()) / 1024);
    }
    rates.sort((a, b) => a - b);
    const perSecond = rates[Math.floor(rates.length / 2)];
    rows.push({
      what: `${what}: **${Number.isFinite(perSecond) ? perSecond.toFixed(0) : '?'} validations/s**`,
      wallS: 1 / perSecond,
      peakMB: peak,
      note: `wall = one validation (${(1000 / perSecond).toFixed(2)} ms); median of ${ctx.repeat} runs of ${SECONDS} s`,
    });
  }
  return { title: 'Certificate chain validation (RFC 5280, @kyso/trust validatePath), fixture PKI, RSA-2048', goal: 'report validations per second, cold and with cache (issue 5)', rows };
}

async function child(mode) {
  const trust = await import('../packages/trust/dist/index.js');
  const { fetchHttpClient } = await import('../packages/core/dist/index.js');
  const bytes = (f) => new Uint8Array(readFileSync(pki(f))); // a copy: not a view into Node's shared Buffer pool
  const leafDer = bytes('leader.cer');
  const chainPem = readFileSync(pki('leader.chain.pem'), 'utf8');
  const rootDer = bytes('root.cer');
  const crls = { root: bytes('root.crl'), 'government-ca': bytes('government-ca.crl') };

  let server;
  let base = '';
  if (mode !== 'no-revocation') {
    server = createServer((req, res) => {
      const body = crls[(req.url ?? '').replace(/^\/|\.crl$/g, '')];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/pkix-crl' }).end(body);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${server.address().port}`;
  }
  const http = fetchHttpClient();
  const clock = { now: () => AT };
  // The fixture certificates name no CRL distribution point: the CA of each certificate says where its issuer's CRL is.
  const crlUrl = (cert) => `${base}/${cert.issuer.commonName?.startsWith('RootCA') ? 'root' : 'government-ca'}.crl`;
  const makeFetch = (fetcher) => async (cert) => [await fetcher.fetch(crlUrl(cert))];

  const sharedFetcher = new trust.CrlFetcher({ http, clock, cache: new trust.MemoryFetchCache({ clock }) });
  const parsed = { leaf: trust.Certificate.fromDer(leafDer), chain: trust.Certificate.allFromPem(chainPem), root: trust.Certificate.fromDer(rootDer) };

  const once = async () => {
    const certs = mode !== 'cold' && mode !== 'once' ? parsed : { leaf: trust.Certificate.fromDer(leafDer), chain: trust.Certificate.allFromPem(chainPem), root: trust.Certificate.fromDer(rootDer) };
    const revocation =
      mode === 'no-revocation' ? undefined : new trust.CrlRevocationChecker({ crls: [], fetchCrls: makeFetch(mode === 'cached' ? sharedFetcher : new trust.CrlFetcher({ http, clock })) });
    const result = await trust.validatePath({
      certificates: [certs.leaf, ...certs.chain.filter((c) => !c.isSelfIssued)],
      trustAnchors: [certs.root],
      time: AT,
      purpose: 'document-signing',
      ...(revocation ? { revocation } : {}),
    });
    if (!result.valid) throw new Error(`the fixture chain did not validate: ${JSON.stringify(result.failures)}`);
  };

  try {
    if (mode === 'once') return await once();
    await once(); // warm-up: the first call compiles code and fills the cache
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < SECONDS * 1000) {
      await once();
      n++;
    }
    console.log(JSON.stringify({ mode, n, perSecond: n / ((performance.now() - t0) / 1000) }));
  } finally {
    server?.close();
  }
}

if (process.argv[1] === self && process.argv[2]) await child(process.argv[2]);
