// Loads the CommonJS bundle of the CLI that scripts/bundle.mjs makes (kyso.bundle.cjs and
// kyso-vendor/ in dist/) with a V8 code cache; bin/kyso.cjs uses it.
//
// The first call of a command that completes (exit code 0 or 1) compiles the bundle and, as the
// process exits, stores the byte code of every function that command ran in dist/kyso-cache/;
// later calls read it back instead of parsing and compiling (start-up is paid on every call,
// FIELD-NOTES.md). A cache left by a call that exited 1 (a `kyso verify` of an unsigned file
// runs little of the verifier) is marked partial and replaced by the first call that exits 0.
// Node 20 gives a code cache only to scripts (vm.Script `cachedData`), which is why the bundle
// and these files are CommonJS: loading them skips the ES module loader too. A cache is named
// after the command, the hash of the bundle's contents and V8's version, so a rebuilt bundle
// never meets an old cache (V8 itself checks only the source's length, its version and flags),
// and two Node versions sharing an install keep a cache each instead of replacing each other's.
// An install the user cannot write keeps its caches in the user's cache folder instead.
'use strict';
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { basename, dirname, join } = require('node:path');
const { Script } = require('node:vm');

/**
 * True when `dist` holds a bundle that is current: in a source checkout, a `tsc -b` after the
 * last bundling leaves it stale (a *.tsbuildinfo newer than the bundle).
 */
function bundleIsCurrent(dist) {
  const bundle = join(dist, 'kyso.bundle.cjs');
  let made;
  try {
    made = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  const packages = join(__dirname, '..', '..');
  try {
    statSync(join(packages, 'cli', 'tsconfig.tsbuildinfo'));
  } catch {
    return true; // an installed package: no build info to compare with
  }
  for (const name of readdirSync(packages)) {
    try {
      if (statSync(join(packages, name, 'tsconfig.tsbuildinfo')).mtimeMs > made) return false;
    } catch {
      // not a built package
    }
  }
  return true;
}

/** The V8 that compiled a cache, in its name (a short hash of its version). */
const V8_TAG = fnv1a(process.versions.v8);

/** Caches to write as the process exits: those that were missing or that V8 rejected. */
const toWrite = [];
const loaded = new Map();

/**
 * Loads the CLI bundle in `dist` with the code cache for the command line `argv` (its first word;
 * a help request has its own) and returns its exports (`main`).
 */
function loadCliBundle(dist, argv) {
  const word = argv[0] !== undefined && /^[a-z]+$/.test(argv[0]) ? argv[0] : 'other';
  return loadScript(dist, join(dist, 'kyso.bundle.cjs'), argv.includes('--help') || argv.includes('-h') ? `${word}-help` : word);
}

/** Runs the CommonJS `file` of the bundle in `dist` with the code cache named `tag`; returns its exports. */
function loadScript(dist, file, tag) {
  if (loaded.has(file)) return loaded.get(file);
  const source = readFileSync(file, 'latin1'); // pure ASCII (scripts/bundle.mjs)
  // The hash of its contents that scripts/bundle.mjs ends the file with: a cache is only ever
  // used with the very bytes it was made from (npm gives every published file the same mtime).
  const hash = /\/\/# kysoHash=([0-9a-f]{16})\s*$/.exec(source.slice(-64))?.[1] ?? 'unhashed';
  const name = (kind) => `${basename(file)}.${tag}.${hash}-${V8_TAG}${kind === 'partial' ? '.partial' : ''}.v8`;
  let cachedData;
  let loadedKind;
  for (const kind of ['full', 'partial']) {
    for (const place of cachePlaces(dist, name(kind))) {
      try {
        cachedData = readFileSync(place);
        loadedKind = kind;
        break;
      } catch {
        // not there: the next place
      }
    }
    if (cachedData) break;
  }
  // The wrapper starts on the file's first line, so stack traces keep its line numbers.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  // Written at exit: missing or rejected caches, and a partial one once a call exits 0. Not
  // after bad usage (exit 2): that call compiled too little.
  const usable = cachedData && !script.cachedDataRejected;
  if (!usable || loadedKind === 'partial') {
    if (toWrite.length === 0) process.once('exit', (code) => code <= 1 && writeCaches(code === 0 ? 'full' : 'partial'));
    toWrite.push({
      script,
      places: (kind) => cachePlaces(dist, name(kind)),
      wanted: (kind) => !usable || kind === 'full',
      // Other builds' caches, and the partial one that a full one replaces.
      stale: (n, kind) => n.startsWith(`${basename(file)}.`) && n.endsWith('.v8') && (!n.includes(`.${hash}-`) || (kind === 'full' && n === name('partial'))),
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, bundleRequire(dist), module, file, dirname(file));
  loaded.set(file, module.exports);
  return module.exports;
}

/**
 * Where the cache `name` may be: beside the bundle (dist/kyso-cache/), else, for an install this
 * user cannot write (a global one), in the user's cache folder ($XDG_CACHE_HOME or ~/.cache,
 * kyso/, one folder per install), made private to the user.
 */
function cachePlaces(dist, name) {
  const places = [join(dist, 'kyso-cache', name)];
  const home = process.env.XDG_CACHE_HOME || (process.env.HOME && join(process.env.HOME, '.cache'));
  if (home) places.push(join(home, 'kyso', fnv1a(dist), name));
  return places;
}

/** A short hash of `text` (FNV-1a, 32 bits, hex): names an install's folder in the user's cache. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * At exit: the byte code compiled by now, for the next call, in the first place that takes it;
 * each file whole or not at all. `kind` is `full` after a call that exited 0, else `partial`.
 */
function writeCaches(kind) {
  for (const { script, places, wanted, stale } of toWrite) {
    if (!wanted(kind)) continue;
    const data = script.createCachedData();
    for (const place of places(kind)) {
      try {
        mkdirSync(dirname(place), { recursive: true, mode: 0o700 });
        const tmp = `${place}.${process.pid}.tmp`;
        writeFileSync(tmp, data, { mode: 0o600 });
        renameSync(tmp, place);
      } catch {
        continue; // not writable: the next place; with none, no cache, only a slower start
      }
      try {
        // The caches of earlier builds of this file are of no more use.
        for (const n of readdirSync(dirname(place))) if (stale(n, kind)) rmSync(join(dirname(place), n), { force: true });
      } catch {
        // left for the next time
      }
      break;
    }
  }
}

/**
 * The `require` the bundle sees: `kyso-vendor:GROUP` loads dist/kyso-vendor/GROUP.cjs through the
 * same code cache; `kyso-external:PACKAGE|MODULE` requires MODULE as PACKAGE would (a native
 * module, pg or pdf.js, resolved from the @kyso package that depends on it); anything else is
 * Node's require (built-in modules).
 */
function bundleRequire(dist) {
  const req = (id) => {
    if (id.startsWith('kyso-vendor:')) return loadScript(dist, join(dist, 'kyso-vendor', `${id.slice('kyso-vendor:'.length)}.cjs`), 'vendor');
    if (id.startsWith('kyso-external:')) {
      const [owner, spec] = id.slice('kyso-external:'.length).split('|');
      return createRequire(require.resolve(`${owner}/package.json`))(spec);
    }
    return require(id);
  };
  req.resolve = require.resolve;
  return req;
}

module.exports = { bundleIsCurrent, loadCliBundle };
