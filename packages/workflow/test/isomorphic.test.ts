import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// DESIGN.md decision 3: the engine runs in browsers too; only the stores (`./sqlite`,
// `./postgres`) are Node-only, so the main entry must bundle without a Node built-in.
const PACKAGES = ['core', 'trust', 'cms', 'pdf', 'pades', 'workflow'];
const src = (p: string) => fileURLToPath(new URL(`../../${p}/src/index.ts`, import.meta.url));

describe('@kyso/workflow in the browser', () => {
  it('bundles its main entry for the browser without Node built-ins, better-sqlite3 or pg', async () => {
    const result = await build({
      entryPoints: [src('workflow')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
      metafile: true,
      alias: Object.fromEntries(PACKAGES.map((p) => [`@kyso/${p}`, src(p)])),
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => /better-sqlite3|node_modules\/pg\//.test(i))).toBe(false);
    expect(inputs.some((i) => i.includes('packages/workflow/src/engine/workflow.ts'))).toBe(true);
  });

  it('fails to bundle the SQLite store for the browser (twin: the check can fail)', async () => {
    const r = await build({
      entryPoints: [fileURLToPath(new URL('../src/sqlite/index.ts', import.meta.url))],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
      alias: Object.fromEntries(PACKAGES.map((p) => [`@kyso/${p}`, src(p)])),
    }).then(
      () => 'bundled',
      () => 'failed',
    );
    expect(r).toBe('failed');
  });
});
