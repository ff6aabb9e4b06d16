// Runs the example (tsc, then node dist/approval.js) in a temp directory and checks the issued
// PDF with verifyPdf, verifyCase and pdfsig; a second run on the same SQLite file draws number 02;
// the tamper twin changes one signed byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyPdf } from '@kyso/pades';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { MemoryWorkflowStore, verifyCase, Workflow } from '@kyso/workflow';
import { openSqliteStore } from '@kyso/workflow/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('..', import.meta.url));
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const root = loadFixture('pki', 'root.cer');

describe('examples/workflow-sqlite', () => {
  let dir: string;
  const run = (...args: string[]) => spawnSync(process.execPath, [join(APP, 'dist/approval.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kyso-ex-wf-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-checks against the packages\' built types and compiles (tsc -p, after pnpm build)', () => {
    const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: APP, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs the four steps on SQLite and prints the status after each, then a valid case', () => {
    const r = run(fixturePath('pdfs', 'libreoffice-vi.pdf'), 'qd.pdf', 'approvals.db');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('in-progress'))).toHaveLength(4);
    expect(r.stdout).toMatch(/^completed .*clerk \(Ủy ban nhân dân tỉnh Bắc Ninh\)\s+số 01\/QĐ-UBND$/m);
    expect(r.stdout).toContain('verifyCase: valid; audit log: 5 entries, intact');
  });

  it('the issued PDF: four TOTAL-PASSED signatures in route order, pdfsig agrees', async () => {
    const pdf = new Uint8Array(readFileSync(join(dir, 'qd.pdf')));
    const report = await verifyPdf(pdf, { trustAnchors: [root] });
    expect(report.signatures.map((s) => [s.signer?.commonName, s.indication])).toEqual([
      ['Trần Thị Bình', 'TOTAL-PASSED'],
      ['Lê Văn Cường', 'TOTAL-PASSED'],
      ['Nguyễn Văn An', 'TOTAL-PASSED'],
      ['Ủy ban nhân dân tỉnh Bắc Ninh', 'TOTAL-PASSED'],
    ]);
    const sig = spawnSync('pdfsig', [join(dir, 'qd.pdf')], { encoding: 'utf8' });
    if (sig.error) throw new Error('pdfsig is not installed; install it with: apt-get install poppler-utils');
    expect(sig.stdout.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(4);
  });

  it('the case lives in the SQLite file: a second run on it draws 02/QĐ-UBND; the first case is completed', async () => {
    const r = run(fixturePath('pdfs', 'libreoffice-vi.pdf'), 'qd2.pdf', 'approvals.db');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('số 02/QĐ-UBND');
    const store = await openSqliteStore(join(dir, 'approvals.db'));
    try {
      const cases = await store.listCases();
      expect(cases.map((c) => [c.status, c.documentNumber?.symbol]).sort()).toEqual([
        ['completed', '01/QĐ-UBND'],
        ['completed', '02/QĐ-UBND'],
      ]);
    } finally {
      await store.close();
    }
  });

  it('tamper twin: one changed byte in the issued PDF → verifyCase is not valid', async () => {
    const pdf = new Uint8Array(readFileSync(join(dir, 'qd.pdf')));
    const at = Buffer.from(pdf).indexOf('/Producer');
    expect(at).toBeGreaterThan(0);
    pdf[at + 2]! ^= 0x01;
    const wf = new Workflow({ store: new MemoryWorkflowStore() });
    const { route } = await openCase(join(dir, 'approvals.db'));
    const check = await verifyCase(pdf, route, { signing: wf.signing, trustAnchors: [root] });
    expect(check.valid).toBe(false);
    expect(check.problems.join(' ')).toMatch(/does not verify|HASH_FAILURE/);
  });
});

async function openCase(db: string) {
  const store = await openSqliteStore(db);
  try {
    const [c] = await store.listCases();
    if (!c) throw new Error('no case in the store');
    return c;
  } finally {
    await store.close();
  }
}
