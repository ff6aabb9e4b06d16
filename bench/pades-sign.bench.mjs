// PAdES B-B signature of the 2,000-page ~40 MB file (test-fixtures/scripts/pdfs-big.mjs): the
// kyso CLI, @kyso/pades/node signPdfFile and in-memory signPdf, next to @libpdf/core and
// @signpdf/signpdf (devDependencies of packages/pades), each in its own process so that wall
// time includes start-up and peak RSS is that tool's alone. Then signPdfFile on a 400 MB file,
// for the bounded-memory claim. Run with `pnpm bench pades-sign` after `pnpm build`.
// Goal (issue 4): sign 40 MB in ≤ 0.35 s wall and < 120 MB peak, ≥ 2.5× faster than @libpdf/core.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bigPdf, bundleScript, ensureCliBundle, inProcessRows, kysoBin, pki, root, runOnce, timeCalls, tryRow } from './shared.mjs';

const self = fileURLToPath(import.meta.url);
const require = createRequire(new URL('../packages/pades/package.json', import.meta.url));

const GOAL_WALL = 0.35;
const GOAL_MB = 120;
const GOAL_RATIO = 2.5;

/** @param {{ work: string, measure: Function, repeat: number }} ctx */
export async function run(ctx) {
  ensureCliBundle();
  const big = await bigPdf(ctx);
  const out = (name) => `${ctx.work}/signed-${name}.pdf`;
  const key = ['--key', pki('leader.key.pem'), '--cert', pki('leader.pem'), '--chain', pki('leader.chain.pem')];
  // signPdfFile in an application bundled with esbuild: what a bundled CLI signing file to file costs.
  const entry = `${ctx.work}/sign-file-entry.mjs`;
  writeFileSync(
    entry,
    `import { readFileSync } from 'node:fs';
import { signerFromPem } from ${JSON.stringify(`${root}packages/cms/dist/index.js`)};
import { signPdfFile } from ${JSON.stringify(`${root}packages/pades/dist/node/index.js`)};
const pem = (f) => readFileSync(${JSON.stringify(pki(''))} + f, 'utf8');
const signer = await signerFromPem(pem('leader.key.pem'), pem('leader.pem'), pem('leader.chain.pem'));
await signPdfFile(process.argv[2], process.argv[3], { signer });
`,
  );
  const bundled = await bundleScript(entry, ctx.work, 'sign-file-bundled');
  const rows = [
    tryRow(ctx, 'kyso sign (CLI, bundled; signPdfFile underneath)', process.execPath, [kysoBin, 'sign', big.path, '-o', out('cli'), ...key]),
    tryRow(ctx, '@kyso/pades/node signPdfFile (file to file)', process.execPath, [self, 'kyso-file', big.path, out('file')]),
    tryRow(ctx, '@kyso/pades signPdf (in memory: read, sign, write)', process.execPath, [self, 'kyso-memory', big.path, out('memory')]),
    tryRow(ctx, '@kyso/pades/node signPdfFile in an esbuild-bundled script', process.execPath, [bundled, big.path, out('bundled')]),
    tryRow(ctx, '@libpdf/core 0.4 load + sign (P12Signer)', process.execPath, [self, 'libpdf', big.path, out('libpdf')]),
    tryRow(ctx, '@signpdf/signpdf 3.3 + placeholder-plain (P12Signer)', process.execPath, [self, 'signpdf', big.path, out('signpdf')]),
    tryRow(ctx, 'floor: cp (copy the file)', 'cp', [big.path, out('cp')]),
    tryRow(ctx, 'floor: openssl dgst -sha256 (hash the file)', 'openssl', ['dgst', '-sha256', big.path]),
  ];
  // Every kyso output is checked by poppler, so the rows time work that produces valid signatures.
  for (const [i, name] of [[0, 'cli'], [1, 'file'], [2, 'memory'], [3, 'bundled']]) {
    const r = runOnce('pdfsig', [out(name)]);
    if (!/Signature is Valid/.test(r.out)) rows[i].note = `${rows[i].note ?? ''} pdfsig does not say "Signature is Valid"!`.trim();
    rmSync(out(name), { force: true });
  }

  rows.push(...inProcessRows(ctx, '@kyso/pades/node signPdfFile', process.execPath, [self, 'in-process', big.path, out('in-process')]));
  rmSync(out('in-process'), { force: true });

  const huge = await bigPdf(ctx, 'huge.pdf', { pages: 20000 });
  const hugeWhat = `${(huge.size / 1e6).toFixed(0)} MB / ${huge.pages} pages`;
  rows.push(tryRow(ctx, `@kyso/pades/node signPdfFile, ${hugeWhat}`, process.execPath, [self, 'kyso-file', huge.path, out('huge')]));
  rows.push(tryRow(ctx, `floor: cp, ${hugeWhat}`, 'cp', [huge.path, out('huge-cp')]));
  rows.push(tryRow(ctx, `floor: openssl dgst -sha256, ${hugeWhat}`, 'openssl', ['dgst', '-sha256', huge.path]));
  for (const f of ['huge', 'huge-cp', 'cp']) rmSync(out(f), { force: true });
  rmSync(huge.path, { force: true });

  return { title: `PAdES B-B signing, ${big.pages} pages, ${(big.size / 1e6).toFixed(1)} MB`, goal: `≤ ${GOAL_WALL} s wall and < ${GOAL_MB} MB peak, ≥ ${GOAL_RATIO}× faster than @libpdf/core`, rows, summary: verdict(rows) };
}

