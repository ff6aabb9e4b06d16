// Runs the staged-signing example (tsc, then node dist/remote-signing.js) with the Node stand-in
// and with `openssl pkeyutl` as the other process, and checks the output with verifyPdf and
// pdfsig. Tamper twin: the other process signs with a key that is not the certificate's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyPdf } from '@kyso/pades';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('..', import.meta.url));
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));

function pdfsig(file: string): string {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  if (r.error) throw new Error('pdfsig is not installed; install it with: apt-get install poppler-utils');
  return r.stdout;
}

describe('examples/remote-signing', () => {
  let dir: string;
  const run = (out: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(APP, 'dist/remote-signing.js'), fixturePath('pdfs', 'libreoffice-vi.pdf'), out, `${out}.work`], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kyso-ex-remote-'));
    if (spawnSync('openssl', ['version']).error) throw new Error('openssl is not installed; install it with: apt-get install openssl');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-checks against the packages\' built types and compiles (tsc -p, after pnpm build)', () => {
    const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: APP, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('prepare → JSON state → a Node process signs the digest (RSA) → finish: TOTAL-PASSED, pdfsig valid', async () => {
    const r = run('rsa.pdf');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^1\. prepared Signature1: RSASSA-PKCS1-v1_5\/SHA-256 digest [0-9a-f]{64}$/m);
    expect(r.stdout).toContain('2. signed by the remote signer process: 256 bytes');
    expect(r.stdout).toContain('3. rsa.pdf: Signature1 by Nguyễn Văn An — TOTAL-PASSED');
    // What travelled between the steps: plain JSON and the prepared PDF, which the signature only fills in.
    const state = JSON.parse(readFileSync(join(dir, 'rsa.pdf.work', 'state.json'), 'utf8'));
    expect(state.type).toBe('kyso.pades.prepared');
    const prepared = readFileSync(join(dir, 'rsa.pdf.work', 'prepared.pdf'));
    const signed = readFileSync(join(dir, 'rsa.pdf'));
    expect(prepared.length).toBe(state.length);
    expect(signed.length).toBe(prepared.length);
    const original = loadFixture('pdfs', 'libreoffice-vi.pdf');
    expect(signed.subarray(0, original.length).equals(Buffer.from(original))).toBe(true);
    const report = await verifyPdf(new Uint8Array(signed), { trustAnchors: [loadFixture('pki', 'root.cer')] });
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL-PASSED']);
    expect(pdfsig(join(dir, 'rsa.pdf'))).toContain('Signature Validation: Signature is Valid.');
  });

  it('with openssl pkeyutl as the other process: RSA and ECDSA P-256 / P-384', async () => {
    for (const who of ['leader', 'leader-p256', 'leader-p384']) {
      const r = run(`${who}.pdf`, { KYSO_REMOTE: 'openssl', KYSO_SIGNER: who });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('2. signed by openssl pkeyutl');
      const report = await verifyPdf(new Uint8Array(readFileSync(join(dir, `${who}.pdf`))), { trustAnchors: [loadFixture('pki', 'root.cer')] });
      expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL-PASSED']);
      expect(pdfsig(join(dir, `${who}.pdf`))).toContain('Signature Validation: Signature is Valid.');
    }
  });

  it('tamper twin: the other process signs with another key → SIGNATURE_MISMATCH, exit 2, no output', () => {
    const r = run('wrong-key.pdf', { KYSO_REMOTE: 'openssl', KYSO_KEY: fixturePath('pki', 'head.key.pem') });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^remote-signing: SIGNATURE_MISMATCH: /);
    expect(existsSync(join(dir, 'wrong-key.pdf'))).toBe(false);
  });
});
