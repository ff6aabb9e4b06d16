// Bundles the built CLI (dist/main.js and every @kyso package it reaches) with esbuild into one
// CommonJS file, dist/kyso.bundle.cjs, which bin/kyso.cjs runs through bin/load-bundle.cjs with a
// V8 code cache (FIELD-NOTES.md: start-up is paid on every call). Run after `tsc -b` (`pnpm build`
// does both).
//
// - CommonJS, not ES modules, because Node 20 can only give a code cache to a script (vm.Script
//   `cachedData`): loading ~0.6 MB of ES modules cost ~50 ms of resolving, linking and compiling
//   per call; the script from its cache costs a few ms. The commands are still lazy: esbuild
//   wraps what is only reached by `import()` in functions run on first use, and V8 compiles a
//   function only when it is first called.
// - Large libraries that only some commands need are bundled apart, one CommonJS file per group
//   in dist/kyso-vendor/, and required on first use through the same cached loader: pdf-lib and
//   fontkit (appearances), node-forge (legacy PKCS#12), pkijs and asn1js (the demo's test PKI, the
//   workflow); libraries that share objects share a file. fflate and @noble/hashes, which every
//   command imports (Node hashes natively), are loaded on first use.
// - A script run through vm.Script cannot import(), so the build fails if one is left.
// - Loaded at run time from the @kyso package that depends on them, unbundled: native modules
//   (better-sqlite3, pkcs11js), pg, and pdf.js (pdfjs-dist, large and only for --anchor).
// - `import.meta.url` inside a bundled @kyso file (the pades font folder, the demo's samples, a
//   worker script) is rewritten to the URL the file has in its package, resolved at run time, so
//   assets and sibling files are still found.
//
// Usage: node packages/cli/scripts/bundle.mjs [--outdir DIR] [--metafile FILE]
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(cliDir, 'package.json'));
const { build } = await import(pathToFileURL(createRequire(join(cliDir, '../../package.json')).resolve('esbuild')).href);

const { values } = parseArgs({ options: { outdir: { type: 'string' }, metafile: { type: 'string' } } });
const outdir = resolve(values.outdir ?? join(cliDir, 'dist'));
const VENDOR_DIR = 'kyso-vendor';

/**
 * Vendor groups: bundled apart, loaded on first use. A package's group is its file's name. An
 * entry is a package's main entry, or one of its subpaths (`@noble/hashes/sha2.js`).
 */
const VENDOR = {
  'pdf-lib': ['pdf-lib', '@pdf-lib/fontkit'],
  'node-forge': ['node-forge'],
  pkijs: ['pkijs', 'asn1js'],
  fflate: ['fflate'],
  'noble-hashes': ['@noble/hashes/sha2.js', '@noble/hashes/legacy.js'],
};
/**
 * Vendor modules imported by modules that every command loads, whose functions and classes are
 * loaded on first use (a call, `new`, or reading a property such as `sha256.create`), not when
 * the importing module starts: fflate builds its Huffman tables as it loads (~7 ms of every
 * `kyso verify`), @noble/hashes its round constants (~1.4 ms; Node hashes natively).
 */
const ON_FIRST_USE = new Set(['fflate', '@noble/hashes/sha2.js', '@noble/hashes/legacy.js']);
const vendorGroup = new Map(Object.entries(VENDOR).flatMap(([group, names]) => names.map((n) => [n, group])));
/** Never bundled: loaded at run time from the package that imports them. */
const EXTERNAL = new Set(['pkcs11js', 'better-sqlite3', 'pg', 'pdfjs-dist']);

const bareName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const isIdentifier = (n) => /^[A-Za-z_$][\w$]*$/.test(n);

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

/** The folder of a @kyso package (the CLI or one it depends on) that lists `name` as a dependency. */
function dependentDir(name) {
  const cli = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8'));
  for (const dir of [cliDir, ...Object.keys(cli.dependencies).filter((d) => d.startsWith('@kyso/')).map((d) => dirname(require.resolve(`${d}/package.json`)))]) {
    if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies?.[name]) return dir;
  }
  throw new Error(`no @kyso package the CLI depends on lists ${name}`);
}

