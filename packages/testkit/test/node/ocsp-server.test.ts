import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, toBase64 } from '@kyso/core';
import { createTestPki, type TestPki } from '@kyso/testkit';
import { startOcspServer, type OcspServer } from '@kyso/testkit/node';
import { epoch, opensslAsync, tempDir } from '../helpers/openssl.js';

describe('startOcspServer', () => {
  let pki: TestPki;
  let server: OcspServer;
  const tmp = tempDir();
  // `openssl ocsp` checks thisUpdate/nextUpdate against the real time (-attime only moves the
  // certificate checks), so this PKI lives at the present and the server uses the system clock.
  const at = new Date(Math.floor(Date.now() / 1000) * 1000);
  const f: Record<string, string> = {};
  beforeAll(async () => {
    pki = await createTestPki({ seed: 'ocsp-test', now: at, keySpec: 'ecdsa-p256', caKeySpec: 'rsa-2048' });
    server = await startOcspServer({ pki });
    for (const [name, id] of pki.identities) f[name] = tmp.write(`${name}.pem`, id.certificatePem);
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  const ask = (cert: string, url = server.url, extra: string[] = []) =>
    opensslAsync(['ocsp', '-issuer', f.governmentCa!, '-cert', cert, '-url', url, '-CAfile', f.root!, '-attime', epoch(at), '-resp_text', ...extra]);

  it('answers good for a cadre, signed by the delegated responder, with the nonce echoed', async () => {
    const r = await ask(f.leader!);
    expect(r.stderr).toContain('Response verify OK');
    expect(r.stdout).toContain(`${f.leader}: good`);
    const thisUpdate = /This Update: (.*GMT)/.exec(r.stdout)?.[1];
    const nextUpdate = /Next Update: (.*GMT)/.exec(r.stdout)?.[1];
    expect(Math.abs(new Date(thisUpdate!).getTime() - Date.now())).toBeLessThan(60_000);
    expect(new Date(nextUpdate!).getTime() - new Date(thisUpdate!).getTime()).toBe(86_400_000);
    expect(r.stdout).toContain('OCSP Nonce');
    expect(r.stderr + r.stdout).not.toContain('WARNING: no nonce');
    expect(r.stdout).toMatch(/Subject: .*CN ?= ?OCSP Test/);
  });

  it('answers revoked, with time and reason, for the revoked cadre', async () => {
    const r = await ask(f.revoked!);
    expect(r.stderr).toContain('Response verify OK');
    expect(r.stdout).toContain(`${f.revoked}: revoked`);
    expect(r.stdout).toContain('Reason: keyCompromise');
    const revokedAt = /Revocation Time: (.*GMT)/.exec(r.stdout)?.[1];
    expect(new Date(revokedAt!).getTime()).toBe(at.getTime() - 86_400_000);
  });

  it('answers several certificates in one request, and with SHA-256 CertIDs', async () => {
    const r = await opensslAsync(['ocsp', '-issuer', f.governmentCa!, '-sha256', '-cert', f.leader!, '-cert', f.revoked!, '-cert', f.seal!, '-url', server.url, '-CAfile', f.root!, '-attime', epoch(at)]);
    expect(r.stderr).toContain('Response verify OK');
    expect(r.stdout).toContain(`${f.leader}: good`);
    expect(r.stdout).toContain(`${f.revoked}: revoked`);
    expect(r.stdout).toContain(`${f.seal}: good`);
  });

  it('revokes later revocations too (pki.revoke), and says unknown outside `known`', async () => {
    const extra = await pki.issue({ name: 'extra', subject: { C: 'VN', CN: 'Ngô Văn Lâm' } });
    const extraFile = tmp.write('extra.pem', extra.certificatePem);
    expect((await ask(extraFile)).stdout).toContain(': good');
    pki.revoke(extra, new Date(at.getTime() - 3600_000), 'affiliationChanged');
    const r = await ask(extraFile);
    expect(r.stdout).toContain(': revoked');
    expect(r.stdout).toContain('Reason: affiliationChanged');
    const strict = await startOcspServer({ pki, known: [pki.cadres.leader] });
    try {
      expect((await ask(f.leader!, strict.url)).stdout).toContain(': good');
      expect((await ask(f.head!, strict.url)).stdout).toContain(': unknown');
    } finally {
      await strict.close();
    }
  });

  it('is refused by openssl when a certificate without OCSPSigning signs (tamper twin)', async () => {
    const rogue = await startOcspServer({ pki, responder: pki.cadres.clerk });
    try {
      const r = await ask(f.leader!, rogue.url);
      expect(r.stderr + r.stdout).toMatch(/Response Verify Failure/);
    } finally {
      await rogue.close();
    }
  });

  it('answers GET requests (RFC 6960 A.1) and malformed requests', async () => {
    const req = await opensslAsync(['ocsp', '-issuer', f.governmentCa!, '-cert', f.leader!, '-no_nonce', '-reqout', `${tmp.dir}/req.der`]);
    expect(req.status).toBe(0);
    const { readFileSync } = await import('node:fs');
    const b64 = encodeURIComponent(toBase64(new Uint8Array(readFileSync(`${tmp.dir}/req.der`))));
    const res = await fetch(server.url + b64);
    expect(res.headers.get('content-type')).toBe('application/ocsp-response');
    const respFile = tmp.write('resp.der', new Uint8Array(await res.arrayBuffer()));
    const r = await opensslAsync(['ocsp', '-respin', respFile, '-issuer', f.governmentCa!, '-cert', f.leader!, '-CAfile', f.root!, '-attime', epoch(at)]);
    expect(r.stdout).toContain(': good');
    const bad = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/ocsp-request' }, body: new Uint8Array([1, 2, 3]) });
    const badFile = tmp.write('bad.der', new Uint8Array(await bad.arrayBuffer()));
    const rb = await opensslAsync(['ocsp', '-respin', badFile, '-resp_text', '-noverify']);
    expect(rb.stdout).toContain('malformedrequest');
  });

  it('takes producedAt and thisUpdate from an injected clock', async () => {
    const fixed = await startOcspServer({ pki, clock: fixedClock('2026-12-24T01:02:03Z'), validitySeconds: 0 });
    try {
      const r = await ask(f.leader!, fixed.url);
      expect(r.stdout).toContain('Produced At: Dec 24 01:02:03 2026 GMT');
      expect(r.stdout).toContain('This Update: Dec 24 01:02:03 2026 GMT');
      expect(r.stdout).not.toContain('Next Update');
    } finally {
      await fixed.close();
    }
  });
});
