import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '@kyso/test-fixtures';
import { describe, expect, it } from 'vitest';
import { BIN, kyso, requireTool, run, tempDir } from './helpers.js';

const pki = (f: string) => fixturePath('pki', f);
const env = { KYSO_PW: 'kyso' };

describe('kyso cades sign', () => {
  const dir = tempDir();
  const doc = join(dir, 'quyet-dinh.txt');
  writeFileSync(doc, 'Quyết định số 15/QĐ-UBND về việc phê duyệt kế hoạch\n');

  it('signs with a PKCS#12 file, and OpenSSL accepts the .p7s', () => {
    requireTool('openssl', 'openssl');
    const p7s = join(dir, 'a.p7s');
    const r = kyso(['cades', 'sign', doc, '-o', p7s, '--p12', pki('leader.p12'), '--password-env', 'KYSO_PW'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', doc, '-CAfile', pki('root.pem'), '-purpose', 'any', '-out', '/dev/null']);
    expect(v.stderr).toContain('Verification successful');
    // tamper twin: the same .p7s over other content fails in OpenSSL
    const other = join(dir, 'other.txt');
    writeFileSync(other, 'Quyết định số 16/QĐ-UBND\n');
    const t = run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', other, '-CAfile', pki('root.pem'), '-purpose', 'any', '-out', '/dev/null']);
    expect(t.code).not.toBe(0);
  });

  it('signs with a PEM key and certificate', () => {
    const p7s = join(dir, 'b.p7s');
    const r = kyso(['cades', 'sign', doc, '-o', p7s, '--key', pki('head.key.pem'), '--cert', pki('head.pem'), '--chain', pki('head.chain.pem')]);
    expect(r.code).toBe(0);
    const v = run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', doc, '-CAfile', pki('root.pem'), '-purpose', 'any', '-out', '/dev/null']);
    expect(v.code).toBe(0);
  });

  it('- and -o -: the content from standard input, the .p7s to standard output; OpenSSL accepts it', () => {
    const r = spawnSync(process.execPath, [BIN, 'cades', 'sign', '-', '-o', '-', '--key', pki('head.key.pem'), '--cert', pki('head.pem'), '--chain', pki('head.chain.pem')], { input: readFileSync(doc) });
    expect(r.status).toBe(0);
    expect(r.stderr.toString()).toMatch(/^Signed .* → - \(CAdES B-B, \d+ bytes\)\n$/);
    const p7s = join(dir, 'stdout.p7s');
    writeFileSync(p7s, r.stdout);
    const v = run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', doc, '-CAfile', pki('root.pem'), '-purpose', 'any', '-out', '/dev/null']);
    expect(v.code).toBe(0);
    // kyso cades verify with the content, then the .p7s, from standard input; both at once is refused.
    const verify = (args: string[], input: Uint8Array) => spawnSync(process.execPath, [BIN, 'cades', 'verify', ...args, '--trust', pki('root.pem')], { input, encoding: 'utf8' });
    expect(verify([p7s, '--content', '-'], readFileSync(doc)).status).toBe(0);
    expect(verify(['-', '--content', doc], r.stdout).status).toBe(0);
    expect(verify([p7s, '--content', '-'], Buffer.from('Quyết định số 16/QĐ-UBND\n')).status).toBe(1);
    const both = verify(['-', '--content', '-'], r.stdout);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  });

  it('refuses a wrong password with one line, exit 2 and no output file', () => {
    const p7s = join(dir, 'c.p7s');
    const r = kyso(['cades', 'sign', doc, '-o', p7s, '--p12', pki('leader.p12'), '--password-env', 'KYSO_PW'], { env: { KYSO_PW: 'wrong' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/password is wrong/);
    expect(readdirSync(dir).filter((f) => f.startsWith('c.p7s') || f.includes('.c.p7s'))).toEqual([]);
  });

  it('refuses a key that does not match the certificate', () => {
    const r = kyso(['cades', 'sign', doc, '-o', join(dir, 'd.p7s'), '--key', pki('head.key.pem'), '--cert', pki('leader.pem')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kyso: .*(match|belong)/);
  });

  it('names an unreadable path and a missing option', () => {
    const r = kyso(['cades', 'sign', join(dir, 'nope.txt'), '-o', join(dir, 'e.p7s'), '--p12', pki('leader.p12')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.txt: it does not exist/);
    const m = kyso(['cades', 'sign', doc, '--p12', pki('leader.p12')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/Missing --output/);
  });
});
