// Helpers shared by the benches (not a bench itself: run.mjs only runs *.bench.mjs).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const pki = (f) => `${root}test-fixtures/pki/${f}`;
/** The kyso command as users run it: `node packages/cli/bin/kyso.js`. */
export const kysoBin = `${root}packages/cli/bin/kyso.js`;

const made = new Map();

/**
 * The 2,000-page ~40 MB file of test-fixtures/scripts/pdfs-big.mjs, written once per bench run
 * into `ctx.work` (the benches share it). Returns `{ path, size, pages }`.
 */
export async function bigPdf(ctx, name = 'big.pdf', options = {}) {
  const path = `${ctx.work}/${name}`;
  if (!made.has(path)) {
    const { writeBigPdf } = await import('../test-fixtures/scripts/pdfs-big.mjs');
    made.set(path, { path, ...writeBigPdf(path, options) });
  }
  return made.get(path);
}

/**
 * Makes sure bin/kyso.js runs the esbuild bundle: when it is missing or older than a package's
 * last `tsc -b` (bin/kyso.js then falls back to dist/main.js), bundles again as `pnpm build` does.
 */
export function ensureCliBundle() {
  const bundle = `${root}packages/cli/dist/kyso.bundle.mjs`;
  const packages = `${root}packages/`;
  const stale = !existsSync(bundle) || readdirSync(packages).some((p) => existsSync(`${packages}${p}/tsconfig.tsbuildinfo`) && statSync(`${packages}${p}/tsconfig.tsbuildinfo`).mtimeMs > statSync(bundle).mtimeMs);
  if (!stale) return;
  const r = spawnSync(process.execPath, [`${root}packages/cli/scripts/bundle.mjs`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundling the CLI failed: ${r.stderr}`);
}

/** Runs a measured command once, unmeasured, and returns its output: a check that it does what the row claims. */
export function runOnce(cmd, args, env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** One table row, or a row that says why the tool failed (a peer that cannot do it is a result too). */
export function tryRow(ctx, what, cmd, args, extra = {}) {
  try {
    return { what, ...ctx.measure(cmd, args, { n: ctx.repeat, ...(extra.env ? { env: extra.env } : {}) }), ...(extra.note ? { note: extra.note } : {}) };
  } catch (e) {
    return { what, wallS: Number.NaN, peakMB: Number.NaN, note: `failed: ${String(e.message).split('\n')[0].slice(0, 160)}` };
  }
}