const common = {
  bundle: true,
  write: false,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // pdf-lib and others ship CommonJS as "main" and ES modules as "module": take the ES build.
  mainFields: ['module', 'main'],
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
};

/**
 * Writes esbuild's output files. Scripts are made pure ASCII, so that bin/load-bundle.cjs can
 * read them as Latin-1 (a one-byte string, read in 2.6 ms instead of 6.5 ms for UTF-8). esbuild
 * already escapes non-ASCII characters in strings, regular expressions and names, and leaves
 * them only in comments; a \uXXXX escape means the same character in all of them.
 */
function writeOutputs(result) {
  for (const f of result.outputFiles) {
    mkdirSync(dirname(f.path), { recursive: true });
    let contents = f.contents;
    if (f.path.endsWith('.cjs')) {
      contents = f.text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      // The key of its code caches (bin/load-bundle.cjs): a hash of exactly these bytes.
      contents += `\n//# kysoHash=${createHash('sha256').update(contents).digest('hex').slice(0, 16)}\n`;
    }
    writeFileSync(`${f.path}.tmp`, contents);
    renameSync(`${f.path}.tmp`, f.path); // a kyso process may be reading the previous file
  }
}

const t0 = Date.now();
rmSync(join(outdir, VENDOR_DIR), { recursive: true, force: true });
rmSync(join(outdir, 'kyso-cache'), { recursive: true, force: true }); // code caches of the previous bundle

// 1. The vendor groups: each a CommonJS file exporting { [package]: its module }.
const vendorExports = new Map(); // ON_FIRST_USE module → its functions' names
const defaultOnly = new Set();
const metafiles = [];
for (const [group, names] of Object.entries(VENDOR)) {
  const contents = names.map((n) => `exports[${JSON.stringify(n)}] = require(${JSON.stringify(n)});`).join('\n');
  const result = await build({
    ...common,
    stdin: { contents, resolveDir: dependentDir(bareName(names[0])), loader: 'js', sourcefile: `${group}-vendor.js` },
    outfile: join(outdir, VENDOR_DIR, `${group}.cjs`),
  });
  writeOutputs(result);
  metafiles.push(result.metafile);
  const loaded = createRequire(import.meta.url)(join(outdir, VENDOR_DIR, `${group}.cjs`));
  for (const n of names) {
    // Loaded on first use: only its functions and classes are offered (importing anything else fails the build).
    if (ON_FIRST_USE.has(n)) vendorExports.set(n, Object.keys(loaded[n]).filter((k) => typeof loaded[n][k] === 'function'));
    // An ES module whose only export is its default (fontkit): importers in Node's mode take a
    // CommonJS module's exports as the default, so the stand-in exports that default itself.
    if (loaded[n].__esModule && Object.keys(loaded[n]).join() === 'default') defaultOnly.add(n);
  }
}

// 2. The CLI with every @kyso package.
const PKG_URL_HELPER = `import { createRequire as __kysoCreateRequire } from 'node:module';
import { pathToFileURL as __kysoPathToFileURL } from 'node:url';
function __kysoUrl(pkg, subpath) {
  return new URL(subpath, __kysoPathToFileURL(__kysoCreateRequire(__filename).resolve(pkg + '/package.json'))).href;
}
`;

