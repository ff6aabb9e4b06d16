import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Tests run against the TypeScript sources, so `@kyso/x` resolves to `packages/x/src`
// (subpath exports such as `@kyso/x/node` resolve to `packages/x/src/node/index.ts`).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@kyso\/test-fixtures$/, replacement: fileURLToPath(new URL('./test-fixtures/index.ts', import.meta.url)) },
      {
        find: /^@kyso\/([a-z0-9-]+)\/([a-z0-9-]+)$/,
        replacement: fileURLToPath(new URL('./packages/$1/src/$2/index.ts', import.meta.url)),
      },
      { find: /^@kyso\/([a-z0-9-]+)$/, replacement: pkg('$1') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test-fixtures/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
