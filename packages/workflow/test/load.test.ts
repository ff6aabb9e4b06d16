// Load test: 50 cases advanced concurrently by 8 worker processes (real concurrency on a shared
// SQLite file and a shared PostgreSQL database): no update is lost and every audit chain holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseVerificationContext, padesDocumentSigning, verifyCase, Workflow, type WorkflowStore } from '@kyso/workflow';
import { buildWorkflowPackage, PKI_DIR, startWorker, workerResult } from './helpers/children.js';
import { clock, draftPdf, fourStepRoute } from './helpers/fixtures.js';
import { postgresKind, sqliteKind } from './helpers/stores.js';

const CASES = 50;
const WORKERS = 8;
const BUDGET_MS = 150_000;

beforeAll(() => buildWorkflowPackage(), 300_000);

for (const kind of [sqliteKind, postgresKind]) {
  const k = kind();
  describe(`load on the ${k.name} store`, () => {
    let store: WorkflowStore;
    beforeAll(async () => {
      await k.setup();
      store = await k.create();
    });
    afterAll(async () => {
      await k.teardown();
    });

    it(`advances ${CASES} cases through 4 steps with ${WORKERS} concurrent workers, losing nothing`, async () => {
      const signing = padesDocumentSigning();
      const wf = new Workflow({ store, signing, clock });
      const route = fourStepRoute('load');
      const ids: string[] = [];
      for (let i = 0; i < CASES; i++) ids.push((await wf.startCase({ route, document: draftPdf(), actor: { id: 'load' }, id: `load-${i}` })).id);

      const t0 = Date.now();
      const workers = Array.from({ length: WORKERS }, (_, i) => workerResult<{ signed: number; conflicts: number; stale: number }>(startWorker('load-worker.mjs', [k.locator(store), PKI_DIR, JSON.stringify(ids), String(i)])));
      const stats = await Promise.all(workers);
      const elapsed = Date.now() - t0;
      expect(elapsed).toBeLessThan(BUDGET_MS);

      // Every committed signature is one success of one worker, and there are exactly 4 per case.
      const signed = stats.reduce((n, s) => n + s.signed, 0);
      expect(signed).toBe(CASES * 4);
      const numbers: number[] = [];
      for (const id of ids) {
        const c = await wf.getCase(id);
        expect(c.status).toBe('completed');
        expect(c.version).toBe(5);
        expect(c.steps.map((s) => s.signatures.length)).toEqual([1, 1, 1, 1]);
        const audit = await wf.verifyAudit(id);
        expect(audit.valid, audit.reason ?? '').toBe(true);
        expect(audit.entries).toBe(5);
        numbers.push(c.documentNumber!.number);
        const v = await verifyCase(await wf.getDocument(id), c.route, { signing, ...caseVerificationContext(c) });
        expect(v.problems).toEqual([]);
      }
      // Numbers are unique and gap-free: 01 … 50.
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: CASES }, (_, i) => i + 1));
      // The workers did race (otherwise this would not test concurrency).
      expect(stats.reduce((n, s) => n + s.conflicts + s.stale, 0)).toBeGreaterThan(0);
      console.log(`${k.name}: ${CASES} cases × 4 steps by ${WORKERS} workers in ${elapsed} ms; conflicts ${stats.map((s) => s.conflicts).join('/')}, stale ${stats.map((s) => s.stale).join('/')}`);
    }, 240_000);
  });
}
