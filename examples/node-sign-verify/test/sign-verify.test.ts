// Runs the example as a user would (tsc, then node dist/sign-verify.js) and checks what it wrote
// with @kyso/pades and poppler's pdfsig; the tamper twin flips one signed byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyPdf } from '@kyso/pades';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('..', import.meta.url));
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const run = (cmd: string, args: string[], env: Record<string, string> = {}) => spawnSync(cmd, args, { cwd: APP, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

function pdfsig(file: string): string {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  if (r.error) throw new Error('pdfsig is not installed; install it with: apt-get install poppler-utils');
  return r.stdout;
}

describe('examples/node-sign-verify', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kyso-ex-sv-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-checks against the packages\' built types and compiles (tsc -p, after pnpm build)', () => {
    const r = run(process.execPath, [TSC, '-p', 'tsconfig.json']);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('signs and verifies: exit 0, TOTAL-PASSED, the original bytes kept, pdfsig agrees', async () => {
    const out = join(dir, 'signed.pdf');
    const r = run(process.execPath, ['dist/sign-verify.js', fixturePath('pdfs', 'libreoffice-vi.pdf'), out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('Signature1: Nguyễn Văn An — TOTAL-PASSED, unchanged since signing');
    const signed = new Uint8Array(readFileSync(out));
    const original = loadFixture('pdfs', 'libreoffice-vi.pdf');
    expect(Buffer.from(signed.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
    const report = await verifyPdf(signed, { trustAnchors: [readFileSync(fixturePath('pki', 'root.pem'), 'utf8')] });
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL-PASSED']);
    expect(pdfsig(out)).toContain('Signature Validation: Signature is Valid.');
  });

  it('tamper twin: one changed byte in the signed range → HASH_FAILURE, pdfsig reports a digest mismatch', async () => {
    const bytes = readFileSync(join(dir, 'signed.pdf'));
    const at = bytes.indexOf('/Producer');
    expect(at).toBeGreaterThan(0);
    bytes[at + 2] ^= 0x01;
    const bad = join(dir, 'tampered.pdf');
    writeFileSync(bad, bytes);
    const report = await verifyPdf(new Uint8Array(bytes), { trustAnchors: [readFileSync(fixturePath('pki', 'root.pem'), 'utf8')] });
    expect(report.signatures[0]?.indication).toBe('TOTAL-FAILED');
    expect(report.signatures[0]?.subIndication).toBe('HASH_FAILURE');
    expect(pdfsig(bad)).toContain('Digest Mismatch');
  });

  it('exits 1 when the signature does not pass (a certificate that has expired)', () => {
    const r = run(process.execPath, ['dist/sign-verify.js', fixturePath('pdfs', 'libreoffice-vi.pdf'), join(dir, 'expired.pdf')], { KYSO_P12: fixturePath('pki', 'expired.p12') });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/INDETERMINATE|TOTAL-FAILED/);
  });
});
