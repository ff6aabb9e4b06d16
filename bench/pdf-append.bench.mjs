// Open + set the title (one changed object) + save, on the 2,000-page ~40 MB file:
// @kyso/pdf (file API and in memory, incremental) against pdf-lib (load + full save) and
// @libpdf/core (load + incremental save, and full save). Each runs in its own process, so
// peak RSS is that library's. Run with `pnpm bench pdf-append` after `pnpm build`.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bigPdf } from './shared.mjs';

const self = fileURLToPath(import.meta.url);
const require = createRequire(new URL('../packages/pdf/package.json', import.meta.url));

/** @param {{ work: string, measure: Function, repeat: number }} ctx */
export async function run(ctx) {
  const info = await bigPdf(ctx);
  const input = info.path;
  const modes = [
    ['@kyso/pdf, file API (positional reads, OS copy + append)', 'kyso-file'],
    ['@kyso/pdf, in memory (read file, finish(), write file)', 'kyso-memory'],
    ['pdf-lib 1.17 load + save (rewrites the file)', 'pdf-lib'],
    ['@libpdf/core load + save({ incremental: true })', 'libpdf-incremental'],
    ['@libpdf/core load + save() (full rewrite)', 'libpdf-full'],
  ];
  const rows = [];
  for (const [what, mode] of modes) {
    try {
      const m = ctx.measure(process.execPath, [self, mode, input, `${ctx.work}/out-${mode}.pdf`], { n: ctx.repeat });
      rows.push({ what, ...m });
    } catch (e) {
      rows.push({ what, wallS: Number.NaN, peakMB: Number.NaN, note: `failed: ${String(e.message).split('\n')[0]}` });
    }
  }
  return {
    title: `Open + change one object + save, ${info.pages} pages, ${(info.size / 1e6).toFixed(1)} MB`,
    goal: 'an incremental append costs what the changed objects cost, not what the file costs',
    rows,
  };
}

async function child(mode, input, output) {
  if (mode === 'kyso-file') {
    const { PdfName } = await import('../packages/pdf/dist/index.js');
    const { openPdfFile, writeIncrementalCopy } = await import('../packages/pdf/dist/node/index.js');
    const { PdfString, PdfDict } = await import('../packages/pdf/dist/index.js');
    const file = openPdfFile(input);
    const up = file.doc.beginUpdate();
    setTitle(up, file.doc, { PdfString, PdfDict, PdfName });
    await writeIncrementalCopy(file, up, output);
    file.close();
  } else if (mode === 'kyso-memory') {
    const pdf = await import('../packages/pdf/dist/index.js');
    const doc = pdf.PdfDocument.open(new Uint8Array(readFileSync(input)));
    const up = doc.beginUpdate();
    setTitle(up, doc, pdf);
    writeFileSync(output, up.finish().bytes);
  } else if (mode === 'pdf-lib') {
    const { PDFDocument } = require('pdf-lib');
    const doc = await PDFDocument.load(readFileSync(input), { updateMetadata: false });
    doc.setTitle('Bench');
    writeFileSync(output, await doc.save());
  } else if (mode.startsWith('libpdf')) {
    const { PDF } = await import(require.resolve('@libpdf/core'));
    const doc = await PDF.load(new Uint8Array(readFileSync(input)));
    doc.setTitle('Bench');
    writeFileSync(output, await doc.save({ incremental: mode === 'libpdf-incremental' }));
  } else throw new Error(`unknown mode ${mode}`);
}

function setTitle(up, doc, { PdfString, PdfDict }) {
  const infoRef = doc.trailer.getRef('Info');
  const info = (infoRef ? doc.resolve(infoRef)?.clone?.() : undefined) ?? PdfDict.of();
  info.set('Title', PdfString.fromText('Bench'));
  if (infoRef) up.set(infoRef, info);
  else {
    const ref = up.allocate();
    up.set(ref, info);
    up.setTrailerEntry('Info', ref);
  }
}

if (process.argv[1] === self && process.argv[2]) await child(process.argv[2], process.argv[3], process.argv[4]);
