import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// DESIGN.md decision 3: these packages run in browsers, so their main entry must bundle for
// the browser without any Node built-in (Node-only code lives behind `/node` subpath exports).
const ISOMORPHIC = ['core', 'trust', 'cms', 'pdf', 'pades', 'workflow'];

describe('isomorphic packages bundle for the browser', () => {
  for (const name of ISOMORPHIC) {
    const entry = fileURLToPath(new URL(`../packages/${name}/src/index.ts`, import.meta.url));
    it(`@kyso/${name} has no Node built-in in its browser bundle`, async () => {
      if (!existsSync(entry)) return expect.fail(`packages/${name}/src/index.ts is missing`);
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'esm',
        logLevel: 'silent',
        metafile: true,
        // `@kyso/x` resolves to the sources, as in the tests.
        alias: Object.fromEntries(ISOMORPHIC.map((p) => [`@kyso/${p}`, fileURLToPath(new URL(`../packages/${p}/src/index.ts`, import.meta.url))])),
      }).catch((e: { errors?: { text: string }[] }) => ({ failed: (e.errors ?? []).map((x) => x.text).join('; ') }));
      expect('failed' in result ? result.failed : '').toBe('');
    });
  }
});
