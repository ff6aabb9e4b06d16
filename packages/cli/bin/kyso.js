#!/usr/bin/env node
// Runs the CLI from the esbuild bundle (dist/kyso.bundle.mjs, made by `pnpm build`: a few files
// to load instead of ~100 modules) when it is there and current, else from tsc's dist/main.js.
// KYSO_NO_BUNDLE=1 forces dist/main.js.
import { readdirSync, statSync } from 'node:fs';

const bundle = new URL('../dist/kyso.bundle.mjs', import.meta.url);

/** In a source checkout, a `tsc -b` after the last bundling leaves the bundle stale: newer *.tsbuildinfo than the bundle. */
function bundleIsCurrent() {
  if (process.env.KYSO_NO_BUNDLE) return false;
  let made;
  try {
    made = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  const packages = new URL('../../', import.meta.url);
  try {
    statSync(new URL('cli/tsconfig.tsbuildinfo', packages));
  } catch {
    return true; // an installed package: no build info to compare with
  }
  for (const name of readdirSync(packages)) {
    try {
      if (statSync(new URL(`${name}/tsconfig.tsbuildinfo`, packages)).mtimeMs > made) return false;
    } catch {
      // not a built package
    }
  }
  return true;
}

const { main } = await import(bundleIsCurrent() ? bundle.href : '../dist/main.js');
process.exitCode = await main(process.argv.slice(2));
