// Helpers shared by the benches (not a bench itself: run.mjs only runs *.bench.mjs).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const pki = (f) => `${root}test-fixtures/pki/${f}`;
/** The kyso command as users run it: `node packages/cli/bin/kyso.cjs`. */
export const kysoBin = `${root}packages/cli/bin/kyso.cjs`;

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
 * Makes sure bin/kyso.cjs runs the esbuild bundle: when it is missing or older than a package's
 * last `tsc -b` (bin/kyso.cjs then falls back to dist/main.js), bundles again as `pnpm build` does.
 */
export function ensureCliBundle() {
  const bundle = `${root}packages/cli/dist/kyso.bundle.cjs`;
  const packages = `${root}packages/`;
  const stale = !existsSync(bundle) || readdirSync(packages).some((p) => existsSync(`${packages}${p}/tsconfig.tsbuildinfo`) && statSync(`${packages}${p}/tsconfig.tsbuildinfo`).mtimeMs > statSync(bundle).mtimeMs);
  // The code caches are written again by the bench's own first call of each command, on the
  // bench's files: a cache left by the tests holds what their small inputs compiled.
  rmSync(`${root}packages/cli/dist/kyso-cache`, { recursive: true, force: true });
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

/**
 * Rows measured in turns (A, B, A, B, … `n` times each) rather than one after the other: when two
 * commands are compared, a change in the machine's load then affects both alike. Each item is
 * `[what, cmd, args, extra?]` as for {@link tryRow}; a command that fails gives a row saying so.
 */
export function interleavedRows(ctx, items, n) {
  const runs = items.map(() => []);
  const failed = items.map(() => undefined);
  for (let i = 0; i < n; i++) {
    items.forEach(([, cmd, args], k) => {
      if (failed[k]) return;
      try {
        runs[k].push(ctx.measure(cmd, args, { n: 1, env: items[k][3]?.env }));
      } catch (e) {
        failed[k] = String(e.message).split('\n')[0].slice(0, 160);
      }
    });
  }
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return items.map(([what, , , extra = {}], k) => {
    if (failed[k]) return { what, wallS: Number.NaN, peakMB: Number.NaN, note: `failed: ${failed[k]}` };
    const r = runs[k];
    return {
      what,
      wallS: median(r.map((x) => x.wallS)),
      bestS: Math.min(...r.map((x) => x.wallS)),
      cpuS: median(r.map((x) => x.cpuS)),
      peakMB: Math.max(...r.map((x) => x.peakMB)),
      ...(extra.note ? { note: extra.note } : {}),
    };
  });
}

/**
 * Bundles `entry` (a bench's child script) with esbuild into `outdir`, as an application that
 * ships bundled would: one file to load instead of ~90 modules. Returns the bundled file.
 */
export async function bundleScript(entry, outdir, name) {
  const { createRequire } = await import('node:module');
  const { build } = createRequire(`${root}package.json`)('esbuild');
  await build({
    entryPoints: { [name]: entry },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    // Never loaded by signing or verifying without an appearance.
    external: ['pdfjs-dist', 'pdf-lib', '@pdf-lib/fontkit', 'node-forge', '@libpdf/core', '@signpdf/*'],
    banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return `${outdir}/${name}.mjs`;
}

/**
 * Rows for work timed inside one process (a server that is already running): the child prints
 * `{"first": seconds, "later": seconds}` as its last stdout line, for its first call and the
 * median of later calls. Medians over `ctx.repeat` processes; peak RSS is the process's.
 */
export function inProcessRows(ctx, what, cmd, args) {
  const firsts = [];
  const laters = [];
  let peak = 0;
  for (let i = 0; i < ctx.repeat; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8' });
    if (r.status !== 0) return [{ what, wallS: Number.NaN, peakMB: Number.NaN, note: `failed: ${r.stderr.split('\n')[0].slice(0, 160)}` }];
    const t = JSON.parse(r.stdout.trim().split('\n').pop());
    firsts.push(t.first);
    laters.push(t.later);
    peak = Math.max(peak, Number(r.stderr.trim().split('\n').pop()) / 1024);
  }
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const note = 'inside a running process: no start-up or module loading';
  return [
    { what: `${what}, first call`, wallS: median(firsts), peakMB: peak, note },
    { what: `${what}, later calls (median of 5)`, wallS: median(laters), peakMB: peak, note },
  ];
}

/** In a child: times `fn` once, then 5 more times, and prints the JSON that {@link inProcessRows} reads. */
export async function timeCalls(fn) {
  let t0 = performance.now();
  await fn(0);
  const first = (performance.now() - t0) / 1000;
  const later = [];
  for (let i = 1; i <= 5; i++) {
    t0 = performance.now();
    await fn(i);
    later.push((performance.now() - t0) / 1000);
  }
  later.sort((a, b) => a - b);
  console.log(JSON.stringify({ first, later: later[2] }));
}

/**
 * A Node binary of another release line (`major`, e.g. 22), for rows that show what the same
 * kyso costs on it: the newest `node-<platform>-<arch>@major` from the npm registry (Node's own
 * builds, published there as packages), unpacked once into bench/out/node/ and reused. Returns
 * `{ path, version }`, or `{ error }` where there is no such build or it cannot be fetched.
 */
export function nodeLine(major) {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if ((process.platform !== 'linux' && process.platform !== 'darwin') || !arch) return { error: `no Node build for ${process.platform}-${process.arch} in the npm registry` };
  const dir = `${root}bench/out/node/${major}`;
  const bin = `${dir}/package/bin/node`;
  if (!existsSync(bin)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const pack = spawnSync('npm', ['pack', `node-${process.platform}-${arch}@${major}`, '--pack-destination', dir, '--silent'], { encoding: 'utf8', timeout: 300_000 });
    const tgz = pack.stdout?.trim().split('\n').pop();
    if (pack.status !== 0 || !tgz) return { error: `npm pack node-${process.platform}-${arch}@${major} failed: ${(pack.stderr || pack.error?.message || '').trim().split('\n').pop()}` };
    const untar = spawnSync('tar', ['xzf', `${dir}/${tgz}`, '-C', dir], { encoding: 'utf8' });
    rmSync(`${dir}/${tgz}`, { force: true });
    if (untar.status !== 0 || !existsSync(bin)) return { error: `unpacking ${tgz} failed: ${untar.stderr.trim()}` };
  }
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim();
  return version ? { path: bin, version } : { error: `${bin} does not run` };
}
