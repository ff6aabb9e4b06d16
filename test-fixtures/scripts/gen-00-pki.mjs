// Writes the seeded test PKI to test-fixtures/pki/ (run after `pnpm build`; `pnpm fixtures`).
// Same seed + same `now` → byte-identical files, so regenerating changes nothing in git.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTestPki } from '../../packages/testkit/dist/index.js';
import { writeTestPki } from '../../packages/testkit/dist/node/index.js';

const dir = fileURLToPath(new URL('../pki/', import.meta.url));
const started = Date.now();
const pki = await createTestPki({ seed: 'kyso-test-fixtures-v1', now: new Date('2026-12-01T00:00:00Z'), keySpec: 'rsa-2048' });

// The leader again with every other key type, under the same government CA (for CMS/PAdES tests).
const leader = pki.cadres.leader;
for (const [name, keySpec] of [
  ['leaderRsa3072', 'rsa-3072'],
  ['leaderRsaPss', 'rsa-pss-2048'],
  ['leaderP256', 'ecdsa-p256'],
  ['leaderP384', 'ecdsa-p384'],
]) {
  await pki.issue({ name, keySpec, subject: leader.subject, email: 'annv@bacninh.gov.vn' });
}

// Keep README.md; everything else is regenerated.
const { readdir } = await import('node:fs/promises');
for (const f of await readdir(dir).catch(() => [])) if (f !== 'README.md') await rm(dir + f, { recursive: true });
const manifest = await writeTestPki(pki, dir);
console.log(`pki: ${Object.keys(manifest.identities).length} identities in ${dir} (${Date.now() - started} ms)`);
