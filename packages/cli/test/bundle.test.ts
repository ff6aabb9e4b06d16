// The esbuild bundle of the CLI (scripts/bundle.mjs, what bin/kyso.js runs after `pnpm build`).
// Built here into a fresh folder inside dist/ (so @kyso packages resolve as from dist/), then
// driven through the commands whose code is hardest to bundle: lazy chunks, fonts found through
// import.meta.url, pdf.js and better-sqlite3 loaded at run time from the package that uses them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePath } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSampleDecision } from '../src/demo/sample-decision.js';
import { tempDir, type KysoRun } from './helpers.js';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const pki = (f: string) => fixturePath('pki', f);
const sample = (f: string) => fileURLToPath(new URL(`../../pades/assets/samples/${f}`, import.meta.url));
const key = (who: string) => ['--key', pki(`${who}.key.pem`), '--cert', pki(`${who}.pem`), '--chain', pki(`${who}.chain.pem`)];

let out: string;
let entry: string;

beforeAll(() => {
  out = mkdtempSync(join(cliDir, 'dist', 'test-bundle-'));
  const r = spawnSync(process.execPath, [join(cliDir, 'scripts', 'bundle.mjs'), '--outdir', out, '--metafile', join(out, 'meta.json')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundling failed (run "pnpm build" first): ${r.stderr}`);
  entry = join(out, 'kyso.bundle.mjs');
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs the bundle's `main` in a new process, as bin/kyso.js does. */
function bundled(args: string[], env: Record<string, string> = {}): KysoRun {
  const script = `const { main } = await import(${JSON.stringify(new URL(`file://${entry}`).href)}); process.exitCode = await main(JSON.parse(process.env.KYSO_ARGS));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env, KYSO_ARGS: JSON.stringify(args), NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the bundled CLI', () => {
  const dir = tempDir('kyso-cli-bundle-');
  const f = (n: string) => join(dir, n);

  it('starts light: the entry loads a few small chunks; signing, PDF and trust code stay in lazy chunks', () => {
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }> };
    const entryKey = Object.keys(meta.outputs).find((k) => k.endsWith('kyso.bundle.mjs'))!;
    const eager = new Set<string>();
    const visit = (k: string) => {
      for (const i of meta.outputs[k]?.imports ?? []) {
        if (i.kind !== 'import-statement' || eager.has(i.path)) continue;
        eager.add(i.path);
        if (!i.external) visit(i.path);
      }
    };
    visit(entryKey);
    const local = [...eager].filter((p) => p.endsWith('.mjs'));
    const bytes = local.reduce((n, p) => n + statSync(join(cliDir, '..', '..', p)).size, statSync(entry).size);
    expect(bytes).toBeLessThan(30_000);
    // Besides its own chunks, only Node built-ins and the tiny @kyso/core (kept external, see scripts/bundle.mjs).
    expect([...eager].filter((p) => !p.endsWith('.mjs') && !p.startsWith('node:'))).toEqual(['@kyso/core']);
    expect(readdirSync(join(out, 'kyso-chunks')).length).toBeGreaterThan(10);
  });

  it('--help, then sign and verify with a PEM key; the tamper twin fails', () => {
    expect(bundled(['--help'])).toMatchObject({ code: 0, stderr: '' });
    const signed = bundled(['sign', fixturePath('pdfs', 'gs-pdfwrite.pdf'), '-o', f('s.pdf'), ...key('leader'), '--reason', 'Phê duyệt']);
    expect(signed).toMatchObject({ code: 0, stderr: '' });
    const ok = bundled(['verify', f('s.pdf'), '--trust', pki('root.pem'), '--format', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).signatures.map((s: { indication: string }) => s.indication)).toEqual(['TOTAL-PASSED']);
    const bytes = readFileSync(f('s.pdf'));
    bytes[200] ^= 1;
    writeFileSync(f('bad.pdf'), bytes);
    const bad = bundled(['verify', f('bad.pdf'), '--trust', pki('root.pem'), '--format', 'json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).signatures[0].subIndication).toBe('HASH_FAILURE');
  });

  it('a Decree 30 appearance placed at an anchor: fonts from @kyso/pades/assets, pdf-lib and pdf.js loaded on demand', async () => {
    writeFileSync(f('qd.pdf'), await writeSampleDecision());
    const r = bundled(['sign', f('qd.pdf'), '-o', f('qd.1.pdf'), ...key('leader'), '--appearance', 'approval', '--image', sample('signature.png'), '--anchor', 'CHỦ TỊCH']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(bundled(['verify', f('qd.1.pdf'), '--trust', pki('root.pem')]).code).toBe(0);
  });

  it('a workflow store on SQLite: better-sqlite3 is loaded from @kyso/workflow at run time', () => {
    const route = { id: 'r', name: 'R', steps: [{ id: 'leader', kind: 'approve', assignee: { by: 'citizenId', value: '001085012345' } }] };
    writeFileSync(f('route.json'), JSON.stringify(route));
    const init = bundled(['workflow', 'init', '--route', f('route.json'), '--store', `sqlite:${f('wf.db')}`]);
    expect(init).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(f('wf.db')).size).toBeGreaterThan(0);
  });

  it('errors are one line with exit code 2, as unbundled', () => {
    const r = bundled(['verify', f('missing.pdf')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/missing\.pdf/);
  });
});
