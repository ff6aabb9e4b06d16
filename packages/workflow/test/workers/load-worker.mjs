// One of the load test's workers: advances every case it is given as far as it can, racing the
// other workers; a conflict (someone else committed first) just means "read again".
import { engine, loadSigner, openStore } from './common.mjs';

const [locator, pkiDir, idsJson, seedText] = process.argv.slice(2);
const ids = JSON.parse(idsJson);
const store = await openStore(locator);
const wf = engine(store);
const signers = {
  drafter: await loadSigner(pkiDir, 'drafter'),
  head: await loadSigner(pkiDir, 'head'),
  leader: await loadSigner(pkiDir, 'leader'),
  clerk: await loadSigner(pkiDir, 'seal'),
};
// Each worker walks the cases from its own offset, so they meet on the same steps often.
const seed = Number(seedText);
let pending = ids.map((_, i) => ids[(i + seed * 7) % ids.length]);
const stats = { signed: 0, conflicts: 0, stale: 0 };
const RETRY = new Set(['WORKFLOW_CONFLICT', 'WORKFLOW_ALREADY_SIGNED', 'WORKFLOW_OUT_OF_ORDER']);
while (pending.length) {
  const next = [];
  for (const id of pending) {
    const c = await wf.getCase(id);
    if (c.status === 'completed') continue;
    next.push(id);
    const step = c.route.steps[c.stepIndex].id;
    try {
      await wf.sign(id, signers[step], { stepId: step });
      stats.signed++;
    } catch (e) {
      if (!RETRY.has(e?.code)) throw e;
      if (e.code === 'WORKFLOW_CONFLICT') stats.conflicts++;
      else stats.stale++;
    }
  }
  pending = next;
}
await store.close();
process.send(stats, () => process.exit(0));
