// Bundles the built CLI (dist/main.js and every @kyso package it reaches) with esbuild into
// dist/kyso.bundle.mjs, which bin/kyso.js runs when present. A CLI call then loads a handful of
// files instead of ~100 modules, each resolved and compiled separately (FIELD-NOTES.md: start-up
// is paid on every call). Run after `tsc -b` (`pnpm build` does both).
//
// - Code splitting keeps every dynamic import() lazy: `kyso verify` never loads what `kyso demo`,
//   an appearance (pdf-lib, fontkit) or a legacy PKCS#12 (node-forge) needs.
// - Kept outside the bundle and loaded at run time: native and optional modules (better-sqlite3,
//   pg, pkcs11js, @kyso/pkcs11), pdf.js (pdfjs-dist, large and only for --anchor) and @kyso/core
//   (so that errors thrown by an external @kyso/pkcs11 are the same KysoError class the CLI checks).
//   A module that the CLI's own package.json does not list (pdfjs-dist, better-sqlite3, pg) is
//   resolved at run time from the @kyso package that imports it, as an unbundled install would.
// - `import.meta.url` inside a bundled @kyso file (the pades font folder, the demo's samples, a
//   worker script) is rewritten to the URL the file has in its package, resolved at run time
//   (the package's own name resolves from the bundle, @kyso/cli's by self-reference), so
//   assets and sibling files are still found.
//
// Usage: node packages/cli/scripts/bundle.mjs [--outdir DIR] [--metafile FILE]
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(cliDir, 'package.json'));
const { build } = await import(pathToFileURL(createRequire(join(cliDir, '../../package.json')).resolve('esbuild')).href);

const { values } = parseArgs({ options: { outdir: { type: 'string' }, metafile: { type: 'string' } } });
const outdir = resolve(values.outdir ?? join(cliDir, 'dist'));
const CHUNKS = 'kyso-chunks';

/** Imported by name at run time, never bundled. */
const EXTERNAL = ['@kyso/core', '@kyso/pkcs11', 'pkcs11js', 'better-sqlite3', 'pg', 'pdfjs-dist'];
/** Of those, the ones that are not dependencies of @kyso/cli: resolved from the importing package. */
const RESOLVE_FROM_IMPORTER = new Set(['pkcs11js', 'better-sqlite3', 'pg', 'pdfjs-dist']);

const bareName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/** The name of the package whose folder holds `file` (the nearest package.json with a name). */
function owningPackage(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.name) return { name: pkg.name, dir };
    } catch {
      // no package.json here: keep going up
    }
  }
  return undefined;
}

/** Run-time code: the file URL of `subpath` inside package `pkg`, found from the bundle's location. */
const pkgUrlCode = (pkg, subpath) =>
  `__kysoUrl(${JSON.stringify(pkg)}, ${JSON.stringify(subpath)})`;
const PKG_URL_HELPER = `import { createRequire as __kysoCreateRequire } from 'node:module';
import { pathToFileURL as __kysoPathToFileURL } from 'node:url';
function __kysoUrl(pkg, subpath) {
  return new URL(subpath, __kysoPathToFileURL(__kysoCreateRequire(import.meta.url).resolve(pkg + '/package.json'))).href;
}
`;

const kysoPlugin = {
  name: 'kyso',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = bareName(args.path);
      if (!EXTERNAL.includes(name)) return undefined;
      const owner = owningPackage(args.importer);
      if (!RESOLVE_FROM_IMPORTER.has(name) || !owner || owner.name === '@kyso/cli') return { path: args.path, external: true };
      return { path: `${owner.name}|${args.path}`, namespace: 'kyso-external' };
    });
    // A module the CLI does not depend on, loaded at run time from the package that imports it.
    b.onLoad({ filter: /.*/, namespace: 'kyso-external' }, async (args) => {
      const [owner, spec] = args.path.split('|');
      const ownerRequire = createRequire(require.resolve(`${owner}/package.json`));
      const target = ownerRequire.resolve(spec);
      const head = `${PKG_URL_HELPER}const __kysoTarget = __kysoCreateRequire(${pkgUrlCode(owner, 'package.json')}).resolve(${JSON.stringify(spec)});\n`;
      if (target.endsWith('.mjs')) {
        // An ES module (pdf.js): imported on first use; its export names are read now, at build time.
        const names = Object.keys(await import(pathToFileURL(target).href)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
        return {
          contents: `${head}const ns = await import(__kysoPathToFileURL(__kysoTarget).href);\nexport const { ${names.join(', ')} } = ns;\nexport default ns.default;\n`,
          loader: 'js',
          resolveDir: cliDir,
        };
      }
      // CommonJS (better-sqlite3, pg, pkcs11js): what `import x from` gets is module.exports.
      return { contents: `${head}const m = __kysoCreateRequire(import.meta.url)(__kysoTarget);\nexport default m;\n`, loader: 'js', resolveDir: cliDir };
    });
    // import.meta.url in a @kyso package (this one included: a worker script, the demo's
    // samples): the URL the file has in its package, not the bundle chunk's.
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const owner = owningPackage(args.path);
      if (!owner || !owner.name.startsWith('@kyso/')) return undefined;
      const sub = relative(owner.dir, args.path).split(sep).join('/');
      return { contents: PKG_URL_HELPER + text.replaceAll('import.meta.url', pkgUrlCode(owner.name, sub)), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

mkdirSync(join(outdir, CHUNKS), { recursive: true });
const t0 = Date.now();
const result = await build({
  entryPoints: { 'kyso.bundle': join(cliDir, 'dist', 'main.js') },
  outdir,
  write: false,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: `${CHUNKS}/[name]-[hash]`,
  // pdf-lib and others ship CommonJS as "main" and ES modules as "module": take the ES build.
  mainFields: ['module', 'main'],
  // Bundled CommonJS (node-forge) calls require() for Node built-ins.
  banner: { js: "import { createRequire as __kysoBundleRequire } from 'node:module';\nconst require = __kysoBundleRequire(import.meta.url);" },
  plugins: [kysoPlugin],
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
});
// A kyso process may be running from the previous bundle: chunks (named by content hash) are
// written first, the entry last by an atomic rename, and only then are stale chunks removed.
const entryPath = join(outdir, 'kyso.bundle.mjs');
const fresh = new Set();
let entry;
for (const f of result.outputFiles) {
  if (f.path === entryPath) entry = f;
  else {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.contents);
    fresh.add(f.path);
  }
}
if (!entry) throw new Error('esbuild wrote no kyso.bundle.mjs');
writeFileSync(`${entryPath}.tmp`, entry.contents);
renameSync(`${entryPath}.tmp`, entryPath);
for (const name of readdirSync(join(outdir, CHUNKS))) if (!fresh.has(join(outdir, CHUNKS, name))) rmSync(join(outdir, CHUNKS, name), { force: true });
if (values.metafile) writeFileSync(values.metafile, JSON.stringify(result.metafile));
console.log(`kyso bundle: ${relative(process.cwd(), entryPath)} + ${fresh.size} lazy chunks and notices in ${Date.now() - t0} ms`);
