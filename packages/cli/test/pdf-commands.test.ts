import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePath } from '@kyso/test-fixtures';
import { describe, expect, it } from 'vitest';
import { BIN, kyso, kysoAsync, requireTool, run, tempDir } from './helpers.js';

const pki = (f: string) => fixturePath('pki', f);
const env = { KYSO_PW: 'kyso' };
const key = (who: string) => ['--p12', pki(`${who}.p12`), '--password-env', 'KYSO_PW'];

describe('kyso sign / verify / inspect on three sequential signatures', () => {
  const dir = tempDir();
  const input = join(dir, 'in.pdf');
  copyFileSync(fixturePath('pdfs', 'libreoffice-vi.pdf'), input);
  const s = (n: number) => join(dir, `s${n}.pdf`);

  it('signs three times; each keeps the earlier bytes', () => {
    expect(kyso(['sign', input, '-o', s(1), ...key('drafter'), '--certify', '2', '--reason', 'Ký nháy'], { env }).code).toBe(0);
    expect(kyso(['sign', s(1), '-o', s(2), ...key('head'), '--reason', 'Đồng ý trình ký'], { env }).code).toBe(0);
    const r = kyso(['sign', s(2), '-o', s(3), ...key('leader'), '--reason', 'Phê duyệt', '--visible', '1,350,80,200,80'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [a, b, c] = [readFileSync(s(1)), readFileSync(s(2)), readFileSync(s(3))];
    expect(b.subarray(0, a.length).equals(a)).toBe(true);
    expect(c.subarray(0, b.length).equals(b)).toBe(true);
  });

  it('verifies all three as TOTAL-PASSED in the JSON report, exit 0', () => {
    const r = kyso(['verify', s(3), '--trust', pki('root.pem'), '--format', 'json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.revisions).toBe(4);
    expect(rep.signatures.map((x: { indication: string }) => x.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED', 'TOTAL-PASSED']);
    expect(rep.signatures.map((x: { modificationsAfter: string }) => x.modificationsAfter)).toEqual(['allowed', 'allowed', 'none']);
    expect(rep.signatures[0].kind).toBe('certification');
    expect(rep.signatures[2].signer.commonName).toBe('Nguyễn Văn An');
  });

  it('prints the same report to a file as to a pipe, and ends quietly when its reader has gone (| head)', async () => {
    const args = ['verify', s(3), '--trust', pki('root.pem'), '--format', 'json'];
    const piped = kyso(args).stdout;
    const file = join(dir, 'report.json');
    const toFile = spawnSync('sh', ['-c', 'node "$0" "$@" > "$REPORT"', BIN, ...args], { env: { ...process.env, REPORT: file } });
    expect(toFile.status).toBe(0);
    const untimed = (json: string) => json.replace(/"pathValidatedAt": "[^"]*"/g, '');
    expect(untimed(readFileSync(file, 'utf8'))).toBe(untimed(piped));
    expect(JSON.parse(piped).signatures).toHaveLength(3);
    // The read end is closed before kyso writes: its write fails with EPIPE.
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('printing to a pipe leaves later module resolution alone (a plain fstat of a FIFO stops Node 20\'s realpath early)', () => {
    // As in `kyso demo | cat` without the bundle: output first, then a package imported for the
    // first time. Its path must be the real one, or its own dependencies are not found.
    const io = new URL('../dist/io.js', import.meta.url).href;
    const script = `import { out } from ${JSON.stringify(io)}; out('x'); process.stderr.write(import.meta.resolve('@pdf-lib/fontkit'));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    expect(r.stdout).toBe('x\n');
    const resolved = fileURLToPath(r.stderr);
    expect(resolved).toBe(realpathSync(resolved));
  });

  it('poppler pdfsig agrees that all three are valid', () => {
    requireTool('pdfsig', 'poppler-utils');
    const r = run('pdfsig', [s(3)]);
    expect(r.stdout.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(3);
  });

  it('tamper twin: one changed byte inside a signed range → exit 1, HASH_FAILURE', () => {
    const bytes = readFileSync(s(3));
    const at = bytes.indexOf('/Producer');
    expect(at).toBeGreaterThan(0);
    bytes[at + 2] ^= 0x01;
    const bad = join(dir, 'tampered.pdf');
    writeFileSync(bad, bytes);
    const r = kyso(['verify', bad, '--trust', pki('root.pem'), '--format', 'json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.signatures.every((x: { indication: string }) => x.indication === 'TOTAL-FAILED')).toBe(true);
    expect(rep.signatures[0].subIndication).toBe('HASH_FAILURE');
  });

  it('without --trust nothing is TOTAL-PASSED (exit 1); the text panel names each signer', () => {
    const r = kyso(['verify', s(3)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Trần Thị Bình');
    expect(r.stdout).toContain('INDETERMINATE');
  });

  it('a document without signatures verifies as exit 1', () => {
    expect(kyso(['verify', input]).code).toBe(1);
  });

  it('inspect lists revisions, fields and signatures', () => {
    const r = kyso(['inspect', s(3), '--format', 'json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.revisions).toBe(4);
    expect(info.revisionList).toHaveLength(4);
    expect(info.revisionList[1].start).toBe(info.revisionList[0].end);
    expect(info.signatures.map((x: { field: string; revision: number }) => [x.field, x.revision])).toEqual([
      ['Signature1', 2],
      ['Signature2', 3],
      ['Signature3', 4],
    ]);
    expect(info.signatures[1].reason).toBe('Đồng ý trình ký');
    expect(kyso(['inspect', s(3)]).stdout).toMatch(/Revisions: 4/);
  });

  it('reads the PDF from standard input (-) and from pipes by name: sign, verify and inspect work as on a file', async () => {
    // Node gives a child's standard input as a socket, which cannot be opened by name: hence "-".
    const fromStdin = (args: string[], input: Uint8Array, more: Record<string, string> = {}) =>
      spawnSync(process.execPath, [BIN, ...args], { input, env: { ...process.env, ...env, ...more, NO_COLOR: '1' }, encoding: 'utf8', timeout: 120_000 });
    const before = readFileSync(s(3));
    const out = join(dir, 'piped.pdf');
    const signed = fromStdin(['sign', '-', '-o', out, ...key('leader')], before);
    expect(signed.stderr).toBe('');
    expect(signed.status).toBe(0);
    const after = readFileSync(out);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(signed.stdout).toContain(`${after.length - before.length} bytes appended`);
    const fourPassed = (json: string) => expect(JSON.parse(json).signatures.map((x: { indication: string }) => x.indication)).toEqual(Array(4).fill('TOTAL-PASSED'));
    const v = fromStdin(['verify', '-', '--trust', pki('root.pem'), '--format', 'json'], after);
    expect(v.stderr).toBe('');
    fourPassed(v.stdout);
    expect(JSON.parse(fromStdin(['inspect', '-', '--format', 'json'], after).stdout).revisions).toBe(5);
    // A shell pipe read as /dev/stdin, the file-based path. Unbundled too: reading a pipe must
    // leave no FIFO stat where Node 20's realpath looks, or the packages imported after it are
    // not found.
    for (const more of [{}, { KYSO_NO_BUNDLE: '1' }]) {
      const r = spawnSync('sh', ['-c', 'cat "$PDF" | node "$0" verify /dev/stdin --trust "$ROOT" --format json', BIN], { env: { ...process.env, ...more, PDF: out, ROOT: pki('root.pem') }, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      fourPassed(r.stdout);
    }
    // A named pipe: checking it before reading must not open it (closing it would cut off the writer).
    const fifo = join(dir, 'named-pipe.pdf');
    expect(spawnSync('mkfifo', [fifo]).status, 'mkfifo (coreutils) is needed for this test').toBe(0);
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', out, fifo]);
    const written = new Promise((resolve) => writer.on('close', resolve));
    const named = await kysoAsync(['verify', fifo, '--trust', pki('root.pem'), '--format', 'json']);
    expect(await written).toBe(0);
    expect(named.stderr).toBe('');
    fourPassed(named.stdout);
  });

  it('-o - writes the signed PDF to standard output (the summary to stderr): a pipeline of two signers', () => {
    const run = (args: string[], input?: Uint8Array) => spawnSync(process.execPath, [BIN, ...args], { input, env: { ...process.env, ...env, NO_COLOR: '1' }, timeout: 120_000 });
    const before = readFileSync(s(1));
    const first = run(['sign', s(1), '-o', '-', ...key('head')]);
    expect(first.status).toBe(0);
    expect(first.stderr.toString()).toMatch(/^Signed .* → - \(PAdES B-B, \d+ bytes appended\)\n$/);
    expect(first.stdout.subarray(0, before.length).equals(before)).toBe(true);
    const second = run(['sign', '-', '-o', '-', ...key('leader')], first.stdout);
    expect(second.status).toBe(0);
    expect(second.stdout.subarray(0, first.stdout.length).equals(first.stdout)).toBe(true);
    const v = run(['verify', '-', '--trust', pki('root.pem'), '--format', 'json'], second.stdout);
    expect(JSON.parse(v.stdout.toString()).signatures.map((x: { indication: string }) => x.indication)).toEqual(Array(3).fill('TOTAL-PASSED'));
    // Never a PDF onto a terminal: refused before any key is read.
    requireTool('script', 'bsdutils');
    const tty = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" sign "${s(1)}" -o - --p12 /nonexistent.p12`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(tty.status).toBe(2);
    expect(tty.stdout).toMatch(/-o - writes the result to standard output, which is a terminal/);
  });

  it('refuses a second certification and leaves no output', () => {
    const out = join(dir, 'twice.pdf');
    const r = kyso(['sign', s(1), '-o', out, ...key('head'), '--certify', '1'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('bad input: not a PDF, an encrypted PDF, a bad --visible', () => {
    const notPdf = join(dir, 'x.pdf');
    writeFileSync(notPdf, 'hello');
    const a = kyso(['verify', notPdf]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^kyso: /);
    const b = kyso(['sign', fixturePath('pdfs', 'encrypted-aes256.pdf'), '-o', join(dir, 'e.pdf'), ...key('head')], { env });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/encrypt/i);
    const c = kyso(['sign', input, '-o', join(dir, 'v.pdf'), ...key('head'), '--visible', '1,2,3'], { env });
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--visible wants PAGE,X,Y,W,H/);
  });
});

describe('kyso cades verify and cert verify', () => {
  const dir = tempDir();
  const doc = join(dir, 'doc.txt');
  writeFileSync(doc, 'Báo cáo tháng 12\n');
  const p7s = join(dir, 'doc.p7s');

  it('verifies our .p7s (exit 0) and fails it over other content (exit 1)', () => {
    expect(kyso(['cades', 'sign', doc, '-o', p7s, ...key('clerk')], { env }).code).toBe(0);
    const ok = kyso(['cades', 'verify', p7s, '--content', doc, '--trust', pki('root.pem'), '--format', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).indication).toBe('TOTAL-PASSED');
    const other = join(dir, 'other.txt');
    writeFileSync(other, 'Báo cáo tháng 11\n');
    const bad = kyso(['cades', 'verify', p7s, '--content', other, '--trust', pki('root.pem'), '--format', 'json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).subIndication).toBe('HASH_FAILURE');
  });

  it('verifies a .p7s made by OpenSSL', () => {
    requireTool('openssl', 'openssl');
    const o = join(dir, 'openssl.p7s');
    const r = run('openssl', ['cms', '-sign', '-binary', '-outform', 'DER', '-md', 'sha256', '-cades', '-in', doc, '-out', o, '-signer', pki('head.pem'), '-inkey', pki('head.key.pem'), '-certfile', pki('head.chain.pem')]);
    expect(r.code).toBe(0);
    expect(kyso(['cades', 'verify', o, '--content', doc, '--trust', pki('root.pem')]).code).toBe(0);
  });

  it('random bytes as .p7s: exit 2 with one line', () => {
    const junk = join(dir, 'junk.p7s');
    writeFileSync(junk, new Uint8Array(64).map((_, i) => (i * 37) & 0xff));
    const r = kyso(['cades', 'verify', junk, '--content', doc]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('cert verify: a good cadre is valid, the expired one is not, and --trust is required', () => {
    const ok = kyso(['cert', 'verify', pki('leader.pem'), '--intermediate', pki('government-ca.pem'), '--trust', pki('root.pem'), '--purpose', 'document-signing']);
    expect(ok.code).toBe(0);
    const exp = kyso(['cert', 'verify', pki('expired.pem'), '--intermediate', pki('government-ca.pem'), '--trust', pki('root.pem'), '--format', 'json']);
    expect(exp.code).toBe(1);
    expect(JSON.parse(exp.stdout).failures.length).toBeGreaterThan(0);
    const m = kyso(['cert', 'verify', pki('leader.pem')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--trust/);
  });
});
