// Crash test: a process killed after signing and before the store commits leaves the case at
// its previous step, with nothing half-written, and the step can be signed again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { padesDocumentSigning, Workflow, type WorkflowStore } from '@kyso/workflow';
import { buildWorkflowPackage, PKI_DIR, startWorker } from './helpers/children.js';
import { clock, draftPdf, fourStepRoute, signer } from './helpers/fixtures.js';
import { postgresKind, sqliteKind } from './helpers/stores.js';

beforeAll(() => buildWorkflowPackage(), 300_000);

for (const kind of [sqliteKind, postgresKind]) {
  const k = kind();
  describe(`crash on the ${k.name} store`, () => {
    let store: WorkflowStore;
    beforeAll(async () => {
      await k.setup();
      store = await k.create();
    });
    afterAll(async () => {
      await k.teardown();
    });

    it('keeps the case at its previous step when the signing process dies before saving', async () => {
      const wf = new Workflow({ store, signing: padesDocumentSigning(), clock });
      let c = await wf.startCase({ route: fourStepRoute('crash'), document: draftPdf(), actor: { id: 'crash' } });
      c = await wf.sign(c.id, await signer('drafter'));
      const before = await wf.getCase(c.id);

      const child = startWorker('crash-worker.mjs', [k.locator(store), PKI_DIR, c.id, 'head']);
      const msg = await new Promise<{ signedDocument: string; alreadyStored: boolean; version: number }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as never));
        child.once('exit', (code) => reject(new Error(`worker exited (${code}) before signing`)));
      });
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      expect(msg.version).toBe(before.version + 1);
      expect(msg.alreadyStored).toBe(false);

      const fresh = await k.reopen(store);
      const after = await fresh.getCase(c.id);
      expect(after).toEqual(before);
      expect(await fresh.getDocument(msg.signedDocument)).toBeUndefined();
      const wf2 = new Workflow({ store: fresh, signing: padesDocumentSigning(), clock });
      expect((await wf2.verifyAudit(c.id)).valid).toBe(true);
      expect((await wf2.getAuditLog(c.id)).length).toBe(2);

      // Twin: the same step signed by a process that lives is committed.
      const done = await wf2.sign(c.id, await signer('head'));
      expect(done).toMatchObject({ stepIndex: 2, version: before.version + 1 });
      expect((await wf2.verifyAudit(c.id)).valid).toBe(true);
    }, 120_000);
  });
}
