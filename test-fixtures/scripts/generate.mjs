// Regenerates every generated fixture under test-fixtures/ (`pnpm fixtures`, after `pnpm build`).
// Each generator is a `gen-*.mjs` script beside this one; they run in name order, each reproducible.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
for (const f of readdirSync(here).filter((f) => /^gen-.*\.mjs$/.test(f)).sort()) {
  console.log(`fixtures: ${f}`);
  execFileSync(process.execPath, [here + f], { stdio: 'inherit' });
}
