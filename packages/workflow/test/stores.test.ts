// Store-level guarantees of the SQL stores: history cannot be rewritten in place, and an
// engine notices a document whose bytes no longer hash to their address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workflow, type WorkflowStore } from '@kyso/workflow';
import type { SqliteWorkflowStore } from '@kyso/workflow/sqlite';
import type { PostgresWorkflowStore } from '@kyso/workflow/postgres';
import { clock, draftPdf, fourStepRoute, signer } from './helpers/fixtures.js';
import { postgresKind, sqliteKind } from './helpers/stores.js';

/** Runs SQL on a store's own connection. */
async function sql(store: WorkflowStore, text: string, args: unknown[] = []): Promise<void> {
  if (store.kind === 'sqlite') (store as SqliteWorkflowStore).db.prepare(text.replace(/\$\d+/g, '?')).run(...args);
  else await (store as PostgresWorkflowStore).pool.query(text, args);
}

for (const kind of [sqliteKind, postgresKind]) {
  const k = kind();
  describe(`the ${k.name} store`, () => {
    let store: WorkflowStore;
    beforeAll(async () => {
      await k.setup();
      store = await k.create();
    });
    afterAll(async () => {
      await k.teardown();
    });

    it('refuses to rewrite or delete document versions and audit entries', async () => {
      const wf = new Workflow({ store, clock });
      const c = await wf.sign((await wf.startCase({ route: fourStepRoute('immutable'), document: draftPdf(), actor: { id: 'u' } })).id, await signer('drafter'));
      await expect(sql(store, 'UPDATE kyso_documents SET bytes = $1 WHERE sha256 = $2', [new Uint8Array([1]), c.document])).rejects.toThrow(/immutable|never/);
      await expect(sql(store, 'DELETE FROM kyso_documents WHERE sha256 = $1', [c.document])).rejects.toThrow(/never/);
      await expect(sql(store, "UPDATE kyso_audit SET hash = 'x' WHERE case_id = $1", [c.id])).rejects.toThrow(/immutable|never/);
      await expect(sql(store, 'DELETE FROM kyso_audit WHERE case_id = $1', [c.id])).rejects.toThrow(/never/);
      expect((await wf.verifyAudit(c.id)).valid).toBe(true);
      expect((await wf.getDocument(c.id)).length).toBeGreaterThan(0);
    });

    it('reports WORKFLOW_STORE_CORRUPT when stored bytes no longer match their SHA-256 (triggers bypassed)', async () => {
      const wf = new Workflow({ store, clock });
      const c = await wf.startCase({ route: fourStepRoute('corrupt'), document: draftPdf(), actor: { id: 'u' } });
      if (store.kind === 'sqlite') {
        await sql(store, 'DROP TRIGGER kyso_documents_immutable');
      } else {
        await sql(store, 'ALTER TABLE kyso_documents DISABLE TRIGGER kyso_documents_immutable');
      }
      const tampered = draftPdf();
      tampered[100] ^= 1;
      await sql(store, 'UPDATE kyso_documents SET bytes = $1 WHERE sha256 = $2', [tampered, c.document]);
      await expect(wf.getDocument(c.id)).rejects.toMatchObject({ code: 'WORKFLOW_STORE_CORRUPT' });
      await expect(wf.sign(c.id, await signer('drafter'))).rejects.toMatchObject({ code: 'WORKFLOW_STORE_CORRUPT' });
      await store.init(); // restores the trigger
      await expect(sql(store, 'UPDATE kyso_documents SET bytes = $1 WHERE sha256 = $2', [draftPdf(), c.document])).rejects.toThrow();
    });
  });
}
