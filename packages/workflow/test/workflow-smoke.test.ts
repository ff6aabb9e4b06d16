import { describe, expect, it } from 'vitest';
import { MemoryWorkflowStore, padesDocumentSigning, Workflow } from '@kyso/workflow';
import { clock, draftPdf, fourStepRoute, signer } from './helpers/fixtures.js';

describe('smoke', () => {
  it('runs four steps', async () => {
    const wf = new Workflow({ store: new MemoryWorkflowStore(), signing: padesDocumentSigning(), clock });
    let c = await wf.startCase({ route: fourStepRoute(), document: draftPdf(), actor: { id: 'u1' } });
    for (const who of ['drafter', 'head', 'leader', 'seal'] as const) {
      const t0 = Date.now();
      c = await wf.sign(c.id, await signer(who));
      console.log(who, Date.now() - t0, c.stepIndex, c.status);
    }
    expect(c.status).toBe('completed');
    expect(c.documentNumber?.symbol).toBe('01/QĐ-UBND');
  });
});
