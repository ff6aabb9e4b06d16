import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, verifyPdf } from '@kyso/pades';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { openPkcs11Signer, type Pkcs11Signer } from '../src/index.js';
import { makeTestToken, PIN, run, runOk, SOFTHSM_MODULE, TOKEN, type TestToken } from './helpers/softhsm.js';

/** pdfsig's verdict on each signature (it exits 0 even on a mismatch, so the text is the verdict). */
function pdfsig(file: string, nssdir: string): { validation: string; certificate: string; commonName: string }[] {
  const r = run('pdfsig', ['-nssdir', nssdir, file]);
  if (!/Signature #/.test(r.stdout)) throw new Error(`pdfsig found no signature (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout
    .split(/^Signature #\d+:\s*$/m)
    .slice(1)
    .map((b) => ({
      validation: /- Signature Validation: (.*)$/m.exec(b)?.[1]?.trim() ?? '',
      certificate: /- Certificate Validation: (.*)$/m.exec(b)?.[1]?.trim() ?? '',
      commonName: /- Signer Certificate Common Name: (.*)$/m.exec(b)?.[1]?.trim() ?? '',
    }));
}

let token: TestToken;
let nss: string;
let work: string;
beforeAll(async () => {
  token = await makeTestToken(
    [
      { fixture: 'leader', label: 'leader', id: '01' },
      { fixture: 'leader-p256', label: 'leader-p256', id: '02' },
    ],
    [{ fixture: 'government-ca', label: 'CA Test' }],
  );
  work = mkdtempSync(join(tmpdir(), 'kyso-pkcs11-pdf-'));
  nss = `sql:${join(work, 'nss')}`;
  runOk('mkdir', ['-p', join(work, 'nss')]);
  runOk('certutil', ['-N', '-d', nss, '--empty-password']);
  runOk('certutil', ['-A', '-d', nss, '-n', 'root', '-t', 'CT,C,C', '-i', fixturePath('pki', 'root.pem')]);
});
afterAll(() => token?.cleanup());

describe.each([
  { name: 'RSA', keyLabel: 'leader' },
  { name: 'ECDSA P-256', keyLabel: 'leader-p256' },
])('signPdf with a PKCS#11 signer ($name)', ({ keyLabel }) => {
  let signer: Pkcs11Signer;
  beforeAll(async () => {
    signer = await openPkcs11Signer({ module: SOFTHSM_MODULE, tokenLabel: TOKEN, pin: PIN, keyLabel });
  });
  afterAll(() => signer?.close());

  it('pdfsig says the signature is valid and the certificate trusted; verifyPdf passes', async () => {
    const signed = await signPdf(loadFixture('pdfs', 'libreoffice-vi.pdf'), { signer, reason: 'Phê duyệt', location: 'Bắc Ninh' });
    const file = join(work, `${keyLabel}.pdf`);
    writeFileSync(file, signed);
    const ps = pdfsig(file, nss);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toEqual({ validation: 'Signature is Valid.', certificate: 'Certificate is Trusted.', commonName: 'Nguyễn Văn An' });
    const report = await verifyPdf(signed, { trustAnchors: [loadFixture('pki', 'root.pem')] });
    expect(report.signatures[0]?.indication).toBe('TOTAL-PASSED');
  });

  it('tamper twin: one changed byte in the signed range is a digest mismatch for pdfsig', async () => {
    const signed = await signPdf(loadFixture('pdfs', 'libreoffice-vi.pdf'), { signer });
    const tampered = signed.slice();
    // A byte of the original file, inside the first signed range.
    const at = 200;
    tampered[at] = tampered[at] === 0x20 ? 0x21 : 0x20;
    const file = join(work, `${keyLabel}-tampered.pdf`);
    writeFileSync(file, tampered);
    const ps = pdfsig(file, nss);
    expect(ps[0]?.validation).toBe('Digest Mismatch.');
    const report = await verifyPdf(tampered, { trustAnchors: [loadFixture('pki', 'root.pem')] });
    expect(report.signatures[0]?.indication).toBe('TOTAL-FAILED');
  });
});
