import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The @kyso packages resolve to their TypeScript sources (as in the repo's Vitest config), so the
// example needs no `pnpm build` first and always shows the current code. An app that installs
// @kyso/* from npm drops this alias and gets the published `dist/`.
const kysoSource = fileURLToPath(new URL('../../packages/$1/src/index.ts', import.meta.url));

export default defineConfig({
  // Relative asset URLs: the built `dist/` works from any folder of any static server.
  base: './',
  resolve: {
    alias: [{ find: /^@kyso\/(core|trust|cms|pdf|pades)$/, replacement: kysoSource }],
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // pdf.js (page preview) alone is ~1 MB; the signing code is a few hundred kB.
    chunkSizeWarningLimit: 2048,
  },
});
