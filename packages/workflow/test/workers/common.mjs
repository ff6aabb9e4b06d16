// Shared by the worker processes: they run the BUILT package, as another application server would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '@kyso/core';
import { signerFromPem } from '@kyso/cms';
import { padesDocumentSigning, Workflow } from '../../dist/index.js';

export const NOW = '2026-12-02T03:00:00.000Z';

export async function openStore(locator) {
  if (locator.startsWith('sqlite:')) {
    const { SqliteWorkflowStore } = await import('../../dist/sqlite/index.js');
    const s = new SqliteWorkflowStore(locator.slice(7));
    await s.init();
    return s;
  }
  const { PostgresWorkflowStore } = await import('../../dist/postgres/index.js');
  const s = new PostgresWorkflowStore({ connectionString: locator, max: 2 });
  await s.init();
  return s;
}

export function engine(store, hooks) {
  return new Workflow({ store, signing: padesDocumentSigning(), clock: fixedClock(NOW), ...(hooks ? { hooks } : {}) });
}

export async function loadSigner(pkiDir, name) {
  const f = (x) => readFileSync(join(pkiDir, x), 'utf8');
  return signerFromPem(f(`${name}.key.pem`), f(`${name}.pem`), f(`${name}.chain.pem`));
}
