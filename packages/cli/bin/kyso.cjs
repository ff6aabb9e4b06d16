#!/usr/bin/env node
// The kyso command. Runs the esbuild bundle (dist/kyso.bundle.cjs, made by `pnpm build` with
// scripts/bundle.mjs) through load-bundle.cjs, with a V8 code cache, when it is there and
// current; else tsc's dist/main.js. KYSO_NO_BUNDLE=1 forces dist/main.js.
'use strict';
const { join } = require('node:path');
const { bundleIsCurrent, loadCliBundle } = require('./load-bundle.cjs');

async function run() {
  const argv = process.argv.slice(2);
  const dist = join(__dirname, '..', 'dist');
  let cli;
  try {
    cli = !process.env.KYSO_NO_BUNDLE && bundleIsCurrent(dist) ? loadCliBundle(dist, argv) : await import('../dist/main.js');
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes(join('dist', 'main.js'))) throw e;
    process.stderr.write('kyso: the CLI is not built: run "pnpm build" in the kyso repository first.\n');
    return 2;
  }
  return await cli.main(argv);
}
run().then((code) => {
  process.exitCode = code;
});
