// Batch signing and verification with the built CLI: several files on worker threads, a summary,
// one bad file not stopping the others, exit codes, a progress bar only on a terminal; and the
// worker pool itself when a worker dies.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fixturePath } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestToken, PIN, SOFTHSM_MODULE, TOKEN, type TestToken } from '../../pkcs11/test/helpers/softhsm.js';
import { createProgress, runPool } from '../src/batch.js';
import { kyso, requireTool, run, tempDir } from './helpers.js';

const pki = (f: string) => fixturePath('pki', f);
const env = { KYSO_PW: 'kyso' };
const key = (who: string) => ['--p12', pki(`${who}.p12`), '--password-env', 'KYSO_PW'];
const GOOD = ['libreoffice-vi.pdf', 'pdflib-table.pdf', 'qpdf-objstm.pdf', 'revisions-3-stream.pdf'];

describe('kyso sign a.pdf b.pdf … --out-dir DIR', () => {
  const dir = tempDir('kyso-batch-');
  const inputs = GOOD.map((f) => {
    copyFileSync(fixturePath('pdfs', f), join(dir, f));
    return join(dir, f);
  });
  copyFileSync(fixturePath('pdfs', 'encrypted-aes256.pdf'), join(dir, 'encrypted.pdf'));
  writeFileSync(join(dir, 'not-a-pdf.pdf'), 'Đây không phải PDF\n');
  const signed = join(dir, 'signed');

  it('signs every good file, reports each bad one with its reason, exit 2; no partial output', () => {
    const r = kyso(['sign', ...inputs, join(dir, 'encrypted.pdf'), join(dir, 'not-a-pdf.pdf'), '--out-dir', signed, ...key('leader'), '--reason', 'Sao y bản chính', '--jobs', '3'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(''); // not a terminal: no progress bar
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`Signed 4 of 6 PDF(s) into ${signed}; 2 failed:`);
    for (const f of GOOD) expect(r.stdout).toMatch(new RegExp(`^  signed  .*${f.replace('.', '\\.')} → .*signed/${f.replace('.', '\\.')} \\(\\d+ bytes appended\\)$`, 'm'));
    expect(r.stdout).toMatch(/^ {2}FAILED {2}.*encrypted\.pdf: PDF_ENCRYPTED: .*qpdf --decrypt/m);
    expect(r.stdout).toMatch(/^ {2}FAILED {2}.*not-a-pdf\.pdf: PDF_NOT_PDF: /m);
    // The summary keeps the order given, whatever order the workers finished in.
    expect(lines.slice(1).map((l) => /(\S+\.pdf)(:| →)/.exec(l)?.[1]?.split('/').pop())).toEqual([...GOOD, 'encrypted.pdf', 'not-a-pdf.pdf']);
    expect(readdirSync(signed).sort()).toEqual([...GOOD].sort()); // nothing for the failures, no temporary files
  });

  it('each signed copy keeps its input\'s bytes and verifies: kyso verify (batch) and pdfsig', () => {
    for (const f of GOOD) {
      const a = readFileSync(join(dir, f));
      expect(readFileSync(join(signed, f)).subarray(0, a.length).equals(a)).toBe(true);
    }
    const r = kyso(['verify', ...GOOD.map((f) => join(signed, f)), '--trust', pki('root.pem'), '--format', 'json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.summary).toEqual({ files: 4, passed: 4, notPassed: 0, errors: 0 });
    for (const f of rep.files) {
      const last = f.signatures.at(-1);
      expect([last.indication, last.signer.commonName]).toEqual(['TOTAL-PASSED', 'Nguyễn Văn An']);
    }
    requireTool('pdfsig', 'poppler-utils');
    for (const f of GOOD) expect(run('pdfsig', [join(signed, f)]).stdout).toContain('Signature Validation: Signature is Valid.');
  });

  it('all good files: exit 0; the signing options apply to every file (--certify, --visible)', () => {
    const out = join(dir, 'certified');
    const r = kyso(['sign', inputs[0]!, inputs[1]!, '--out-dir', out, ...key('drafter'), '--certify', '2', '--visible', '1,350,80,200,80'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`Signed 2 of 2 PDF(s) into ${out}:`);
    const v = JSON.parse(kyso(['verify', join(out, GOOD[0]!), join(out, GOOD[1]!), '--trust', pki('root.pem'), '--format', 'json']).stdout);
    expect(v.files.map((f: { signatures: { kind: string; indication: string }[] }) => [f.signatures[0]!.kind, f.signatures[0]!.indication])).toEqual([
      ['certification', 'TOTAL-PASSED'],
      ['certification', 'TOTAL-PASSED'],
    ]);
  });

  it('a key that cannot be opened fails once, before any file: exit 2, one line, no output directory', () => {
    const out = join(dir, 'never');
    const r = kyso(['sign', ...inputs, '--out-dir', out, ...key('leader')], { env: { KYSO_PW: 'wrong' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kyso: .*password/i);
    expect(existsSync(out)).toBe(false);
  });

  it('usage errors: several files with -o, without --out-dir, two inputs with one name, --jobs 0, overwriting an input', () => {
    const other = join(dir, 'other');
    mkdirSync(other, { recursive: true });
    copyFileSync(inputs[0]!, join(other, GOOD[0]!));
    const cases: [string[], RegExp][] = [
      [['sign', inputs[0]!, inputs[1]!, '-o', join(dir, 'x.pdf'), ...key('leader')], /--out-dir DIR instead of -o/],
      [['sign', inputs[0]!, inputs[1]!, ...key('leader')], /give --out-dir DIR/],
      [['sign', inputs[0]!, join(other, GOOD[0]!), '--out-dir', signed, ...key('leader')], /would both be written to/],
      [['sign', inputs[0]!, inputs[1]!, '--out-dir', signed, '--jobs', '0', ...key('leader')], /--jobs takes/],
      [['sign', inputs[0]!, '--out-dir', dir, ...key('leader')], /would be overwritten/],
    ];
    for (const [args, message] of cases) {
      const r = kyso(args, { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('kyso sign … --out-dir with a PKCS#11 token (SoftHSM2): one login, the workers only hash', () => {
  const dir = tempDir('kyso-batch-token-');
  let token: TestToken;
  beforeAll(async () => {
    token = await makeTestToken([{ fixture: 'leader', label: 'leader', id: '01' }]);
  });
  afterAll(() => token?.cleanup());

  it('signs three PDFs in parallel with the key on the token; every copy is TOTAL-PASSED', () => {
    const out = join(dir, 'signed');
    const args = ['sign', ...GOOD.slice(0, 3).map((f) => fixturePath('pdfs', f)), '--out-dir', out, '--jobs', '3'];
    const r = kyso([...args, '--pkcs11', SOFTHSM_MODULE, '--token', TOKEN, '--pin-env', 'KYSO_PIN', '--chain', pki('leader.chain.pem')], { env: { KYSO_PIN: PIN } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`Signed 3 of 3 PDF(s) into ${out}:`);
    const v = JSON.parse(kyso(['verify', ...GOOD.slice(0, 3).map((f) => join(out, f)), '--trust', pki('root.pem'), '--format', 'json']).stdout);
    expect(v.summary.passed).toBe(3);
  });
});

describe('kyso verify a.pdf b.pdf …', () => {
  const dir = tempDir('kyso-batch-verify-');
  const good = join(dir, 'good.pdf');
  const other = join(dir, 'other.pdf');

  it('signs two files for the checks below', () => {
    expect(kyso(['sign', fixturePath('pdfs', 'libreoffice-vi.pdf'), '-o', good, ...key('head')], { env }).code).toBe(0);
    expect(kyso(['sign', fixturePath('pdfs', 'pdflib-table.pdf'), '-o', other, ...key('leader')], { env }).code).toBe(0);
  });

  it('all TOTAL-PASSED: exit 0; text shows each panel, then the summary', () => {
    const r = kyso(['verify', good, other, '--trust', pki('root.pem')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${good}: 2 revision(s), 1 signature(s)`);
    expect(r.stdout).toContain('Lê Văn Cường');
    expect(r.stdout).toContain('Verified 2 PDF(s): 2 passed, 0 not passed, 0 could not be verified');
    expect(r.stdout).toMatch(/^ {2}passed {6}.*good\.pdf \(1 signature\(s\), all TOTAL-PASSED\)$/m);
  });

  it('tamper twin: one changed byte in one file → that file NOT PASSED (HASH_FAILURE), the other passes, exit 1', () => {
    const bytes = readFileSync(good);
    const at = bytes.indexOf('/Producer');
    expect(at).toBeGreaterThan(0);
    bytes[at + 2] ^= 0x01;
    const bad = join(dir, 'tampered.pdf');
    writeFileSync(bad, bytes);
    const r = kyso(['verify', bad, other, '--trust', pki('root.pem')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT PASSED {2}.*tampered\.pdf: Signature1 TOTAL-FAILED \/ HASH_FAILURE/);
    expect(r.stdout).toMatch(/passed {6}.*other\.pdf/);
  });

  it('a file that cannot be read or parsed: exit 2 and "error" in the JSON; the others are still verified', () => {
    const junk = join(dir, 'junk.pdf');
    writeFileSync(junk, 'not a pdf');
    const r = kyso(['verify', good, junk, join(dir, 'missing.pdf'), '--trust', pki('root.pem'), '--format', 'json']);
    expect(r.code).toBe(2);
    const rep = JSON.parse(r.stdout);
    expect(rep.summary).toEqual({ files: 3, passed: 1, notPassed: 0, errors: 2 });
    expect(rep.files[0].signatures[0].indication).toBe('TOTAL-PASSED');
    expect(rep.files[1].error.code).toBe('PDF_NOT_PDF');
    expect(rep.files[2].error).toMatchObject({ code: 'INPUT_UNREADABLE' });
    expect(rep.files[2].error.message).toMatch(/does not exist/);
  });

  it('without --trust nothing passes: exit 1; -o writes the output to a file, not stdout', () => {
    const out = join(dir, 'summary.txt');
    const r = kyso(['verify', good, other, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('Verified 2 PDF(s): 0 passed, 2 not passed, 0 could not be verified');
  });

  it('on a terminal a progress bar goes to stderr and is cleared; the summary is unchanged', () => {
    requireTool('script', 'bsdutils');
    const out = join(dir, 'tty.json');
    const cli = fileURLToPath(new URL('../bin/kyso.cjs', import.meta.url));
    const r = run('script', ['-qec', `${process.execPath} ${cli} verify ${good} ${other} --trust ${pki('root.pem')} --format json -o ${out}`, '/dev/null']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\r\x1b[K[');
    expect(r.stdout).toMatch(/2\/2 verified/);
    expect(r.stdout.endsWith('\r\x1b[K')).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.passed).toBe(2);
  });
});

describe('the pool and the progress bar', () => {
  const dir = tempDir('kyso-pool-');

  it('a worker that dies takes only its file: the others finish on a new worker', async () => {
    const script = join(dir, 'worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.job.input === 'crash') process.exit(3);
  parentPort.postMessage({ type: 'result', index: m.index, outcome: { ok: true, value: m.job.input.toUpperCase() } });
});`,
    );
    const jobs = ['a', 'b', 'crash', 'c', 'd', 'e'].map((input) => ({ input }));
    const results = await runPool(jobs, { workerData: { kind: 'verify', trustAnchors: [], time: new Date().toISOString() }, size: 2, workerUrl: pathToFileURL(script) });
    expect(results.map((r) => (r.ok ? r.value : r.code))).toEqual(['A', 'B', 'WORKER_FAILED', 'C', 'D', 'E']);
  });

  it('the main thread signs what a worker sends, one call at a time', async () => {
    const script = join(dir, 'signing-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
let id = 0; const waiting = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'signature') return waiting.get(m.id)(m);
  const my = id++;
  waiting.set(my, (s) => parentPort.postMessage({ type: 'result', index: m.index, outcome: s.value ? { ok: true, value: Array.from(s.value) } : { ok: false, code: 'SIGN', message: s.error } }));
  parentPort.postMessage({ type: 'sign', id: my, data: new Uint8Array([m.index]) });
});`,
    );
    let active = 0;
    let most = 0;
    const sign = async (data: Uint8Array) => {
      most = Math.max(most, ++active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      if (data[0] === 2) throw new Error('token removed');
      return new Uint8Array([data[0]! * 10]);
    };
    const results = await runPool([0, 1, 2, 3].map((i) => ({ input: String(i) })), { workerData: { kind: 'verify', trustAnchors: [], time: '' }, size: 4, sign, workerUrl: pathToFileURL(script) });
    expect(results.map((r) => (r.ok ? r.value : r.message))).toEqual([[0], [10], 'token removed', [30]]);
    expect(most).toBe(1);
  });

  it('draws only on a TTY', () => {
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, columns: 60, write: (s: string) => written.push(s) }) as unknown as NodeJS.WriteStream;
    const quiet = createProgress(3, 'signed', stream(false));
    quiet.tick('a.pdf');
    quiet.end();
    expect(written).toEqual([]);
    const bar = createProgress(2, 'signed', stream(true));
    bar.tick('a.pdf');
    bar.tick('b.pdf');
    bar.end();
    expect(written[1]).toBe(`\r\x1b[K[${'█'.repeat(12)}${'░'.repeat(12)}] 1/2 signed a.pdf`);
    expect(written[2]).toContain('2/2 signed b.pdf');
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});