function verdict(rows) {
  const libpdf = rows.find((r) => r.what.startsWith('@libpdf'));
  const lines = [];
  for (const r of rows.filter((x) => /kyso/.test(x.what) && !/MB \//.test(x.what) && !/running process/.test(x.note ?? ''))) {
    if (!Number.isFinite(r.wallS)) continue;
    const ratio = libpdf.wallS / r.wallS;
    const ok = r.wallS <= GOAL_WALL && r.peakMB < GOAL_MB && ratio >= GOAL_RATIO;
    lines.push(`- ${r.what}: ${r.wallS.toFixed(3)} s wall (best ${r.bestS?.toFixed(3)}, CPU ${r.cpuS?.toFixed(3)}) (${r.wallS <= GOAL_WALL ? 'met' : 'NOT met'}), ${r.peakMB.toFixed(0)} MB (${r.peakMB < GOAL_MB ? 'met' : 'NOT met'}), ${Number.isFinite(ratio) ? ratio.toFixed(1) : '?'}× @libpdf/core (${ratio >= GOAL_RATIO ? 'met' : 'NOT met'}): goal ${ok ? 'met' : 'not met'}.`);
  }
  lines.push('', 'The verdicts use the median wall time of this run; on a loaded machine the best run and the CPU time say more about the code.');
  return lines.join('\n');
}

async function signer() {
  const { signerFromPem } = await import('../packages/cms/dist/index.js');
  return signerFromPem(readFileSync(pki('leader.key.pem'), 'utf8'), readFileSync(pki('leader.pem'), 'utf8'), readFileSync(pki('leader.chain.pem'), 'utf8'));
}

async function child(mode, input, output) {
  if (mode === 'kyso-file') {
    const { signPdfFile } = await import('../packages/pades/dist/node/index.js');
    await signPdfFile(input, output, { signer: await signer() });
  } else if (mode === 'in-process') {
    const { signPdfFile } = await import('../packages/pades/dist/node/index.js');
    const s = await signer();
    await timeCalls(() => signPdfFile(input, output, { signer: s }));
  } else if (mode === 'kyso-memory') {
    const { signPdf } = await import('../packages/pades/dist/index.js');
    const buf = readFileSync(input);
    writeFileSync(output, await signPdf(new Uint8Array(buf.buffer, buf.byteOffset, buf.length), { signer: await signer() }));
  } else if (mode === 'libpdf') {
    const { PDF, P12Signer } = await import(require.resolve('@libpdf/core'));
    const doc = await PDF.load(new Uint8Array(readFileSync(input)));
    const { bytes } = await doc.sign({ signer: await P12Signer.create(new Uint8Array(readFileSync(pki('leader.p12'))), 'kyso') });
    writeFileSync(output, bytes);
  } else if (mode === 'signpdf') {
    const mod = await import(require.resolve('@signpdf/signpdf'));
    const signpdf = mod.default?.sign ? mod.default : (mod.default?.default ?? mod.signpdf);
    const { plainAddPlaceholder } = await import(require.resolve('@signpdf/placeholder-plain'));
    const { P12Signer } = await import(require.resolve('@signpdf/signer-p12'));
    const withPlaceholder = plainAddPlaceholder({ pdfBuffer: readFileSync(input), reason: 'bench', contactInfo: 'x', name: 'x', location: 'x' });
    writeFileSync(output, await signpdf.sign(withPlaceholder, new P12Signer(readFileSync(pki('leader.legacy.p12')), { passphrase: 'kyso' })));
  } else throw new Error(`unknown mode ${mode}`);
}

if (process.argv[1] === self && process.argv[2]) await child(process.argv[2], process.argv[3], process.argv[4]);
