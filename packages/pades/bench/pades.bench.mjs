// Signs and verifies the 2,000-page ~40 MB file (test-fixtures/scripts/pdfs-big.mjs) with
// @kyso/pades next to @libpdf/core and @signpdf/signpdf (signing) and pdfsig (verifying); each
// run in its own process so peak RSS is that tool's. Same shape as bench/*.bench.mjs
// (`export async function run(ctx)`); standalone: `node packages/pades/bench/pades.bench.mjs`
// after `pnpm build`. Goal (issue 4): sign 40 MB in ≤ 0.35 s wall and < 120 MB peak, ≥ 2.5×
// faster than @libpdf/core; verify no slower than pdfsig.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = new URL('../../../', import.meta.url);
const require = createRequire(new URL('../package.json', import.meta.url));
const fixture = (p) => fileURLToPath(new URL(`test-fixtures/pki/${p}`, root));

/** @param {{ work: string, measure: Function, repeat: number }} ctx */
export async function run(ctx) {
  const { writeBigPdf } = await import(new URL('test-fixtures/scripts/pdfs-big.mjs', root).href);
  const input = `${ctx.work}/big.pdf`;
  const info = writeBigPdf(input);
  const signed = `${ctx.work}/signed-kyso.pdf`;
  const rows = [];
  const row = (what, cmd, args, note) => {
    try {
      rows.push({ what, ...ctx.measure(cmd, args, { n: ctx.repeat }), ...(note ? { note } : {}) });
    } catch (e) {
      rows.push({ what, wallS: Number.NaN, peakMB: Number.NaN, note: `failed: ${String(e.message).split('\n')[0]}` });
    }
  };
  row('@kyso/pades/node signPdfFile (file to file)', process.execPath, [self, 'kyso-file', input, signed]);
  row('@kyso/pades signPdf in memory (+ nodeDigestEngine)', process.execPath, [self, 'kyso-memory', input, `${ctx.work}/signed-mem.pdf`]);
  row('@libpdf/core load + sign', process.execPath, [self, 'libpdf', input, `${ctx.work}/signed-libpdf.pdf`]);
  row('@signpdf/signpdf + placeholder-plain', process.execPath, [self, 'signpdf', input, `${ctx.work}/signed-signpdf.pdf`]);
  row('@kyso/pades/node verifyPdfFile', process.execPath, [self, 'kyso-verify', signed, '']);
  row('pdfsig (poppler) verify', 'pdfsig', [signed]);
  return { title: `PAdES sign and verify, ${info.pages} pages, ${(info.size / 1e6).toFixed(1)} MB`, goal: 'sign ≤ 0.35 s and < 120 MB, ≥ 2.5× faster than @libpdf/core; verify no slower than pdfsig', rows };
}

async function signer() {
  const { signerFromPem } = await import(require.resolve('@kyso/cms'));
  return signerFromPem(readFileSync(fixture('leader.key.pem'), 'utf8'), readFileSync(fixture('leader.pem'), 'utf8'), readFileSync(fixture('leader.chain.pem'), 'utf8'), { skipKeyCheck: true });
}

async function child(mode, input, output) {
  if (mode === 'kyso-file') {
    const { signPdfFile } = await import(new URL('../dist/node/index.js', import.meta.url).href);
    await signPdfFile(input, output, { signer: await signer() });
  } else if (mode === 'kyso-memory') {
    const { signPdf } = await import(new URL('../dist/index.js', import.meta.url).href);
    const { nodeDigestEngine } = await import(new URL('../../cms/dist/node/index.js', import.meta.url).href);
    const buf = readFileSync(input);
    writeFileSync(output, await signPdf(new Uint8Array(buf.buffer, buf.byteOffset, buf.length), { signer: await signer(), digestEngine: nodeDigestEngine }));
  } else if (mode === 'kyso-verify') {
    const { verifyPdfFile } = await import(new URL('../dist/node/index.js', import.meta.url).href);
    const r = await verifyPdfFile(input);
    if (!r.signatures.every((s) => s.integrity)) throw new Error('verification failed');
  } else if (mode === 'libpdf') {
    const { PDF, P12Signer } = await import(require.resolve('@libpdf/core'));
    const doc = await PDF.load(new Uint8Array(readFileSync(input)));
    const { bytes } = await doc.sign({ signer: await P12Signer.create(new Uint8Array(readFileSync(fixture('leader.p12'))), 'kyso') });
    writeFileSync(output, bytes);
  } else if (mode === 'signpdf') {
    const mod = await import(require.resolve('@signpdf/signpdf'));
    const signpdf = mod.default?.sign ? mod.default : mod.default?.default ?? mod.signpdf;
    const { plainAddPlaceholder } = await import(require.resolve('@signpdf/placeholder-plain'));
    const { P12Signer } = await import(require.resolve('@signpdf/signer-p12'));
    const withPlaceholder = plainAddPlaceholder({ pdfBuffer: readFileSync(input), reason: 'bench', contactInfo: 'x', name: 'x', location: 'x' });
    writeFileSync(output, await signpdf.sign(withPlaceholder, new P12Signer(readFileSync(fixture('leader.legacy.p12')), { passphrase: 'kyso' })));
  } else throw new Error(`unknown mode ${mode}`);
}

function measure(cmd, args, { n = 3 } = {}) {
  const walls = [];
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const res = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (res.status !== 0) throw new Error(`${cmd} failed (exit ${res.status}): ${res.stderr}`);
    peak = Math.max(peak, Number(res.stderr.toString().trim().split('\n').pop()) / 1024);
  }
  walls.sort((a, b) => a - b);
  return { wallS: walls[Math.floor(walls.length / 2)], peakMB: peak };
}

if (process.argv[1] === self) {
  if (process.argv[2]) await child(process.argv[2], process.argv[3], process.argv[4]);
  else {
    const r = await run({ work: mkdtempSync(`${tmpdir()}/kyso-pades-bench-`), measure, repeat: 5 });
    console.log(`## ${r.title}\n\nGoal: ${r.goal}\n\n| what | wall (s, median) | peak RSS (MB) | note |\n|---|---|---|---|`);
    for (const x of r.rows) console.log(`| ${x.what} | ${x.wallS.toFixed(3)} | ${x.peakMB.toFixed(0)} | ${x.note ?? ''} |`);
  }
}