const kysoPlugin = {
  name: 'kyso',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (vendorGroup.has(args.path)) return { path: args.path, namespace: 'kyso-vendor' };
      const name = bareName(args.path);
      if (vendorGroup.has(name)) throw new Error(`${args.importer} imports ${args.path}: only the vendor entries listed in VENDOR are bundled apart`);
      if (!EXTERNAL.has(name)) return undefined;
      const owner = owningPackage(args.importer);
      if (!owner) throw new Error(`no package owns ${args.importer}`);
      return { path: JSON.stringify([owner.name, args.path]), namespace: 'kyso-external' };
    });
    // A vendor module: what the vendor file holds for it, required when the importing module runs
    // (or, for ON_FIRST_USE, when one of its functions is first used).
    b.onLoad({ filter: /.*/, namespace: 'kyso-vendor' }, (args) => {
      const load = `require(${JSON.stringify(`kyso-vendor:${vendorGroup.get(args.path)}`)})[${JSON.stringify(args.path)}]`;
      if (ON_FIRST_USE.has(args.path)) {
        const named = vendorExports.get(args.path).filter((n) => n !== 'default' && isIdentifier(n));
        // Each export stands in for the real function until it is first called, constructed
        // (subclasses included) or has a property read; then the module is loaded.
        const lines = [
          'let ns;',
          `const get = () => (ns ??= ${load});`,
          'function lazy(name) {',
          '  const p = new Proxy(function () {}, {',
          '    apply: (_, self, args) => Reflect.apply(get()[name], self, args),',
          '    construct: (_, args, target) => Reflect.construct(get()[name], args, target === p ? get()[name] : target),',
          '    get: (_, key) => get()[name][key],',
          '  });',
          '  return p;',
          '}',
        ];
        for (const n of named) lines.push(`export const ${n} = lazy(${JSON.stringify(n)});`);
        return { contents: lines.join('\n'), loader: 'js', resolveDir: cliDir };
      }
      // A CommonJS stand-in: importing it (also with import()) makes its namespace object only
      // when the importing module runs. As ES-module re-exports, pdf-lib's 311 names were each
      // defined on a namespace object as the bundle started, for every command.
      return { contents: `module.exports = ${load}${defaultOnly.has(args.path) ? '.default' : ''};`, loader: 'js', resolveDir: cliDir };
    });
    // A module loaded at run time from the package that depends on it (run-bundle.ts resolves it).
    b.onLoad({ filter: /.*/, namespace: 'kyso-external' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`kyso-external:${JSON.parse(args.path).join('|')}`)});`,
      loader: 'js',
      resolveDir: cliDir,
    }));
    // import.meta.url in a @kyso package (this one included: a worker script, the demo's
    // samples): the URL the file has in its package, not the bundle's.
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const owner = owningPackage(args.path);
      if (!owner || !owner.name.startsWith('@kyso/')) return undefined;
      const sub = relative(owner.dir, args.path).split(sep).join('/');
      return { contents: PKG_URL_HELPER + text.replaceAll('import.meta.url', `__kysoUrl(${JSON.stringify(owner.name)}, ${JSON.stringify(sub)})`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const result = await build({
  ...common,
  entryPoints: [join(cliDir, 'dist', 'main.js')],
  outfile: join(outdir, 'kyso.bundle.cjs'),
  external: ['kyso-vendor:*', 'kyso-external:*'],
  plugins: [kysoPlugin],
});
// A script run through vm.Script cannot import(): every module must be bundled or required.
for (const [file, o] of Object.entries(result.metafile.outputs)) {
  const dynamic = o.imports.filter((i) => i.kind === 'dynamic-import');
  if (dynamic.length) throw new Error(`${file} keeps import() of ${dynamic.map((i) => i.path).join(', ')}: import it statically, or list it in VENDOR or EXTERNAL`);
}
writeOutputs(result);
metafiles.push(result.metafile);
if (values.metafile) writeFileSync(values.metafile, JSON.stringify({ inputs: Object.assign({}, ...metafiles.map((m) => m.inputs)), outputs: Object.assign({}, ...metafiles.map((m) => m.outputs)) }));
console.log(`kyso bundle: ${relative(process.cwd(), join(outdir, 'kyso.bundle.cjs'))} + ${Object.keys(VENDOR).length} vendor files in ${Date.now() - t0} ms`);
