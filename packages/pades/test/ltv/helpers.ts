import { spawn } from 'node:child_process';
import { fetchHttpClient, type Clock, type HttpClient } from '@kyso/core';
import { httpTimeStamper, signerFromCryptoKey, type Signer, type TimeStamper } from '@kyso/cms';
import { createTestPki, type TestIdentity, type TestPki } from '@kyso/testkit';
import { startPkiServer, type PkiServer } from '@kyso/testkit/node';
import { parsePdfsig, type PdfsigSignature } from '../helpers/pdfsig.js';
import { requireTool } from '../helpers/tools.js';

/** A clock the test moves: `at(date)` until `reset()`. */
export interface MovableClock extends Clock {
  set(t: Date | null): void;
}

/** A clock that returns the real time unless set to a fixed one. */
export function movableClock(): MovableClock {
  let fixed: Date | null = null;
  return {
    now: () => (fixed ? new Date(fixed) : new Date()),
    set(t) {
      fixed = t;
    },
  };
}

/** The testkit PKI behind its TSA, OCSP and CRL servers on 127.0.0.1; certificates point at it. */
export interface LtvPki {
  readonly server: PkiServer;
  readonly pki: TestPki;
  readonly clock: MovableClock;
  readonly http: HttpClient;
  readonly tsa: TimeStamper;
  readonly rootPem: string;
  signer(identity: TestIdentity): Promise<Signer>;
  close(): Promise<void>;
}

/** Starts the servers with a PKI made for "now" (so OpenSSL-style freshness checks agree). */
export async function startLtvPki(seed = 'kyso-ltv'): Promise<LtvPki> {
  const clock = movableClock();
  const server = await startPkiServer({ pki: (baseUrl) => createTestPki({ baseUrl, seed, now: new Date(Math.floor(Date.now() / 1000) * 1000) }), clock });
  const http = fetchHttpClient();
  return {
    server,
    pki: server.pki,
    clock,
    http,
    tsa: httpTimeStamper({ url: server.tsaUrl, http }),
    rootPem: server.pki.root.certificatePem,
    signer: (id) => signerFromCryptoKey(id.privateKey, id.certificate, id.chain.slice(0, -1)),
    close: () => server.close(),
  };
}

/**
 * pdfsig run asynchronously (`spawn`): the OCSP responder it asks lives in this process, so a
 * blocking child would deadlock it (FIELD-NOTES: never leave a listener that does not answer).
 */
export async function pdfsigAsync(file: string, nssSpec: string): Promise<PdfsigSignature[]> {
  requireTool('pdfsig');
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('pdfsig', ['-nssdir', nssSpec, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve({ code: c, stdout, stderr });
    });
  });
  if (code !== 0 && !/Signature #/.test(stdout)) throw new Error(`pdfsig failed (${code}): ${stderr}${stdout}`);
  return parsePdfsig(stdout);
}
