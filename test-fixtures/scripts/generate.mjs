// Regenerates every generated fixture under test-fixtures/ (`pnpm fixtures`).
// Each generator is a script beside this one; they run in order, each one reproducible.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
for (const f of readdirSync(here).filter((f) => /^gen-.*\.(mjs|ts)$/.test(f)).sort()) {
  console.log(`fixtures: ${f}`);
  execFileSync(process.execPath, [...(f.endsWith('.ts') ? ['--experimental-strip-types'] : []), here + f], { stdio: 'inherit' });
}
