// The esbuild bundle of the CLI (scripts/bundle.mjs, what bin/kyso.cjs runs after `pnpm build`
// through bin/load-bundle.cjs). Built here into a fresh folder inside dist/ (so @kyso packages
// resolve as from dist/), then driven through the commands whose code is hardest to bundle:
// vendor files loaded on first use, fonts found through import.meta.url, pdf.js and
// better-sqlite3 loaded at run time from the package that uses them, and the code cache.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

beforeAll(() => {
  out = mkdtempSync(join(cliDir, 'dist', 'test-bundle-'));
  const r = spawnSync(process.execPath, [join(cliDir, 'scripts', 'bundle.mjs'), '--outdir', out, '--metafile', join(out, 'meta.json')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundling failed (run "pnpm build" first): ${r.stderr}`);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs the bundle in a new process, as bin/kyso.cjs does. */
function bundled(args: string[], env: Record<string, string> = {}): KysoRun {
  const script = `const { loadCliBundle } = require(${JSON.stringify(join(cliDir, 'bin', 'load-bundle.cjs'))});
const args = JSON.parse(process.env.KYSO_ARGS);
loadCliBundle(${JSON.stringify(out)}, args).main(args).then((code) => { process.exitCode = code; });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env, KYSO_ARGS: JSON.stringify(args), NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the bundled CLI', () => {
  const dir = tempDir('kyso-cli-bundle-');
  const f = (n: string) => join(dir, n);

  it('leaves the large libraries that only some commands need to vendor files loaded on first use', () => {
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const main = Object.entries(meta.outputs).find(([k]) => k.endsWith('kyso.bundle.cjs'))![1];
    const packages = new Set(Object.keys(main.inputs).flatMap((i) => /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1] ?? []));
    for (const lib of ['pdf-lib', '@pdf-lib/fontkit', 'node-forge', 'pkijs', 'asn1js', 'fflate', 'pdfjs-dist', 'better-sqlite3']) expect(packages, lib).not.toContain(lib);
    expect(readdirSync(join(out, 'kyso-vendor')).filter((n) => n.endsWith('.cjs')).sort()).toEqual(['fflate.cjs', 'noble-hashes.cjs', 'node-forge.cjs', 'pdf-lib.cjs', 'pkijs.cjs']);
    // @noble/hashes' hashes (Node hashes natively) are loaded on first use; its small helpers, which @noble/curves shares, stay.
    expect(Object.keys(main.inputs).filter((i) => /node_modules.*@noble\/hashes\/(sha2|legacy)\.js$/.test(i))).toEqual([]);
    // Pure ASCII, so that load-bundle.cjs reads it as Latin-1.
    expect(readFileSync(join(out, 'kyso.bundle.cjs')).every((b) => b < 0x80)).toBe(true);
  });

  it('keeps a code cache per command: written by the first call that completes, used by the next, replaced when unusable', () => {
    const cacheDir = join(out, 'kyso-cache');
    const caches = () => (existsSync(cacheDir) ? readdirSync(cacheDir).sort() : []);
    expect(bundled(['--help'])).toMatchObject({ code: 0, stderr: '' });
    const [first] = caches();
    expect(first).toMatch(/^kyso\.bundle\.cjs\.other-help\.[0-9a-f]{16}-[0-9a-f]{8}\.v8$/);
    const written = statSync(join(cacheDir, first!)).mtimeMs;
    expect(bundled(['--help'])).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(join(cacheDir, first!)).mtimeMs).toBe(written); // accepted, not written again
    writeFileSync(join(cacheDir, first!), 'not a V8 code cache');
    expect(bundled(['--help'])).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(cacheDir, first!)).length).toBeGreaterThan(1000); // rejected, then written again
    // A call that stops at bad input compiled too little to be worth keeping; one that completes is kept.
    expect(bundled(['verify', join(out, 'missing.pdf')]).code).toBe(2);
    expect(caches().some((n) => n.includes('.verify.'))).toBe(false);
    // One that exits 1 ran only part of the command (no signature to verify): its cache is partial...
    expect(bundled(['verify', fixturePath('pdfs', 'gs-pdfwrite.pdf')]).code).toBe(1);
    const verifyCaches = () => caches().filter((n) => n.includes('.verify.'));
    expect(verifyCaches()).toEqual([expect.stringMatching(/^kyso\.bundle\.cjs\.verify\.[0-9a-f]{16}-[0-9a-f]{8}\.partial\.v8$/)]);
    const partial = readFileSync(join(cacheDir, verifyCaches()[0]!)).length;
    expect(bundled(['verify', fixturePath('pdfs', 'gs-pdfwrite.pdf')]).code).toBe(1);
    expect(verifyCaches()).toHaveLength(1); // used, not written again
    // ...and replaced by the first call that exits 0, which compiled the whole verifier.
    expect(bundled(['sign', fixturePath('pdfs', 'gs-pdfwrite.pdf'), '-o', join(out, 'cached.pdf'), ...key('leader')]).code).toBe(0);
    expect(bundled(['verify', join(out, 'cached.pdf'), '--trust', pki('root.pem')]).code).toBe(0);
    expect(verifyCaches()).toEqual([expect.stringMatching(/^kyso\.bundle\.cjs\.verify\.[0-9a-f]{16}-[0-9a-f]{8}\.v8$/)]);
    expect(readFileSync(join(cacheDir, verifyCaches()[0]!)).length).toBeGreaterThan(partial);
  });

  it('keeps the cache of another Node version (another V8) beside its own', () => {
    const cacheDir = join(out, 'kyso-cache');
    expect(bundled(['--help'])).toMatchObject({ code: 0, stderr: '' });
    const own = readdirSync(cacheDir).filter((n) => n.startsWith('kyso.bundle.cjs.other-help.'));
    expect(own).toHaveLength(1);
    const foreign = own[0]!.replace(/-[0-9a-f]{8}\.v8$/, '-00000000.v8');
    writeFileSync(join(cacheDir, foreign), 'a cache from another V8');
    rmSync(join(cacheDir, own[0]!)); // this Node writes its own again
    expect(bundled(['--help'])).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(cacheDir).filter((n) => n.startsWith('kyso.bundle.cjs.other-help.')).sort()).toEqual([foreign, own[0]!].sort());
    expect(readFileSync(join(cacheDir, foreign), 'utf8')).toBe('a cache from another V8');
    rmSync(join(cacheDir, foreign));
  });

  it('keys a cache by the hash the bundle ends with, not by its size or date: another build never meets it', () => {
    const bundle = join(out, 'kyso.bundle.cjs');
    const text = readFileSync(bundle, 'latin1');
    const hash = /\/\/# kysoHash=([0-9a-f]{16})\s*$/.exec(text)![1]!;
    expect(hash).toBe(createHash('sha256').update(text.slice(0, text.lastIndexOf('\n//# kysoHash='))).digest('hex').slice(0, 16));
    // Another build of the same size and date (npm gives every published file the same mtime).
    const { atime, mtime } = statSync(bundle);
    const other = text.replace(`kysoHash=${hash}`, `kysoHash=${hash.split('').reverse().join('')}`);
    writeFileSync(bundle, other, 'latin1');
    utimesSync(bundle, atime, mtime);
    try {
      expect(bundled(['--help'])).toMatchObject({ code: 0, stderr: '' });
      const names = readdirSync(join(out, 'kyso-cache')).filter((n) => n.startsWith('kyso.bundle.cjs.other-help.'));
      // And the other build's cache pruned.
      expect(names).toEqual([expect.stringMatching(new RegExp(`^kyso\\.bundle\\.cjs\\.other-help\\.${hash.split('').reverse().join('')}-[0-9a-f]{8}\\.v8$`))]);
    } finally {
      writeFileSync(bundle, text, 'latin1');
    }
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

  it('a legacy PKCS#12 (RC2/3DES): node-forge loaded from its vendor file', () => {
    const r = bundled(['sign', fixturePath('pdfs', 'gs-pdfwrite.pdf'), '-o', f('legacy.pdf'), '--p12', pki('leader.legacy.p12'), '--password-env', 'KYSO_PW'], { KYSO_PW: 'kyso' });
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(bundled(['verify', f('legacy.pdf'), '--trust', pki('root.pem')]).code).toBe(0);
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

  it('an install whose folder cannot take the cache keeps it in the user’s cache folder, private to the user', () => {
    // Another bundle folder, whose kyso-cache is a file: nothing can be written there.
    const other = mkdtempSync(join(cliDir, 'dist', 'test-bundle-ro-'));
    try {
      for (const f of readdirSync(out)) if (f === 'kyso.bundle.cjs' || f === 'kyso-vendor') cpSync(join(out, f), join(other, f), { recursive: true, preserveTimestamps: true });
      writeFileSync(join(other, 'kyso-cache'), 'not a folder');
      const home = mkdtempSync(join(tmpdir(), 'kyso-home-'));
      const run = () => spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(cliDir, 'bin', 'load-bundle.cjs'))}).loadCliBundle(${JSON.stringify(other)}, ['--help']).main(['--help'])`], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: home } });
      expect(run()).toMatchObject({ status: 0, stderr: '' });
      const [dir] = readdirSync(join(home, 'kyso'));
      const files = readdirSync(join(home, 'kyso', dir!));
      expect(files).toEqual([expect.stringMatching(/^kyso\.bundle\.cjs\.other-help\.[0-9a-f]{16}-[0-9a-f]{8}\.v8$/)]);
      const cache = join(home, 'kyso', dir!, files[0]!);
      expect(statSync(cache).mode & 0o777).toBe(0o600);
      expect(statSync(join(home, 'kyso', dir!)).mode & 0o777).toBe(0o700);
      const written = statSync(cache).mtimeMs;
      expect(run()).toMatchObject({ status: 0, stderr: '' });
      expect(statSync(cache).mtimeMs).toBe(written); // read back, not written again
      rmSync(home, { recursive: true, force: true });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a checkout that was never built says how to build it, in one line, exit code 2', () => {
    const pkg = mkdtempSync(join(tmpdir(), 'kyso-unbuilt-'));
    mkdirSync(join(pkg, 'bin'));
    for (const f of ['kyso.cjs', 'load-bundle.cjs']) copyFileSync(join(cliDir, 'bin', f), join(pkg, 'bin', f));
    const r = spawnSync(process.execPath, [join(pkg, 'bin', 'kyso.cjs'), '--help'], { encoding: 'utf8' });
    rmSync(pkg, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('kyso: the CLI is not built: run "pnpm build" in the kyso repository first.\n');
  });

  it('errors are one line with exit code 2, as unbundled', () => {
    const r = bundled(['verify', f('missing.pdf')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/missing\.pdf/);
  });
});
