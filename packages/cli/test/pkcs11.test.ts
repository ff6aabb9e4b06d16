import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestToken, PIN, SOFTHSM_MODULE, TOKEN, type TestToken } from '../../pkcs11/test/helpers/softhsm.js';
import { kyso, run, tempDir } from './helpers.js';

describe('kyso sign --pkcs11 (a SoftHSM2 token, as a cadre USB token)', () => {
  const dir = tempDir();
  let token: TestToken;
  beforeAll(async () => {
    token = await makeTestToken([{ fixture: 'leader', label: 'leader', id: '01' }]);
  });
  afterAll(() => token?.cleanup());

  it('signs a PDF with the key on the token; pdfsig and kyso verify agree', () => {
    const out = join(dir, 'signed.pdf');
    const r = kyso(['sign', fixturePath('pdfs', 'libreoffice-vi.pdf'), '-o', out, '--pkcs11', SOFTHSM_MODULE, '--token', TOKEN, '--pin-env', 'KYSO_PIN', '--chain', fixturePath('pki', 'leader.chain.pem')], { env: { KYSO_PIN: PIN } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(kyso(['verify', out, '--trust', fixturePath('pki', 'root.pem'), '--format', 'json']).stdout);
    expect(v.signatures[0].indication).toBe('TOTAL-PASSED');
    expect(v.signatures[0].signer.commonName).toBe('Nguyễn Văn An');
    expect(run('pdfsig', [out]).stdout).toContain('Signature is Valid.');
  });

  it('a wrong PIN is one line, exit 2, no output', () => {
    const out = join(dir, 'wrong.pdf');
    const r = kyso(['sign', fixturePath('pdfs', 'libreoffice-vi.pdf'), '-o', out, '--pkcs11', SOFTHSM_MODULE, '--token', TOKEN, '--pin-env', 'KYSO_PIN'], { env: { KYSO_PIN: '0000' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/PIN/);
    expect(existsSync(out)).toBe(false);
  });
});
