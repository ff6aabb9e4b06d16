// `kyso workflow …` end to end on a SQLite file and on a real PostgreSQL server: exit codes
// (0 done, 1 a rule refused, 2 bad input), one-line errors, and nothing changed on refusal.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';
import { startPostgres, type TestPostgres } from '../../workflow/test/helpers/postgres.js';
import { tamperPageContent } from '../../workflow/test/helpers/tamper.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kyso workflow <args>` in this process, through `main`. */
async function kw(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  try {
    const code = await main(['workflow', ...args], { stdout: (t) => (stdout += t) });
    return { code, stdout, stderr };
  } finally {
    e.mockRestore();
  }
}

const pki = (f: string) => fixturePath('pki', f);
const key = (who: string) => ['--key', pki(`${who}.key.pem`), '--cert', pki(`${who}.pem`), '--chain', pki('government-ca.pem')];
const p12 = (who: string) => ['--p12', pki(`${who}.p12`), '--password-env', 'KYSO_WF_TEST_PW'];

const ROUTE = {
  id: 'qd-ubnd',
  name: 'Quyết định UBND tỉnh',
  steps: [
    { id: 'drafter', kind: 'initial', assignee: { by: 'citizenId', value: '027190001234' } },
    { id: 'head', kind: 'initial', assignee: { by: 'citizenId', value: '027080005678' } },
    { id: 'leader', kind: 'approve', assignee: { by: 'citizenId', value: '001085012345' }, signature: { placement: { page: 1, x: 320, y: 80, width: 220, height: 70 } } },
    { id: 'clerk', kind: 'issue', assignee: { by: 'uid', value: 'MST:2300000000' }, numbering: { agency: 'UBND', documentType: 'QĐ' } },
  ],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kyso-cli-wf-'));
  process.env['KYSO_WF_TEST_PW'] = 'kyso';
  writeFileSync(join(dir, 'route.json'), JSON.stringify(ROUTE, null, 2));
  copyFileSync(fixturePath('pdfs', 'libreoffice-vi.pdf'), join(dir, 'du-thao.pdf'));
  copyFileSync(fixturePath('pdfs', 'pdflib-table.pdf'), join(dir, 'du-thao-2.pdf'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The case as `status --format json` shows it. */
async function status(store: string[], id: string): Promise<{ version: number; stepIndex: number; status: string; round: number; documentNumber: { symbol: string } | null }> {
  const r = await kw(['status', id, '--format', 'json', ...store]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** A refused action: exit 1, one line on stderr naming the rule, and the case unchanged. */
async function refused(store: string[], id: string, args: string[], rule: string): Promise<void> {
  const before = await status(store, id);
  const r = await kw([...args, ...store]);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(rule);
  expect(await status(store, id)).toEqual(before);
}

describe('kyso workflow on SQLite', () => {
  const store = () => ['--store', `sqlite:${join(dir, 'kyso.db')}`];

  it('runs the four-step route, refusing what the rules forbid, and verifies and exports the result', async () => {
    expect((await kw(['status', ...store()])).code).toBe(2); // no store yet: bad input, nothing created
    expect(existsSync(join(dir, 'kyso.db'))).toBe(false);
    const init = await kw(['init', '--route', join(dir, 'route.json'), ...store()]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('drafter → head → leader → clerk');

    const start = await kw(['start', join(dir, 'du-thao.pdf'), '--route', 'qd-ubnd', '--id', 'qd-1', '--title', 'Quyết định ban hành quy chế', '--format', 'json', ...store()]);
    expect(start.code, start.stderr).toBe(0);
    expect(JSON.parse(start.stdout)).toMatchObject({ id: 'qd-1', status: 'in-progress', stepIndex: 0, version: 1 });

    await refused(store(), 'qd-1', ['sign', 'qd-1', ...key('head')], 'WORKFLOW_WRONG_SIGNER');
    await refused(store(), 'qd-1', ['sign', 'qd-1', '--step', 'leader', ...p12('leader')], 'WORKFLOW_OUT_OF_ORDER');
    const s1 = await kw(['sign', 'qd-1', ...key('drafter'), ...store()]);
    expect(s1.code, s1.stderr).toBe(0);
    expect(s1.stdout).toContain('next: "head"');
    await refused(store(), 'qd-1', ['sign', 'qd-1', '--step', 'drafter', ...key('drafter')], 'WORKFLOW_ALREADY_SIGNED');
    await refused(store(), 'qd-1', ['resubmit', 'qd-1', join(dir, 'du-thao-2.pdf')], 'WORKFLOW_NOT_ALLOWED');

    expect((await kw(['sign', 'qd-1', ...p12('head'), ...store()])).code).toBe(0);
    const rej = await kw(['reject', 'qd-1', '--reason', 'Sửa điều 3', '--to', 'head', '--by', 'chu-tich', ...store()]);
    expect(rej.code, rej.stderr).toBe(0);
    expect(rej.stdout).toContain('round 2');
    for (const who of ['head', 'leader', 'seal']) {
      const r = await kw(['sign', 'qd-1', ...key(who), ...store()]);
      expect(r.code, r.stderr).toBe(0);
    }
    const st = await status(store(), 'qd-1');
    expect(st).toMatchObject({ status: 'completed', round: 2, documentNumber: { symbol: '01/QĐ-UBND' } });
    const text = await kw(['status', 'qd-1', ...store()]);
    expect(text.stdout).toMatch(/✓ leader\s+approve\s+Nguyễn Văn An/);
    const list = await kw(['status', ...store()]);
    expect(list.stdout).toMatch(/qd-1\s+completed/);

    const v = await kw(['verify', 'qd-1', '--trust', pki('root.pem'), ...store()]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toContain('audit chain intact');

    const out = join(dir, 'qd-1.pdf');
    const ex = await kw(['export', 'qd-1', '-o', out, '--audit', join(dir, 'qd-1.audit.json'), ...store()]);
    expect(ex.code, ex.stderr).toBe(0);
    const audit = JSON.parse(readFileSync(join(dir, 'qd-1.audit.json'), 'utf8'));
    expect(audit.auditChain.valid).toBe(true);
    expect(audit.audit.map((x: { action: string }) => x.action)).toEqual(['create', 'sign', 'sign', 'reject', 'sign', 'sign', 'sign']);
    const fromPdf = await kw(['verify', '--pdf', out, '--route', join(dir, 'route.json'), '--format', 'json', ...store()]);
    expect(fromPdf.code, fromPdf.stdout).toBe(0);
    expect(JSON.parse(fromPdf.stdout)).toMatchObject({ valid: true, complete: true });
    // Tamper twin: a changed page after the last signature does not verify (exit 1).
    writeFileSync(join(dir, 'tampered.pdf'), tamperPageContent(readFileSync(out)));
    const bad = await kw(['verify', '--pdf', join(dir, 'tampered.pdf'), '--route', join(dir, 'route.json'), ...store()]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('does NOT match');

    await refused(store(), 'qd-1', ['withdraw', 'qd-1', '--reason', 'x'], 'WORKFLOW_CASE_CLOSED');
  });

  it('resolves roles from --roles, delegates a step, and the result passes kyso verify', async () => {
    const route = { ...ROUTE, id: 'qd-roles', steps: ROUTE.steps.map((s) => (s.id === 'leader' ? { ...s, assignee: { by: 'role', role: 'chu-tich' } } : s)) };
    writeFileSync(join(dir, 'route-roles.json'), JSON.stringify(route));
    writeFileSync(join(dir, 'roles.json'), JSON.stringify({ 'chu-tich': [{ by: 'citizenId', value: '001085012345' }] }));
    const roles = ['--roles', join(dir, 'roles.json')];
    expect((await kw(['init', '--route', join(dir, 'route-roles.json'), ...store()])).code).toBe(0);
    expect((await kw(['start', join(dir, 'du-thao.pdf'), '--route', 'qd-roles', '--id', 'qd-2', ...store()])).code).toBe(0);
    for (const who of ['drafter', 'head']) expect((await kw(['sign', 'qd-2', ...key(who), ...store()])).code).toBe(0);
    // Without the roles file nobody can be matched to the role: bad input, exit 2.
    expect((await kw(['sign', 'qd-2', ...key('leader'), ...store()])).code).toBe(2);
    await refused(store(), 'qd-2', ['sign', 'qd-2', ...key('clerk'), ...roles], 'WORKFLOW_WRONG_SIGNER');
    // The chairman is away: the step goes to the clerk-as-deputy, with a reason.
    const d = await kw(['delegate', 'qd-2', '--step', 'leader', '--to-citizen-id', '027195009876', '--reason', 'Chủ tịch đi công tác', ...store()]);
    expect(d.code, d.stderr).toBe(0);
    await refused(store(), 'qd-2', ['sign', 'qd-2', ...key('leader'), ...roles], 'WORKFLOW_WRONG_SIGNER');
    expect((await kw(['sign', 'qd-2', ...key('clerk'), ...roles, ...store()])).code).toBe(0);
    expect((await kw(['sign', 'qd-2', ...key('seal'), ...roles, ...store()])).code).toBe(0);
    expect(await status(store(), 'qd-2')).toMatchObject({ status: 'completed', documentNumber: { symbol: '02/QĐ-UBND' } });
    const v = await kw(['verify', 'qd-2', '--trust', pki('root.pem'), ...roles, ...store()]);
    expect(v.code, v.stdout).toBe(0);

    const out = join(dir, 'qd-2.pdf');
    expect((await kw(['export', 'qd-2', '-o', out, ...store()])).code).toBe(0);
    // `kyso verify` (the PDF verifier) agrees: four signatures, all TOTAL-PASSED.
    let json = '';
    const code = await main(['verify', out, '--trust', pki('root.pem'), '--format', 'json'], { stdout: (t) => (json += t) });
    expect(code, json).toBe(0);
    const report = JSON.parse(json) as { signatures: { indication: string; field: string }[] };
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED', 'TOTAL-PASSED', 'TOTAL-PASSED']);
  });

  it('exits 2 on bad input, with one line and no output file', async () => {
    const cases: string[][] = [
      ['frobnicate'],
      [],
      ['start', join(dir, 'missing.pdf'), '--route', 'qd-ubnd', ...store()],
      ['start', join(dir, 'route.json'), '--route', 'qd-ubnd', ...store()], // not a PDF
      ['start', join(dir, 'du-thao.pdf'), '--route', 'no-such-route', ...store()],
      ['status', 'no-such-case', ...store()],
      ['status', '--format', 'xml', ...store()],
      ['sign', 'qd-1', ...store()], // no key
      ['status', '--store', 'mysql://localhost/x'],
      ['export', 'no-such-case', '-o', join(dir, 'never.pdf'), ...store()],
    ];
    for (const args of cases) {
      const r = await kw(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(existsSync(join(dir, 'never.pdf'))).toBe(false);
  });
});

describe('kyso workflow on PostgreSQL', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('starts, signs and refuses against a shared PostgreSQL store', async () => {
    const store = ['--store', pg.url];
    expect((await kw(['init', '--route', join(dir, 'route.json'), ...store])).code).toBe(0);
    const start = await kw(['start', join(dir, 'du-thao.pdf'), '--route', join(dir, 'route.json'), '--id', 'pg-1', ...store]);
    expect(start.code, start.stderr).toBe(0);
    expect((await kw(['sign', 'pg-1', ...key('drafter'), ...store])).code).toBe(0);
    await refused(store, 'pg-1', ['sign', 'pg-1', ...key('drafter')], 'WORKFLOW_WRONG_SIGNER');
    const st = await status(store, 'pg-1');
    expect(st).toMatchObject({ version: 2, stepIndex: 1 });
    const bad = await kw(['status', '--store', pg.url.replace(/:\d+\//, ':1/')]);
    expect(bad.code).toBe(2);
  });
});
