import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// DESIGN.md decision 3: the appearance code runs in browsers (font bytes passed in by the caller);
// only ./node/ (the shipped-font loader) may use Node built-ins.
describe('appearance code bundles for the browser', () => {
  it('src/appearance/index.ts has no Node built-in, and pdf-lib / pdf.js are loaded lazily', async () => {
    const entry = fileURLToPath(new URL('../../src/appearance/index.ts', import.meta.url));
    const alias = Object.fromEntries(
      ['core', 'pdf'].map((p) => [`@kyso/${p}`, fileURLToPath(new URL(`../../../${p}/src/index.ts`, import.meta.url))]),
    );
    const result = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'browser', format: 'esm', splitting: true, outdir: '/tmp/kyso-ap-bundle', logLevel: 'silent', metafile: true, alias });
    const main = result.outputFiles.find((f) => f.path.endsWith('/index.js'))!;
    // pdf-lib and pdfjs-dist are in separate chunks (dynamic import), not in the entry chunk
    const inputsOfMain = Object.keys(result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith('/index.js'))!]!.inputs);
    expect(inputsOfMain.some((i) => i.includes('node_modules/pdf-lib'))).toBe(false);
    expect(inputsOfMain.some((i) => i.includes('pdfjs-dist'))).toBe(false);
    expect(main.text.length).toBeGreaterThan(1000);
  });

  it('src/appearance/node/ is the only place that uses node: modules', async () => {
    const entry = fileURLToPath(new URL('../../src/appearance/node/index.ts', import.meta.url));
    const failed = await build({ entryPoints: [entry], bundle: true, write: false, platform: 'browser', format: 'esm', logLevel: 'silent' }).then(
      () => '',
      (e: { errors?: { text: string }[] }) => (e.errors ?? []).map((x) => x.text).join('; '),
    );
    expect(failed).toMatch(/node:fs/);
  });
});
