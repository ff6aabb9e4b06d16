// Starts the built service (node dist/server.js) on 127.0.0.1 on a free port with a SQLite file,
// drives the four-step route as an e-office front end would — each user's key signs on the
// client side (WebCrypto for the cadres, a raw digest signature as a USB token does for the
// seal) — checks the refusals, downloads the issued PDF, verifies it, and stops the service.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { constants, privateEncrypt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestInfo } from '@kyso/cms';
import { fromBase64, pemToDer, toBase64 } from '@kyso/core';
import { verifyPdf } from '@kyso/pades';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('..', import.meta.url));
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const pem = (name: string) => readFileSync(fixturePath('pki', name), 'utf8');

/** A user at the front end: their certificate, and their key that never leaves the client. */
function user(name: string) {
  return {
    certificate: pem(`${name}.pem`),
    chain: [toBase64(loadFixture('pki', 'government-ca.cer'))],
    /** Browser: a non-extractable WebCrypto key signs the DER of the signed attributes. */
    async signData(data: Uint8Array): Promise<Uint8Array> {
      const der = pemToDer(pem(`${name}.key.pem`), 'PRIVATE KEY')[0]!;
      const key = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
      return new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, data));
    },
    /** USB token / remote signer: signs the hash (PKCS#1 v1.5 over its DigestInfo). */
    signDigest(digest: Uint8Array): Uint8Array {
      return new Uint8Array(privateEncrypt({ key: pem(`${name}.key.pem`), padding: constants.RSA_PKCS1_PADDING }, digestInfo(digest, 'SHA-256')));
    },
  };
}

describe('examples/approval-service', () => {
  let dir: string;
  let server: ChildProcessWithoutNullStreams;
  let base: string;
  let output = '';
  let caseId: string;
  let tscOutput = '';

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers };
    if (body instanceof Uint8Array) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...headers, 'content-type': 'application/json' };
    }
    const res = await fetch(base + path, init);
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, json: type.startsWith('application/json') ? await res.json() : undefined, bytes: type === 'application/pdf' ? new Uint8Array(await res.arrayBuffer()) : undefined };
  };

  beforeAll(async () => {
    const tsc = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: APP, encoding: 'utf8' });
    tscOutput = `${tsc.stdout}${tsc.stderr}`;
    if (tsc.status !== 0) throw new Error(`tsc failed:\n${tscOutput}`);
    dir = mkdtempSync(join(tmpdir(), 'kyso-ex-service-'));
    server = spawn(process.execPath, [join(APP, 'dist/server.js')], { cwd: dir, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', KYSO_DB: join(dir, 'approvals.db') } });
    server.stdout.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr.on('data', (d: Buffer) => (output += d.toString()));
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the service did not start:\n${output}`)), 30_000);
      server.stdout.on('data', () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      server.on('exit', (code) => reject(new Error(`the service exited with ${code}:\n${output}`)));
    });
  });
  afterAll(async () => {
    if (server.exitCode === null) {
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('type-checks against the packages\' built types (tsc -p, run before starting it, said nothing)', () => {
    expect(tscOutput).toBe('');
  });

  it('creates a case from an uploaded PDF', async () => {
    const r = await call('POST', `/cases?title=${encodeURIComponent('Quyết định ban hành quy chế')}`, loadFixture('pdfs', 'libreoffice-vi.pdf'), { 'content-type': 'application/pdf', 'x-user-id': 'u-drafter' });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ status: 'in-progress', title: 'Quyết định ban hành quy chế', nextStep: { id: 'drafter', kind: 'initial', assignees: ['citizenId 027190001234'] } });
    caseId = r.json.id;
  });

  it('refuses the wrong signer (403), a bad signature value (422, nothing changes), an unknown case (404)', async () => {
    const wrong = await call('POST', `/cases/${caseId}/sign/begin`, { certificate: user('head').certificate });
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.code).toBe('WORKFLOW_WRONG_SIGNER');

    const before = (await call('GET', `/cases/${caseId}`)).json;
    const b = await call('POST', `/cases/${caseId}/sign/begin`, { certificate: user('drafter').certificate, chain: user('drafter').chain });
    expect(b.status).toBe(200);
    const garbage = await user('head').signData(fromBase64(b.json.dataToSign)); // a valid signature, by someone else's key
    const bad = await call('POST', `/cases/${caseId}/sign/complete`, { token: b.json.token, signatureValue: toBase64(garbage) });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('WORKFLOW_BAD_SIGNATURE');
    expect((await call('GET', `/cases/${caseId}`)).json).toEqual(before);

    expect((await call('GET', '/cases/no-such-case')).status).toBe(404);
    expect((await call('POST', '/cases/no-such-case/sign/complete', { token: b.json.token, signatureValue: 'AAAA' })).status).toBe(404);
    expect((await call('POST', `/cases/${caseId}/sign/begin`, { certificate: '%%%' })).status).toBe(400);
  });

  it('drives the route: each step gets its digest, the client signs it, the service completes', async () => {
    const steps = [
      ['drafter', 'drafter', 'data'],
      ['head', 'head', 'data'],
      ['leader', 'leader', 'data'],
      ['clerk', 'seal', 'digest'],
    ] as const;
    for (const [stepId, who, how] of steps) {
      const u = user(who);
      const b = await call('POST', `/cases/${caseId}/sign/begin`, { certificate: u.certificate, chain: u.chain, stepId });
      expect(b.status).toBe(200);
      expect(b.json.stepId).toBe(stepId);
      expect(fromBase64(b.json.digestToSign)).toHaveLength(32);
      const value = how === 'data' ? await u.signData(fromBase64(b.json.dataToSign)) : u.signDigest(fromBase64(b.json.digestToSign));
      const c = await call('POST', `/cases/${caseId}/sign/complete`, { token: b.json.token, signatureValue: toBase64(value) });
      expect(c.status).toBe(200);
      expect(c.json.steps.find((s: { id: string }) => s.id === stepId).status).toBe('done');
    }
    const status = await call('GET', `/cases/${caseId}`);
    expect(status.json).toMatchObject({ status: 'completed', documentNumber: '01/QĐ-UBND', nextStep: null });
    expect(status.json.steps.map((s: { signatures: { signer: string }[] }) => s.signatures[0]?.signer)).toEqual(['Trần Thị Bình', 'Lê Văn Cường', 'Nguyễn Văn An', 'Ủy ban nhân dân tỉnh Bắc Ninh']);
  });

  it('downloads the issued PDF: four TOTAL-PASSED signatures, pdfsig agrees; verify says valid', async () => {
    const d = await call('GET', `/cases/${caseId}/document`);
    expect(d.status).toBe(200);
    const report = await verifyPdf(d.bytes!, { trustAnchors: [loadFixture('pki', 'root.cer')] });
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED', 'TOTAL-PASSED', 'TOTAL-PASSED']);
    const file = join(dir, 'issued.pdf');
    writeFileSync(file, d.bytes!);
    const sig = spawnSync('pdfsig', [file], { encoding: 'utf8' });
    if (sig.error) throw new Error('pdfsig is not installed; install it with: apt-get install poppler-utils');
    expect(sig.stdout.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(4);

    const v = await call('GET', `/cases/${caseId}/verify`);
    expect(v.json).toMatchObject({ valid: true, complete: true, audit: { valid: true } });
    // A closed case takes no more signatures.
    const late = await call('POST', `/cases/${caseId}/sign/begin`, { certificate: user('leader').certificate });
    expect(late.status).toBe(409);
  });

  it('stops on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => server.once('exit', r));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('approval service stopped');
  });
});
